/** Labels on the command line and in output, as ctr reads and prints them (docs/behaviour.md §8). */

export interface Label {
  readonly key: string;
  readonly value: string;
}

/**
 * ctr's LabelArgs: `k=v` is split at the first `=`, a bare `k` means `k=true`, and `k=` is the
 * empty value, which deletes the label on update. A key given twice keeps its last value, as in
 * the Go map ctr builds.
 */
export function labelArgs(args: readonly string[]): Label[] {
  const labels = new Map<string, string>();
  for (const arg of args) {
    const at = arg.indexOf('=');
    labels.set(at < 0 ? arg : arg.slice(0, at), at < 0 ? 'true' : arg.slice(at + 1));
  }
  return [...labels].map(([key, value]) => ({ key, value }));
}

/**
 * `k=v` pairs joined by `,`. The pairs are sorted byte-wise as whole strings, as Go's
 * sort.Strings sorts them in `ctr namespaces list` (so `a.b=1` comes before `a=2`). ctr's
 * `containers label` prints Go map order, which is random; berth sorts it the same way.
 */
export function labelPairs(labels: readonly Label[]): string {
  return labels
    .map(({ key, value }) => `${key}=${value}`)
    .sort(byteOrder)
    .join(',');
}

/** Byte-wise order of the UTF-8 encodings: Go's string order (sort.Strings, sorted map keys). */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
