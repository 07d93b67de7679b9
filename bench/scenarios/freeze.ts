import { setTimeout as sleep } from 'node:timers/promises';
import { seededId } from '../fixtures.ts';
import type { ServerProcess } from '../server.ts';
import { Latencies, type LatencySummary } from '../stats.ts';
import { body, SET_LABELS } from './documents.ts';

export interface FreezePlan {
  /** The healthy replica, measured. */
  readonly healthy: ServerProcess;
  /** The replica that is frozen (SIGSTOP) and thawed (SIGCONT) while both take writes. */
  readonly frozen: ServerProcess;
  /** Write loops per replica. */
  readonly writers: number;
  readonly freezeSeconds: number;
  /** Seeded containers to write to: the healthy replica takes even indexes, the frozen one odd. */
  readonly n: number;
}

export interface FreezeResult {
  /** The healthy replica's writes for as long as before the freeze, then during it. */
  readonly before: LatencySummary;
  readonly during: LatencySummary;
  readonly duringOps: number;
  readonly errors: number;
  readonly firstError?: string;
}

/**
 * Two replicas on one database, both taking label updates (an event-writing transaction each).
 * The healthy replica's write latency is recorded for `freezeSeconds` as is, then for as long
 * again while the other replica is stopped with SIGSTOP, as a GC pause or a VM freeze would stop
 * it: whatever it held stays held. Different containers on each side, so only what they share (the
 * event log) can make the healthy one wait.
 */
export async function runFreeze(plan: FreezePlan): Promise<FreezeResult> {
  const phase = { name: 'warmup' as 'warmup' | 'before' | 'during' | 'done' };
  const latencies = { before: new Latencies(), during: new Latencies() };
  let errors = 0;
  let firstError: string | undefined;

  const loop = async (server: ServerProcess, parity: number, measured: boolean) => {
    for (let i = 0; phase.name !== 'done'; i++) {
      const index = (Math.floor(Math.random() * (plan.n / 2)) * 2 + parity) % plan.n;
      const at = phase.name;
      const started = performance.now();
      try {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: body(SET_LABELS, { id: seededId(index), labels: [{ key: 'freeze', value: String(i) }] }),
          signal: AbortSignal.timeout(30_000),
        });
        const answer = (await response.json()) as { errors?: { message: string }[] };
        if (answer.errors) throw new Error(answer.errors[0]!.message);
        // By the phase it started in: a write held up by the freeze counts in full, however late it ends.
        if (measured && (at === 'before' || at === 'during')) latencies[at].record(performance.now() - started);
      } catch (error) {
        if (!measured) continue; // the frozen side's requests time out or fail as it thaws: not measured
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };

  const loops = [
    ...Array.from({ length: plan.writers }, () => loop(plan.healthy, 0, true)),
    ...Array.from({ length: plan.writers }, () => loop(plan.frozen, 1, false)),
  ];
  await sleep(1000);
  phase.name = 'before';
  await sleep(plan.freezeSeconds * 1000);
  plan.frozen.signal('SIGSTOP');
  phase.name = 'during';
  await sleep(plan.freezeSeconds * 1000);
  phase.name = 'done';
  plan.frozen.signal('SIGCONT');
  await Promise.all(loops);
  return {
    before: latencies.before.summary(),
    during: latencies.during.summary(),
    duringOps: latencies.during.count,
    errors,
    ...(firstError ? { firstError } : {}),
  };
}
