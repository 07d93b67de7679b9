import { LIST_FILTER } from './fixtures.ts';
import type { LoadProcess } from './load.ts';
import type { Options, Scenario } from './options.ts';
import type { Progress } from './progress.ts';
import type { BaselineJob, BaselineOp, FanoutResult, HttpScenario, IdleResult, JobResult, RawJob, RawOp, Skipped, ThroughputResult } from './protocol.ts';
import { growTo, type SeedStats } from './seed.ts';
import { cpuSecondsOf } from './proc.ts';
import type { CpuSeconds, Ratios, ScenarioReport } from './report.ts';
import { runFreeze } from './scenarios/freeze.ts';
import { ServerProcess } from './server.ts';

export interface RunContext {
  readonly options: Options;
  readonly server: ServerProcess;
  readonly load: LoadProcess;
  readonly databaseUrl: string;
  readonly progress: Progress;
  /** Unique per run, for the ids the scenarios create. */
  readonly tag: string;
  /** Aborted on SIGINT/SIGTERM: no further scenario starts while the run is being torn down. */
  readonly signal: AbortSignal;
}

/** src/db/pool.ts createPool's default, which src/server/database.ts uses: the baseline gets the same. */
const SERVER_POOL_SIZE = 10;
const BASELINE_OPS: readonly BaselineOp[] = ['get', 'list', 'create', 'update'];
const RAW_OPS: readonly RawOp[] = ['get', 'list', 'create', 'update', 'delete']; // scale runs its own, in scale()
const GiB = 1024 ** 3;

const NOTES: Record<HttpScenario, string> = {
  get: 'container(id), every field',
  list: `containers(filters: ["${LIST_FILTER}"], first: 100)`,
  create: 'createContainer, 5 labels',
  update: 'setContainerLabels, one label',
  delete: 'deleteContainer',
  scale: '',
};

const RAW_NOTES: Record<RawOp, string> = {
  get: 'one select * by key, autocommit',
  list: `one select * where labels @> {app: db} order by id limit 101`,
  create: 'one insert, no event',
  update: 'one update labels = labels || {k: v} by key, no event',
  delete: 'one delete by key, no event',
  scale: 'one select * where labels @> {bucket: b<random>} order by id limit 101',
};

/**
 * Runs the selected scenarios in a fixed order. Each operation's baselines run right after its
 * server scenario (the scoped baseline, then the raw one), so all three see the same table and as
 * similar a machine as a shared box allows; delete runs after create and consumes what create
 * made, and raw delete what raw create made.
 */
export async function runScenarios(ctx: RunContext): Promise<ScenarioReport[]> {
  const selected = new Set(ctx.options.scenarios);
  const baselineOps = driverOps(selected, 'baseline', BASELINE_OPS);
  const rawOps = driverOps(selected, 'raw', RAW_OPS);
  const reports: ScenarioReport[] = [];
  let createdIds: readonly string[] = [];
  let rawCreatedIds: readonly string[] = [];

  for (const op of ['get', 'list', 'create', 'update', 'delete'] as const) {
    if (selected.has(op)) {
      const report = await attempt(ctx, op, async () => {
        const result = (await job(
          ctx,
          op,
          { kind: 'http', scenario: op, url: ctx.server.url, ...timed(ctx), ...(op === 'delete' ? { deleteIds: createdIds } : {}) },
          true,
        )) as Measured<ThroughputResult>;
        if (op === 'create') createdIds = result.createdIds ?? [];
        return throughputReport(op, result, NOTES[op]);
      });
      reports.push(report);
    }
    if ((baselineOps as readonly string[]).includes(op)) {
      const spec = { kind: 'baseline', op: op as BaselineOp, databaseUrl: ctx.databaseUrl, poolSize: SERVER_POOL_SIZE, ...timed(ctx) } as const;
      reports.push(await driverJob(ctx, `baseline ${op}`, spec, `postgres.js, pool of ${SERVER_POOL_SIZE}`));
    }
    if ((rawOps as readonly string[]).includes(op)) {
      const spec = {
        kind: 'raw',
        op: op as RawOp,
        databaseUrl: ctx.databaseUrl,
        poolSize: SERVER_POOL_SIZE,
        ...timed(ctx),
        ...(op === 'delete' ? { deleteIds: rawCreatedIds } : {}),
      } as const;
      reports.push(
        await driverJob(ctx, `raw ${op}`, spec, RAW_NOTES[op as RawOp], (result) => {
          if (op === 'create') rawCreatedIds = result.createdIds ?? [];
        }),
      );
    }
  }
  if (selected.has('fanout')) reports.push(await attempt(ctx, 'fanout', () => fanout(ctx)));
  if (selected.has('idle-subscribers')) reports.push(await attempt(ctx, 'idle-subscribers', () => idleSubscribers(ctx)));
  if (selected.has('scale')) reports.push(...(await scale(ctx)));
  if (selected.has('freeze')) reports.push(await attempt(ctx, 'freeze', () => freeze(ctx)));
  return withDriverRatios(reports);
}

/** A driver-side baseline's operations: those of the selected server scenarios, or all if none is selected. */
function driverOps<Op extends string>(selected: ReadonlySet<string>, name: Scenario, ops: readonly Op[]): readonly Op[] {
  if (!selected.has(name)) return [];
  const picked = ops.filter((op) => selected.has(op));
  return picked.length > 0 ? picked : ops;
}

/** A baseline or raw job, run from the load process straight against Postgres: no server RSS to sample. */
function driverJob(
  ctx: RunContext,
  name: string,
  spec: BaselineJob | RawJob,
  notes: string,
  onResult?: (result: ThroughputResult) => void,
): Promise<ScenarioReport> {
  return attempt(ctx, name, async () => {
    const result = (await job(ctx, name, spec, false)) as Measured<ThroughputResult>;
    onResult?.(result);
    const added = result.addedRows ? `; deleted raw create's rows, then ${result.addedRows} added in bulk after the warm-up` : '';
    const ranOut = result.exhausted ? `; ran out of rows after ${result.seconds.toFixed(1)} s` : '';
    return { ...throughputReport(name, result, notes + added + ranOut), serverPeakRssBytes: null };
  });
}

const timed = (ctx: RunContext) => ({
  concurrency: ctx.options.concurrency,
  duration: ctx.options.duration,
  warmup: ctx.options.warmup,
  n: ctx.options.n,
  tag: ctx.tag,
});

type Measured<T> = T & { readonly serverPeakRssBytes: number; readonly cpuSeconds: CpuSeconds };

/**
 * Sends one job to the load process, with a progress line, sampling the server's RSS meanwhile
 * and noting the CPU both processes used: on a shared machine that tells who was the bottleneck.
 */
async function job(
  ctx: RunContext,
  name: string,
  spec: Parameters<LoadProcess['run']>[0],
  sample: boolean,
  ready?: () => Promise<void>,
): Promise<Measured<JobResult>> {
  if (!ctx.server.alive) throw new Error(`the server is not running:\n${ctx.server.recentOutput}`);
  const cpuBefore = { server: ctx.server.cpuSeconds(), load: cpuSecondsOf(ctx.load.pid) };
  if (sample) ctx.server.beginWindow();
  try {
    const result = await ctx.load.run(spec, { progress: (text) => ctx.progress.update(name, text), ...(ready ? { ready } : {}) });
    const cpuSeconds = { server: round(ctx.server.cpuSeconds() - cpuBefore.server), load: round(cpuSecondsOf(ctx.load.pid) - cpuBefore.load) };
    return { ...result, serverPeakRssBytes: sample ? ctx.server.endWindow() : 0, cpuSeconds };
  } finally {
    if (sample) ctx.server.endWindow();
  }
}

async function attempt(ctx: RunContext, name: string, run: () => Promise<ScenarioReport>): Promise<ScenarioReport> {
  let report: ScenarioReport;
  ctx.signal.throwIfAborted();
  try {
    report = await run();
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    report = { scenario: name, status: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
  const summary =
    report.status !== 'ok'
      ? `${report.status}: ${report.reason ?? ''}`
      : report.opsPerSec !== undefined
        ? `${report.opsPerSec.toFixed(0)} ops/s, p50 ${report.latencyMs?.p50 ?? '-'} ms, p99 ${report.latencyMs?.p99 ?? '-'} ms, ${report.errors ?? 0} errors`
        : (report.notes ?? 'ok');
  ctx.progress.done(name, summary.split('\n')[0]!);
  return report;
}

function throughputReport(name: string, r: Measured<ThroughputResult>, notes: string): ScenarioReport {
  return {
    scenario: name,
    status: r.ops > 0 ? 'ok' : 'failed',
    ...(r.ops > 0 ? {} : { reason: r.firstError ?? 'no operation succeeded' }),
    ops: r.ops,
    errors: r.errors,
    seconds: round(r.seconds),
    opsPerSec: round(r.ops / r.seconds),
    latencyMs: r.latency,
    serverPeakRssBytes: r.serverPeakRssBytes,
    cpuSeconds: r.cpuSeconds,
    notes,
    ...(r.firstError ? { firstError: r.firstError } : {}),
  };
}

async function fanout(ctx: RunContext): Promise<ScenarioReport> {
  const { subscribers, rate, duration } = ctx.options;
  const drainSeconds = ctx.options.quick ? 5 : 10;
  const result = await job(ctx, 'fanout', { kind: 'fanout', url: ctx.server.url, subscribers, rate, duration, tag: ctx.tag, drainSeconds }, true);
  if ('skipped' in result) return skipped('fanout', result);
  const r = result as Measured<FanoutResult>;
  const problems = [
    r.missed > 0 ? `${r.missed} missed events` : '',
    r.duplicates > 0 ? `${r.duplicates} duplicate events` : '',
    r.deadSubscriptions > 0 ? `${r.deadSubscriptions} subscriptions ended with an error` : '',
    r.subscribers < subscribers ? `${subscribers - r.subscribers} subscribers failed to connect` : '',
    r.mutations === 0 ? 'no mutation succeeded' : '',
  ].filter(Boolean);
  return {
    scenario: 'fanout',
    status: problems.length === 0 ? 'ok' : 'failed',
    ...(problems.length > 0 ? { reason: `${problems.join(', ')}${r.firstError ? ` (${r.firstError})` : ''}` } : {}),
    ops: r.mutations,
    errors: r.mutationErrors,
    seconds: round(r.seconds),
    opsPerSec: round(r.mutations / r.seconds),
    // The issue's measure: commit to client. The event's timestamp is clock_timestamp() at its
    // append, the transaction's last statement before COMMIT, so this errs on the long side.
    latencyMs: r.timestampLag,
    serverPeakRssBytes: r.serverPeakRssBytes,
    cpuSeconds: r.cpuSeconds,
    notes:
      `${r.subscribers} subscribers at ${rate} mutations/s: ${Math.round(r.delivered / r.seconds)} deliveries/s, missed ${r.missed}, ` +
      `latency from commit (event timestamp); from sending the mutation: p50/p99 ${r.endToEnd.p50 ?? '-'}/${r.endToEnd.p99 ?? '-'} ms`,
    ...(r.firstError ? { firstError: r.firstError } : {}),
    details: {
      ...r,
      serverPeakRssBytes: undefined,
      cpuSeconds: undefined,
      drainSeconds,
      latencyIs:
        'commit → the subscriber receives the event, timed from the event timestamp (taken just before COMMIT); details.endToEnd times from just before the mutation request is sent',
    },
  };
}

async function idleSubscribers(ctx: RunContext): Promise<ScenarioReport> {
  const before = ctx.server.memory();
  let after = before;
  const settleMs = ctx.options.quick ? 1000 : 3000;
  const result = await job(
    ctx,
    'idle-subscribers',
    { kind: 'idle-subscribers', url: ctx.server.url, subscribers: ctx.options.idleSubscribers },
    true,
    async () => {
      ctx.progress.update('idle-subscribers', `all connected; letting the server settle for ${settleMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      after = ctx.server.memory();
    },
  );
  if ('skipped' in result) return skipped('idle-subscribers', result);
  // And once they are gone: memory that does not come back hints at a leak (or a grown heap).
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const afterClose = ctx.server.memory();
  const r = result as Measured<IdleResult>;
  const delta = after.rss - before.rss;
  const withinTarget = after.rss <= GiB;
  const problems = [
    r.failed > 0 ? `${r.failed} of ${r.requested} subscribers failed${r.firstError ? ` (${r.firstError})` : ''}` : '',
    withinTarget ? '' : 'RSS above the 1 GiB target',
  ].filter(Boolean);
  const MiB = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);
  return {
    scenario: 'idle-subscribers',
    status: problems.length === 0 ? 'ok' : 'failed',
    ...(problems.length > 0 ? { reason: problems.join(', ') } : {}),
    serverPeakRssBytes: r.serverPeakRssBytes,
    cpuSeconds: r.cpuSeconds,
    notes:
      `${r.connected} idle subscribers: RSS ${MiB(before.rss)} -> ${MiB(after.rss)} MiB (${r.connected ? (delta / r.connected / 1024).toFixed(1) : '-'} KiB each), ` +
      `${MiB(afterClose.rss)} MiB after they closed; target <= 1 GiB: ${withinTarget ? 'met' : 'MISSED'}`,
    details: {
      ...r,
      rssBeforeBytes: before.rss,
      rssAfterBytes: after.rss,
      rssAfterCloseBytes: afterClose.rss,
      rssDeltaBytes: delta,
      bytesPerSubscriber: r.connected ? Math.round(delta / r.connected) : null,
      targetBytes: GiB,
      withinTarget,
      serverPeakRssBytes: undefined,
      cpuSeconds: undefined,
    },
  };
}

/**
 * The list scenario over a big table with a selective filter. Run twice, each beside its raw-driver
 * baseline: by one client, which measures what a query costs (its latency is the target), and by
 * --concurrency clients, which measures throughput (there latency is mostly queueing: 32 clients
 * share two cores).
 */
async function scale(ctx: RunContext): Promise<ScenarioReport[]> {
  const { n, scaleN, concurrency } = ctx.options;
  let growth: SeedStats | null = null;
  if (scaleN > n) {
    try {
      growth = await growTo(ctx.databaseUrl, n, scaleN, (done, total) =>
        ctx.progress.update('scale', `growing to ${scaleN} containers: ${done}/${total} added`),
      );
    } catch (error) {
      return [await attempt(ctx, 'scale', () => Promise.reject(error))];
    }
  }
  const reports: ScenarioReport[] = [];
  for (const clients of [...new Set([1, concurrency])]) {
    const name = clients === 1 ? 'scale' : `scale c${clients}`;
    const spec = { ...timed(ctx), concurrency: clients, n: scaleN };
    reports.push(
      await attempt(ctx, name, async () => {
        const result = (await job(ctx, name, { kind: 'http', scenario: 'scale', url: ctx.server.url, ...spec }, true)) as Measured<ThroughputResult>;
        const notes = `list at ${Math.max(n, scaleN)} containers by ${clients} client(s), filter labels.bucket==b<random> (1 in 10,000), first: 100`;
        return { ...throughputReport(name, result, notes), details: { n: Math.max(n, scaleN), concurrency: clients, growth } };
      }),
      await driverJob(
        ctx,
        `baseline ${name}`,
        { kind: 'baseline', op: 'scale', databaseUrl: ctx.databaseUrl, poolSize: SERVER_POOL_SIZE, ...spec },
        `postgres.js, pool of ${SERVER_POOL_SIZE}`,
      ),
      await driverJob(ctx, `raw ${name}`, { kind: 'raw', op: 'scale', databaseUrl: ctx.databaseUrl, poolSize: SERVER_POOL_SIZE, ...spec }, RAW_NOTES.scale),
    );
  }
  return reports;
}

/** The freeze target: the healthy replica's write p99 while the other is stopped. */
const FREEZE_TARGET_MS = 100;

/**
 * A second replica on the same database, both taking writes; the second is frozen (SIGSTOP) for 3 s
 * while the first one's write latency is measured (bench/scenarios/freeze.ts).
 */
async function freeze(ctx: RunContext): Promise<ScenarioReport> {
  const frozen = await ServerProcess.start(ctx.databaseUrl);
  try {
    ctx.server.beginWindow();
    const cpuBefore = ctx.server.cpuSeconds();
    ctx.progress.update('freeze', `second replica pid ${frozen.pid}; writing to both, then freezing it for 3 s`);
    const r = await runFreeze({ healthy: ctx.server, frozen, writers: ctx.options.concurrency, freezeSeconds: 3, n: ctx.options.n });
    const peak = ctx.server.endWindow();
    const met = r.during.p99 !== null && r.during.p99 < FREEZE_TARGET_MS;
    return {
      scenario: 'freeze',
      status: r.duringOps > 0 ? 'ok' : 'failed',
      ...(r.duringOps > 0 ? {} : { reason: r.firstError ?? 'no write succeeded during the freeze' }),
      ops: r.duringOps,
      errors: r.errors,
      seconds: 3,
      opsPerSec: round(r.duringOps / 3),
      latencyMs: r.during,
      serverPeakRssBytes: peak,
      cpuSeconds: { server: round(ctx.server.cpuSeconds() - cpuBefore), load: 0 },
      notes: `healthy replica's setContainerLabels while the other is SIGSTOPped 3 s (${ctx.options.concurrency} writers each); p99 before ${r.before.p99 ?? '-'} ms; target < ${FREEZE_TARGET_MS} ms: ${met ? 'met' : 'MISSED'}`,
      ...(r.firstError ? { firstError: r.firstError } : {}),
      details: { before: r.before, during: r.during, targetMs: FREEZE_TARGET_MS, met },
    };
  } finally {
    await frozen.stop();
  }
}

function skipped(scenario: string, result: Skipped): ScenarioReport {
  return { scenario, status: 'skipped', reason: result.skipped };
}

/** Server ÷ baseline and server ÷ raw, for each operation that has those rows. */
function withDriverRatios(reports: ScenarioReport[]): ScenarioReport[] {
  const ratios = (report: ScenarioReport, prefix: string): Ratios | undefined => {
    const floor = reports.find((other) => other.scenario === `${prefix} ${report.scenario}`);
    if (!floor || report.status !== 'ok' || floor.status !== 'ok' || !report.opsPerSec || !floor.opsPerSec) return undefined;
    const latencyRatio = (server: number | null | undefined, base: number | null | undefined) => (server != null && base ? round(server / base) : null);
    return {
      throughput: round(report.opsPerSec / floor.opsPerSec),
      p50: latencyRatio(report.latencyMs?.p50, floor.latencyMs?.p50),
      p99: latencyRatio(report.latencyMs?.p99, floor.latencyMs?.p99),
    };
  };
  return reports.map((report) => {
    const vsBaseline = ratios(report, 'baseline');
    const vsRaw = ratios(report, 'raw');
    return { ...report, ...(vsBaseline ? { vsBaseline } : {}), ...(vsRaw ? { vsRaw } : {}) };
  });
}

const round = (value: number) => Math.round(value * 1000) / 1000;
