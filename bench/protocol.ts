import type { LatencySummary } from './stats.ts';

/**
 * What the orchestrator (bench/main.ts) and the load process (bench/load-worker.ts) say to each
 * other over the IPC channel. Plain JSON: one job at a time, answered by one result.
 */

export type HttpScenario = 'get' | 'list' | 'create' | 'update' | 'delete' | 'scale';
export type BaselineOp = 'get' | 'list' | 'create' | 'update' | 'scale';
export type RawOp = 'get' | 'list' | 'create' | 'update' | 'delete' | 'scale';

interface TimedJob {
  /** Concurrent connections (HTTP) or concurrent loops (baseline). */
  readonly concurrency: number;
  readonly duration: number;
  /** Unmeasured seconds first, so JIT and caches are warm when the clock starts. */
  readonly warmup: number;
  /** Seeded containers: get and update pick ids from the lower half, which delete never touches. */
  readonly n: number;
  /** Makes the ids a job creates unique in this run. */
  readonly tag: string;
}

export interface HttpJob extends TimedJob {
  readonly kind: 'http';
  readonly scenario: HttpScenario;
  readonly url: string;
  /** delete only: ids to delete, in order, before it starts on seeded ids (from the top down). */
  readonly deleteIds?: readonly string[];
}

export interface BaselineJob extends TimedJob {
  readonly kind: 'baseline';
  readonly op: BaselineOp;
  readonly databaseUrl: string;
  /** The server's pool size, so both sides queue on the same number of connections. */
  readonly poolSize: number;
}

/** One plain statement per operation: no transaction, no scope, no event (bench/raw-baseline.ts). */
export interface RawJob extends TimedJob {
  readonly kind: 'raw';
  readonly op: RawOp;
  readonly databaseUrl: string;
  readonly poolSize: number;
  /** delete only: the rows raw create made, which it deletes first (bench/raw-baseline.ts rawDelete). */
  readonly deleteIds?: readonly string[];
}

export interface FanoutJob {
  readonly kind: 'fanout';
  readonly url: string;
  readonly subscribers: number;
  readonly rate: number;
  readonly duration: number;
  readonly tag: string;
  /** After the last mutation: once no delivery has arrived for this long, what is missing is missed. */
  readonly drainSeconds: number;
}

export interface IdleJob {
  readonly kind: 'idle-subscribers';
  readonly url: string;
  readonly subscribers: number;
}

export type Job = HttpJob | BaselineJob | RawJob | FanoutJob | IdleJob;

/** Closed-loop throughput: successful operations and their latency over the measured window. */
export interface ThroughputResult {
  readonly ops: number;
  readonly errors: number;
  readonly seconds: number;
  readonly latency: LatencySummary;
  /** The first failure seen, to make a nonzero error count explainable. */
  readonly firstError?: string;
  /** create only: the ids it made, for delete to consume. */
  readonly createdIds?: readonly string[];
  /** The operation ran out of work (rows to delete) before its time was up; `seconds` is how long it lasted. */
  readonly exhausted?: boolean;
  /** raw delete only: rows inserted for it after the warm-up, to last the window. */
  readonly addedRows?: number;
}

export type Skipped = { readonly skipped: string };

export interface FanoutResult {
  readonly subscribers: number;
  readonly connectSeconds: number;
  readonly mutations: number;
  readonly mutationErrors: number;
  readonly seconds: number;
  /** Expected deliveries: successful mutations × subscribers. */
  readonly expected: number;
  readonly delivered: number;
  readonly missed: number;
  readonly duplicates: number;
  /** Subscriptions the server ended with an error (closed, overflowed, refused). */
  readonly deadSubscriptions: number;
  /** From just before the mutation request is sent to the subscriber's receipt. */
  readonly endToEnd: LatencySummary;
  /** From the event's own timestamp (appended at commit, clock_timestamp()) to the receipt. */
  readonly timestampLag: LatencySummary;
  readonly firstError?: string;
  readonly errorSamples?: readonly string[];
}

export interface IdleResult {
  readonly requested: number;
  readonly connected: number;
  readonly failed: number;
  readonly connectSeconds: number;
  readonly firstError?: string;
}

export type JobResult = ThroughputResult | FanoutResult | IdleResult | Skipped;

export type ToWorker = { readonly type: 'job'; readonly job: Job } | { readonly type: 'release' };

export type FromWorker =
  | { readonly type: 'progress'; readonly text: string }
  /** idle-subscribers: every subscriber is connected; the orchestrator measures, then sends release. */
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly result: JobResult }
  | { readonly type: 'failed'; readonly message: string };
