/**
 * Go's text/tabwriter for the way ctr uses it: every cell is tab-terminated (ctr writes
 * "a\tb\tc\t\n"), the pad character is a space and no flags are set. Then all the lines form one
 * column block, each column is as wide as its widest cell plus `padding` (at least `minwidth`),
 * and every cell, the last one included, is padded to that width: each line ends in spaces.
 * Width is counted in runes (code points), as Go counts it.
 */
export interface TabwriterSettings {
  readonly minwidth: number;
  readonly padding: number;
}

/** `tabwriter.NewWriter(os.Stdout, 4, 8, 4, ' ', 0)`: the containers list. */
export const CONTAINER_TABLE: TabwriterSettings = { minwidth: 4, padding: 4 };
/** `tabwriter.NewWriter(os.Stdout, 1, 8, 1, ' ', 0)`: the namespaces list. */
export const NAMESPACE_TABLE: TabwriterSettings = { minwidth: 1, padding: 1 };

export function formatTable(rows: readonly (readonly string[])[], settings: TabwriterSettings): string {
  const runes = (cell: string) => [...cell].length;
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? settings.minwidth, runes(cell) + settings.padding);
    });
  }
  return rows.map((row) => row.map((cell, column) => cell + ' '.repeat((widths[column] ?? 0) - runes(cell))).join('') + '\n').join('');
}
