/**
 * Latency samples in milliseconds. Every sample is kept (a Float64Array that doubles), so
 * percentiles are exact rather than bucketed: even the fan-out's million deliveries are 8 MB.
 * The HTTP scenarios and the baseline both record here, so their percentiles are computed alike.
 */
export class Latencies {
  private samples = new Float64Array(1024);
  private size = 0;

  record(ms: number): void {
    if (this.size === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.size++] = ms;
  }

  get count(): number {
    return this.size;
  }

  summary(): LatencySummary {
    if (this.size === 0) return { count: 0, p50: null, p99: null, mean: null, max: null };
    const sorted = this.samples.slice(0, this.size).sort();
    let sum = 0;
    for (const value of sorted) sum += value;
    return { count: this.size, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: round(sum / this.size), max: round(sorted[this.size - 1]!) };
  }
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly mean: number | null;
  readonly max: number | null;
}

/** Nearest-rank percentile of a sorted array. */
function percentile(sorted: Float64Array, q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return round(sorted[rank - 1]!);
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
