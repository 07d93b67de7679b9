import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LatencySummary } from './stats.ts';

export type Status = 'ok' | 'skipped' | 'failed';

/** CPU (user + system) each process used during the scenario, warm-up included. */
export interface CpuSeconds {
  readonly server: number;
  readonly load: number;
}

/** The server's figure divided by a driver-side baseline's, from the same run. */
export interface Ratios {
  readonly throughput: number;
  readonly p50: number | null;
  readonly p99: number | null;
}

/** One row of the report. Throughput rows carry ops/latency; the others carry `details`. */
export interface ScenarioReport {
  readonly scenario: string;
  readonly status: Status;
  readonly reason?: string;
  readonly ops?: number;
  readonly errors?: number;
  readonly seconds?: number;
  readonly opsPerSec?: number;
  readonly latencyMs?: LatencySummary;
  /** Server ÷ baseline: throughput below 1 and latencies above 1 are what the API layers cost. */
  readonly vsBaseline?: Ratios;
  /** Server ÷ raw (one plain statement, no scope, no event): what the whole design costs. */
  readonly vsRaw?: Ratios;
  /** The server's peak VmRSS while this scenario ran (null for scenarios that do not touch it). */
  readonly serverPeakRssBytes?: number | null;
  readonly cpuSeconds?: CpuSeconds;
  readonly firstError?: string;
  /** Notes for the table's last column. */
  readonly notes?: string;
  readonly details?: Record<string, unknown>;
}

export interface BenchReport {
  readonly version: 1;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly command: string;
  readonly options: Record<string, unknown>;
  readonly environment: Record<string, unknown>;
  readonly seed: Record<string, unknown>;
  /** The server process's peak resident set (VmHWM) over the whole run, and its RSS at the end. */
  readonly server: { readonly peakRssBytes: number; readonly finalRssBytes: number };
  readonly scenarios: readonly ScenarioReport[];
}

const MiB = 1024 * 1024;
const fixed = (value: number | null | undefined, digits = 1) => (value == null ? '-' : value.toFixed(digits));
const ratio = (value: number | null | undefined) => (value == null ? '-' : `${value.toFixed(2)}x`);

export function table(report: BenchReport): string {
  const header = ['scenario', 'status', 'ops/s', 'p50 ms', 'p99 ms', 'errors', 'ops/s vs base', 'p50 vs base', 'server RSS MiB', 'CPU s srv/load', 'notes'];
  const rows = report.scenarios.map((s) => [
    s.scenario,
    s.status,
    fixed(s.opsPerSec, 0),
    fixed(s.latencyMs?.p50, 2),
    fixed(s.latencyMs?.p99, 2),
    s.errors == null ? '-' : String(s.errors),
    ratio(s.vsBaseline?.throughput),
    ratio(s.vsBaseline?.p50),
    s.serverPeakRssBytes == null ? '-' : fixed(s.serverPeakRssBytes / MiB, 0),
    s.cpuSeconds ? `${fixed(s.cpuSeconds.server)}/${fixed(s.cpuSeconds.load)}` : '-',
    s.status === 'ok' ? (s.notes ?? '') : (s.reason ?? s.notes ?? ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const numeric = new Set([2, 3, 4, 5, 6, 7, 8, 9]);
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? Math.min(w, 40) : w)).join('  ');
  const footer = [
    `seed: ${report.seed.rows} containers in ${fixed(report.seed.seconds as number)} s; server peak RSS (VmHWM) over the run: ${fixed(report.server.peakRssBytes / MiB, 0)} MiB`,
    `vs base = server / baseline (the same SQL through postgres.js, no GraphQL or HTTP): ops/s below 1x and latency above 1x are the API's cost`,
  ];
  return [line(header), rule, ...rows.map(line), '', ...footer].join('\n');
}

/** The operations compared with other stores (--peer-shapes), as the comparison names them. */
const OPERATIONS: Readonly<Record<string, string>> = {
  get: 'get one container (every field)',
  list: 'list 100 by label (1 in 10 match)',
  create: 'create',
  update: 'update one label',
  delete: 'delete',
};

function operationLabel(s: ScenarioReport): string | undefined {
  const scale = /^scale(?: c(\d+))?$/.exec(s.scenario);
  if (scale) return `list by bucket (1 in 10,000) at ${s.details?.n ?? '?'} containers, ${scale[1] ?? 1} client(s)`;
  return OPERATIONS[s.scenario];
}

/**
 * One line per operation that ran, in run order: Berth beside its scoped baseline and its raw
 * baseline, and the two throughput ratios. Empty when no operation ran.
 */
export function operationsTable(report: BenchReport): string {
  const byName = new Map(report.scenarios.map((s) => [s.scenario, s]));
  const operations = report.scenarios.flatMap((s) => {
    const label = operationLabel(s);
    return label ? [[s.scenario, label] as const] : [];
  });
  if (operations.length === 0) return '';
  const okFigure = (s: ScenarioReport | undefined, pick: (s: ScenarioReport) => number | null | undefined, digits: number) =>
    s && s.status === 'ok' ? fixed(pick(s), digits) : s ? s.status : '-';
  const header = ['operation', 'Berth ops/s', 'p99 ms', 'baseline ops/s', 'p99 ms', 'raw ops/s', 'p99 ms', 'Berth/baseline', 'Berth/raw'];
  const rows = operations.map(([name, label]) => {
    const berth = byName.get(name);
    const base = byName.get(`baseline ${name}`);
    const raw = byName.get(`raw ${name}`);
    return [
      label,
      okFigure(berth, (s) => s.opsPerSec, 0),
      okFigure(berth, (s) => s.latencyMs?.p99, 1),
      okFigure(base, (s) => s.opsPerSec, 0),
      okFigure(base, (s) => s.latencyMs?.p99, 1),
      okFigure(raw, (s) => s.opsPerSec, 0),
      okFigure(raw, (s) => s.latencyMs?.p99, 1),
      ratio(berth?.vsBaseline?.throughput),
      ratio(berth?.vsRaw?.throughput),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const { n, concurrency, warmup, duration } = report.options as { n: number; concurrency: number; warmup: number; duration: number };
  return [
    `operations: ${n} containers, ${concurrency} clients, ${warmup} s warm-up, ${duration} s window; HTTP POST (autocannon) for Berth`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    "baseline = the store's own SQL through postgres.js (transaction, scoping set_configs, event append, NOTIFY): Berth/baseline is what GraphQL and HTTP cost",
    'raw = one plain statement through postgres.js (no transaction, no scope, no event): Berth/raw is what the whole design costs',
  ].join('\n');
}

export async function writeReport(report: BenchReport, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(report, null, 2) + '\n');
}

/** bench/results/2026-11-28T06-10-29Z.json */
export function resultFileName(startedAt: Date): string {
  return `${startedAt
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-')}.json`;
}
