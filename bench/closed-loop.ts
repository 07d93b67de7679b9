import type { ThroughputResult } from './protocol.ts';
import { Latencies } from './stats.ts';

/** What a baseline job needs to know to time itself: the same fields as every timed job. */
interface Timing {
  readonly concurrency: number;
  readonly warmup: number;
  readonly duration: number;
}

/**
 * The driver-side baselines' load: an unmeasured warm-up, then the measured window, both with
 * `concurrency` loops. `exhausted` ends both early once an operation has nothing left to work on
 * (the raw delete, which deletes a fixed supply of rows): the result then says so, and its
 * `seconds` are the time the supply lasted.
 */
export async function warmThenMeasure(
  op: () => Promise<unknown>,
  timing: Timing,
  progress: (text: string) => void,
  exhausted: () => boolean = () => false,
): Promise<ThroughputResult> {
  if (timing.warmup > 0) await closedLoop(op, timing.concurrency, timing.warmup, exhausted, (s) => progress(`warming up ${s}/${timing.warmup} s`));
  return closedLoop(op, timing.concurrency, timing.duration, exhausted, (s, ok, errors) => progress(`${s}/${timing.duration} s, ${ok} ok, ${errors} errors`));
}

/** `concurrency` loops, each running one operation after another until the time (or the work) is up. */
export async function closedLoop(
  op: () => Promise<unknown>,
  concurrency: number,
  seconds: number,
  exhausted: () => boolean,
  progress: (elapsed: number, ok: number, errors: number) => void,
): Promise<ThroughputResult> {
  const latencies = new Latencies();
  let ok = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let elapsed = 0;
  const ticker = setInterval(() => progress(++elapsed, ok, errors), 1000);
  const loop = async () => {
    while (performance.now() < deadline && !exhausted()) {
      const t0 = performance.now();
      try {
        await op();
        latencies.record(performance.now() - t0);
        ok++;
      } catch (error) {
        errors++;
        firstError ??= String(error instanceof Error ? error.message : error).slice(0, 500);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    clearInterval(ticker);
  }
  return {
    ops: ok,
    errors,
    seconds: (performance.now() - started) / 1000,
    latency: latencies.summary(),
    ...(firstError ? { firstError } : {}),
    ...(exhausted() ? { exhausted: true } : {}),
  };
}
