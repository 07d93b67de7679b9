import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { encodeEventCursor } from '../../src/resolvers/cursors.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/server/embedded-postgres.ts';
import { type Attempt, attempt } from '../helpers/attempt.ts';
import { subscribeEvents } from '../helpers/events.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';

/**
 * Database faults and frozen replicas, injected into one run: two replica processes on one
 * embedded Postgres that the test owns, writers spread over both, and subscribers that resume
 * from their last cursor on whichever replica answers. In turn: SIGKILL of a replica (then a new
 * process in its place), Postgres restarted fast, Postgres restarted immediate (crash recovery),
 * pg_terminate_backend of every Berth session, and SIGSTOP of a replica for 3 s.
 *
 * Checked against the log of what the writers were told: every acknowledged mutation has exactly
 * one event, in each writer's order; a mutation that failed ambiguously (no answer, or a lost
 * COMMIT) has at most one; one refused with "nothing was changed" has none; replaying the event
 * log gives exactly the final table, so an event exists exactly when its change does; the log has
 * no gap; each subscriber received the log exactly, once and in order; and no replica exited
 * except the one killed on purpose. Per-fault recovery times, and the healthy replica's write
 * latency during the freeze, are reported (not asserted: timings depend on the machine).
 */
const WRITERS = 4;
const FREEZE_MS = 3000;
const SETTLE_MS = 3000;
const RECOVERY_BOUND_MS = 60_000;
/** The whole run, faults and checks, takes about a minute; this bounds it in CI. */
const TEST_TIMEOUT_MS = 180_000;

let dataDir: string;
let pg: EmbeddedDatabase;
let owner: postgres.Sql;
const unexpectedExits: string[] = [];

class Replica {
  proc!: ServerProcess;
  private expectingExit = false;
  /** The end of its log (warnings and errors), for the message of a failed wait. */
  logTail = '';
  constructor(readonly name: string) {}

  get url(): string {
    return this.proc.url;
  }

  async start(): Promise<void> {
    this.expectingExit = false;
    this.proc = await startServerProcess({ DATABASE_URL: pg.url, BERTH_LOG_LEVEL: 'warn' });
    // Keep reading its output: a replica blocked on a full stdout pipe would look frozen.
    this.proc.child.stdout?.on('data', (chunk: Buffer) => (this.logTail = (this.logTail + chunk.toString()).slice(-4000)));
    this.proc.child.once('exit', (code, signal) => {
      if (!this.expectingExit) unexpectedExits.push(`${this.name} exited (code ${code}, signal ${signal}); its last output:\n${this.logTail}`);
    });
  }

  async kill(): Promise<void> {
    this.expectingExit = true;
    await this.proc.stop('SIGKILL');
  }

  signal(signal: NodeJS.Signals): void {
    this.proc.child.kill(signal);
  }

  async stop(): Promise<void> {
    this.expectingExit = true;
    if (this.proc.child.exitCode === null && this.proc.child.signalCode === null) await this.proc.stop();
  }
}

const replicas = [new Replica('replica A'), new Replica('replica B')];

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'berth-chaos-'));
  pg = await startEmbeddedPostgres(dataDir, () => {});
  // The first replica migrates; the second starts once the schema is there.
  await replicas[0]!.start();
  await replicas[1]!.start();
  owner = postgres(pg.url, { max: 2, onnotice: () => {}, connection: { application_name: 'berth-chaos' } });
});
after(async () => {
  for (const replica of replicas) await replica.stop();
  await owner?.end({ timeout: 1 });
  await pg?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** What a writer was told about one attempt: settled (ok or refused) or ambiguous. */
interface Logged {
  readonly writer: number;
  readonly op: 'create' | 'update' | 'delete';
  readonly name: string;
  /** The update's label value, unique per attempt, so its event can be told apart. */
  readonly value?: string;
  readonly replica: string;
  readonly startedAt: number;
  readonly ms: number;
  readonly outcome: 'ok' | 'unchanged' | 'ambiguous';
  readonly detail: string;
}

const log: Logged[] = [];

/**
 * A failure that says nothing was changed: refused before running (admission, a refused
 * connection), or failed definitely inside its transaction. ALREADY_EXISTS and NOT_FOUND follow an
 * earlier ambiguous attempt that did or did not commit: this attempt itself changed nothing.
 */
function classify(answer: Attempt): Logged['outcome'] {
  if (answer.status === 200 && answer.code === undefined && answer.data) return 'ok';
  if (answer.networkError === 'ECONNREFUSED') return 'unchanged';
  if (answer.code === 'RESOURCE_EXHAUSTED' || answer.code === 'ALREADY_EXISTS' || answer.code === 'NOT_FOUND') return 'unchanged';
  if (answer.code === 'INTERNAL' && /nothing was changed/.test(answer.message ?? '')) return 'unchanged';
  return 'ambiguous';
}

let attempts = 0;
async function mutate(writer: number, op: Logged['op'], name: string, replica: Replica): Promise<Logged> {
  const value = op === 'update' ? `a${attempts++}` : undefined;
  const query =
    op === 'create'
      ? `mutation { createNamespace(input: { name: "${name}" }) { namespace { name } } }`
      : op === 'update'
        ? `mutation { updateNamespace(input: { name: "${name}", labels: [{ key: "attempt", value: "${value}" }] }) { namespace { name } } }`
        : `mutation { deleteNamespace(input: { name: "${name}" }) { name } }`;
  const startedAt = performance.now();
  const answer = await attempt(replica.url, query, 20_000);
  const entry: Logged = {
    writer,
    op,
    name,
    value,
    replica: replica.name,
    startedAt,
    ms: performance.now() - startedAt,
    outcome: classify(answer),
    detail: answer.networkError ?? `${answer.status} ${answer.code ?? ''} ${answer.message ?? ''}`,
  };
  log.push(entry);
  return entry;
}

/**
 * A writer's life: namespaces of its own, each created, updated three times and (every other
 * one) deleted, alternating replicas. A step is retried until it settles, as a client would; a
 * retried create or delete that finds its work already done (ALREADY_EXISTS, NOT_FOUND) settles.
 */
async function writer(w: number, stop: { now: boolean }): Promise<void> {
  let turn = w;
  for (let k = 0; !stop.now; k++) {
    const name = `w${w}-n${k}`;
    const steps: Logged['op'][] = ['create', 'update', 'update', 'update', ...(k % 2 === 0 ? (['delete'] as const) : [])];
    for (const op of steps) {
      for (;;) {
        const entry = await mutate(w, op, name, replicas[turn++ % replicas.length]!);
        if (entry.outcome === 'ok' || (entry.outcome === 'unchanged' && op !== 'update' && /ALREADY_EXISTS|NOT_FOUND/.test(entry.detail))) break;
        if (stop.now) return;
        await sleep(50);
      }
    }
  }
}

interface Followed {
  readonly cursors: string[];
  readonly disorder: string[];
  readonly reconnects: number;
}

/** A subscriber that resumes from its last cursor on the other replica whenever its stream ends. */
async function follower(first: number, start: string, done: { last: string | null }): Promise<Followed> {
  const cursors: string[] = [];
  const disorder: string[] = [];
  let cursor = start;
  let reconnects = 0;
  let deadline = Infinity;
  for (let turn = first; done.last === null || cursor < done.last; turn++) {
    if (done.last !== null && deadline === Infinity) deadline = Date.now() + RECOVERY_BOUND_MS;
    assert.ok(Date.now() < deadline, `a subscriber did not reach ${done.last} within ${RECOVERY_BOUND_MS} ms of the writers stopping (at ${cursor})`);
    const sub = subscribeEvents('ws', replicas[turn % replicas.length]!.url, { after: cursor, allNamespaces: true });
    for (;;) {
      // Wakes at least every second to notice that the writers are done and the log is in.
      const message = await Promise.race([sub.next(), sleep(1000).then(() => 'tick' as const)]);
      if (message === 'tick') {
        if (done.last !== null && cursor >= done.last) break;
        continue;
      }
      if (message === null || 'error' in message) break;
      if (message.event.cursor <= cursor) disorder.push(`${message.event.cursor} after ${cursor}`);
      cursor = message.event.cursor;
      cursors.push(cursor);
    }
    await sub.close(true);
    reconnects++;
    await sleep(100);
  }
  return { cursors, disorder, reconnects };
}

async function ready(replica: Replica): Promise<boolean> {
  try {
    const response = await fetch(replica.url.replace('/graphql', '/readyz'), { signal: AbortSignal.timeout(2000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

async function listenSessions(): Promise<number> {
  const [row] = await owner<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity where application_name = 'berth' and query ilike 'listen %'`;
  return row!.n;
}

/**
 * From `since`, how long until every replica is ready, acknowledges a write sent after the fault,
 * and delivers that write's event to a subscription opened on it just before (so its hub reads
 * again); then until every replica's LISTEN is back. The probe writes are checked like the rest.
 */
async function recovery(since: number, label: string, acceptedAt?: number): Promise<string> {
  const recovered = new Map<string, number>();
  while (recovered.size < replicas.length) {
    const stuck = replicas.filter((r) => !recovered.has(r.name));
    assert.ok(
      performance.now() - since < RECOVERY_BOUND_MS,
      `${label}: ${stuck.map((r) => `${r.name} not serving after ${RECOVERY_BOUND_MS} ms; its log ends:\n${r.logTail}`).join('\n')}`,
    );
    for (const replica of replicas) {
      if (recovered.has(replica.name) || !(await ready(replica))) continue;
      const from = await owner<{ last_seq: string }[]>`select last_seq from event_clock`.catch(() => null);
      if (!from) continue;
      const sub = subscribeEvents('ws', replica.url, { after: encodeEventCursor(BigInt(from[0]!.last_seq)), allNamespaces: true });
      const entry = await mutate(-1, 'update', 'probe', replica);
      const message = entry.outcome === 'ok' ? await Promise.race([sub.next(), sleep(5000).then(() => null)]) : null;
      await sub.close(true);
      if (message && 'event' in message) recovered.set(replica.name, performance.now() - since);
    }
    await sleep(50);
  }
  const servedAfter = Math.max(...recovered.values());
  for (;;) {
    const listening = await listenSessions().catch(() => 0);
    if (listening === replicas.length) break;
    assert.ok(performance.now() - since < RECOVERY_BOUND_MS, `${label}: ${listening} of ${replicas.length} LISTEN sessions after ${RECOVERY_BOUND_MS} ms`);
    await sleep(50);
  }
  const sinceAccepting = acceptedAt === undefined ? '' : ` (${((since + servedAfter - acceptedAt) / 1000).toFixed(2)} s after Postgres accepted connections)`;
  return `${label}: serving (write acknowledged, event delivered) after ${(servedAfter / 1000).toFixed(2)} s${sinceAccepting}, LISTEN back after ${((performance.now() - since) / 1000).toFixed(2)} s`;
}

/**
 * Runs a Postgres restart while polling replica A's /readyz every 25 ms, and says how soon it
 * turned 503 after the stop began and 200 after Postgres accepted connections again (then).
 */
async function readinessAround(restart: () => Promise<void>): Promise<{ line: string; acceptingAt: number }> {
  const seen: { at: number; ok: boolean }[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const ok = await ready(replicas[0]!);
      seen.push({ at: performance.now(), ok });
      await sleep(25);
    }
  })();
  const stoppedAt = performance.now();
  await restart();
  const acceptingAt = performance.now();
  while (!seen.some((s) => s.at >= acceptingAt && s.ok)) {
    assert.ok(performance.now() - acceptingAt < RECOVERY_BOUND_MS, `/readyz not 200 within ${RECOVERY_BOUND_MS} ms of Postgres accepting connections`);
    await sleep(25);
  }
  polling = false;
  await poller;
  const down = seen.find((s) => s.at >= stoppedAt && !s.ok);
  const up = seen.find((s) => s.at >= acceptingAt && s.ok)!;
  const line = `/readyz 503 ${down ? `${(down.at - stoppedAt).toFixed(0)} ms after the stop began` : 'never seen'}, 200 ${(up.at - acceptingAt).toFixed(0)} ms after Postgres accepted connections`;
  return { line, acceptingAt };
}

/** Two writers updating on replica B until `until`; their latencies, as a line for the report. */
async function writesOnB(until: number): Promise<string> {
  const writes: Logged[] = [];
  const onB = async () => {
    while (performance.now() < until) writes.push(await mutate(-1, 'update', 'probe', replicas[1]!));
  };
  await Promise.all([onB(), onB()]);
  const ms = writes.filter((e) => e.outcome === 'ok').map((e) => e.ms);
  return `${ms.length} of ${writes.length} acknowledged, p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

test('faults: every acknowledged change kept once and in order, every subscriber whole, no replica lost', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  assert.equal((await attempt(replicas[0]!.url, `mutation { createNamespace(input: { name: "probe" }) { namespace { name } } }`)).code, undefined);
  const [clock] = await owner<{ last_seq: string }[]>`select last_seq from event_clock`;
  const start = encodeEventCursor(BigInt(clock!.last_seq));
  const stop = { now: false };
  const done = { last: null as string | null };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w, stop));
  const followers = [follower(0, start, done), follower(1, start, done)];
  const report: string[] = [];
  await sleep(SETTLE_MS);

  // SIGKILL: no drain, no goodbye. A supervisor would start a new process; the test does.
  let since = performance.now();
  await replicas[1]!.kill();
  await sleep(500);
  await replicas[1]!.start();
  report.push(await recovery(since, 'SIGKILL of replica B, then a new process'));
  await sleep(SETTLE_MS);

  since = performance.now();
  const fastReadiness = await readinessAround(() => pg.restart('fast'));
  report.push(`${await recovery(since, 'Postgres restart, fast', fastReadiness.acceptingAt)}; ${fastReadiness.line}`);
  await sleep(SETTLE_MS);

  since = performance.now();
  const immediateReadiness = await readinessAround(() => pg.restart('immediate'));
  report.push(`${await recovery(since, 'Postgres restart, immediate', immediateReadiness.acceptingAt)}; ${immediateReadiness.line}`);
  await sleep(SETTLE_MS);

  since = performance.now();
  const terminated = await owner`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'berth'`;
  report.push(await recovery(since, `pg_terminate_backend of all ${terminated.count} Berth sessions`));
  await sleep(SETTLE_MS);

  // SIGSTOP: replica A holds whatever it held, silently. Replica B's writes must not wait on it:
  // the writers soon all wait on A, so two more write to B alone through the freeze. The same two
  // write to B for as long just before, so the machine's own latency is there to compare with.
  const before = await writesOnB(performance.now() + FREEZE_MS);
  const frozenFrom = performance.now();
  replicas[0]!.signal('SIGSTOP');
  const duringFreeze = await writesOnB(frozenFrom + FREEZE_MS);
  replicas[0]!.signal('SIGCONT');
  report.push(await recovery(frozenFrom, `SIGSTOP of replica A for ${FREEZE_MS / 1000} s`));
  report.push(`replica B's writes just before A froze: ${before}`);
  report.push(`replica B's writes while A was frozen: ${duringFreeze}`);
  await sleep(SETTLE_MS);

  stop.now = true;
  await Promise.all(writers);
  const [end] = await owner<{ last_seq: string }[]>`select last_seq from event_clock`;
  done.last = encodeEventCursor(BigInt(end!.last_seq));
  const followed = await Promise.all(followers);

  // No replica died that was not killed on purpose.
  assert.deepEqual(unexpectedExits, []);

  // The log: gapless, and each subscriber got exactly it, once, in order.
  const events = await owner<{ seq: string; topic: string; name: string; labels: Record<string, string> | null }[]>`
    select seq, topic, payload->>'name' as name, payload->'labels' as labels from events where seq > ${String(BigInt(clock!.last_seq))}::bigint order by seq`;
  events.forEach((e, i) => assert.equal(BigInt(e.seq), BigInt(clock!.last_seq) + BigInt(i + 1), `the event log has a gap before seq ${e.seq}`));
  const logCursors = events.map((e) => encodeEventCursor(BigInt(e.seq)));
  for (const [i, f] of followed.entries()) {
    assert.deepEqual(f.disorder, [], `subscriber ${i} received an event twice or out of order`);
    assert.deepEqual(f.cursors, logCursors, `subscriber ${i} received exactly the log`);
  }

  // Every attempt against the events it left: acknowledged → exactly one, in the writer's order;
  // ambiguous → at most one; unchanged → none.
  const seqOf = (entry: Logged): bigint[] =>
    events
      .filter((e) => e.topic === `/namespaces/${entry.op}` && e.name === entry.name && (entry.op !== 'update' || e.labels?.attempt === entry.value))
      .map((e) => BigInt(e.seq));
  const lastAcked = new Map<number, bigint>();
  const counts = { ok: 0, unchanged: 0, ambiguous: 0 };
  for (const entry of log) {
    const seqs = entry.op === 'update' ? seqOf(entry) : null;
    counts[entry.outcome]++;
    if (entry.op !== 'update') continue; // creates and deletes are checked per name below
    if (entry.outcome === 'ok') {
      assert.equal(seqs!.length, 1, `acknowledged ${JSON.stringify(entry)} has ${seqs!.length} events`);
      if (entry.writer >= 0) {
        assert.ok((lastAcked.get(entry.writer) ?? -1n) < seqs![0]!, `writer ${entry.writer}'s acknowledged changes are out of order at ${entry.value}`);
        lastAcked.set(entry.writer, seqs![0]!);
      }
    } else if (entry.outcome === 'unchanged') {
      assert.equal(seqs!.length, 0, `${JSON.stringify(entry)} said nothing was changed, yet has an event`);
    } else {
      assert.ok(seqs!.length <= 1, `ambiguous ${JSON.stringify(entry)} has ${seqs!.length} events`);
    }
  }
  for (const name of new Set(log.map((e) => e.name))) {
    for (const op of ['create', 'delete'] as const) {
      const tries = log.filter((e) => e.name === name && e.op === op);
      const found = events.filter((e) => e.topic === `/namespaces/${op}` && e.name === name).length;
      assert.ok(found <= 1, `${name} has ${found} ${op} events`);
      if (tries.some((e) => e.outcome === 'ok')) assert.equal(found, 1, `${name}'s acknowledged ${op} has no event`);
    }
  }

  // Every event beyond the acknowledged ones comes from an ambiguous attempt that committed.
  const ambiguousCommitted = events.length - counts.ok;
  assert.ok(
    ambiguousCommitted >= 0 && ambiguousCommitted <= counts.ambiguous,
    `${events.length} events for ${counts.ok} acknowledged and ${counts.ambiguous} ambiguous attempts`,
  );

  // Replaying the log gives the table: an event exists exactly when its change does.
  const replayed = new Map<string, Record<string, string>>();
  for (const e of events) {
    if (e.topic === '/namespaces/delete') replayed.delete(e.name);
    else replayed.set(e.name, e.labels ?? {});
  }
  const table = await owner<{ name: string; labels: Record<string, string> }[]>`select name, labels from namespaces where name like 'w%-n%'`;
  const written = [...replayed].filter(([name]) => name !== 'probe').sort(([a], [b]) => a.localeCompare(b));
  assert.deepEqual(
    table.map((row) => [row.name, row.labels] as const).sort(([a], [b]) => a.localeCompare(b)),
    written,
    'the namespaces table is exactly what the event log says',
  );

  t.diagnostic(
    `${log.length} attempts: ${counts.ok} acknowledged, ${counts.unchanged} refused or failed with nothing changed, ${counts.ambiguous} ambiguous (${ambiguousCommitted} of those committed); ${events.length} events`,
  );
  t.diagnostic(`subscribers reconnected ${followed.map((f) => f.reconnects).join(' and ')} times`);
  for (const line of report) t.diagnostic(line);
});
