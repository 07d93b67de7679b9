import type { FilterSet, Selector } from '../filters/ast.ts';
import { matchSelector } from '../filters/match.ts';
import type { Fragment, TransactionSql } from './pool.ts';

/**
 * How a table answers containerd's field paths: text columns that are "present" when non-empty,
 * and one JSONB label map for `labels.<key…>`. As in containerd's adaptors, only the leading
 * components choose the field (`id.x` reads the id). Everything else is absent.
 */
export interface FilterTable {
  column(fieldpath: readonly string[]): string | undefined;
  readonly labels: string;
}

export const CONTAINER_FIELDS: FilterTable = {
  column: ([first, second]) => (first === 'id' ? 'id' : first === 'image' ? 'image' : first === 'runtime' && second === 'name' ? 'runtime_name' : undefined),
  labels: 'labels',
};
export const NAMESPACE_FIELDS: FilterTable = { column: ([first]) => (first === 'name' ? 'name' : undefined), labels: 'labels' };
export const CHECKPOINT_FIELDS: FilterTable = { column: ([first]) => (first === 'ref' ? 'ref' : undefined), labels: 'labels' };

/**
 * Compiles a parsed filter list to one SQL condition: OR over the strings, AND within one. Values
 * are always bound parameters and columns come from the table description, never from the input.
 * The semantics are those of src/filters/match.ts, which a property test checks on random filters:
 * absent fields read as "" for != and ~=, and label equality and presence take the forms the GIN
 * index serves (`@>` and `?`).
 */
export function filterCondition(tx: TransactionSql, filters: FilterSet, table: FilterTable): Fragment {
  const alternatives = filters.map((conjunction) =>
    conjunction.length === 0
      ? tx`true`
      : join(
          tx,
          conjunction.map((selector) => selectorCondition(tx, selector, table)),
          'and',
        ),
  );
  return alternatives.length === 0 ? tx`true` : join(tx, alternatives, 'or');
}

function selectorCondition(tx: TransactionSql, s: Selector, table: FilterTable): Fragment {
  if (s.fieldpath[0] === 'labels') return labelCondition(tx, s, table.labels, s.fieldpath.slice(1).join('.'));
  const column = table.column(s.fieldpath);
  if (column === undefined) {
    // An absent field: the result does not depend on the row, so decide it here.
    return matchSelector(s, () => ({ value: '', present: false })) ? tx`true` : tx`false`;
  }
  const c = tx(column);
  switch (s.operator) {
    case 'present':
      return tx`${c} <> ''`;
    case '==':
      return s.value === '' ? tx`false` : tx`${c} = ${s.value}`;
    case '!=':
      return tx`${c} <> ${s.value}`;
    case '~=':
      return tx`(${c} collate "C") ~ ${regexOf(s)}`;
  }
}

function labelCondition(tx: TransactionSql, s: Selector, column: string, key: string): Fragment {
  const labels = tx(column);
  switch (s.operator) {
    case 'present':
      return tx`${labels} ? ${key}`;
    case '==':
      // Empty values are never stored, so `== ""` can match nothing, exactly as in the matcher.
      return s.value === '' ? tx`false` : tx`${labels} @> ${tx.json({ [key]: s.value })}::jsonb`;
    case '!=':
      return tx`coalesce(${labels} ->> ${key}, '') <> ${s.value}`;
    case '~=':
      return tx`(coalesce(${labels} ->> ${key}, '') collate "C") ~ ${regexOf(s)}`;
  }
}

function regexOf(s: Selector): string {
  if (!s.regex) throw new Error('a ~= selector always carries its compiled regex');
  return s.regex.postgres;
}

/**
 * `(a) and (b) and …` as a balanced tree of fragments. postgres.js builds nested fragments
 * recursively, so a left-deep chain of a few thousand selectors would overflow the stack inside
 * the driver, and a query that fails while being built strands its pipelined connection (it waits
 * forever for an answer to a statement never sent). Balanced, the depth is the log of the count.
 */
function join(tx: TransactionSql, parts: readonly Fragment[], operator: 'and' | 'or'): Fragment {
  if (parts.length <= 1) return tx`(${parts[0] ?? tx`true`})`;
  const middle = parts.length >> 1;
  const glue = operator === 'and' ? tx` and ` : tx` or `;
  return tx`${join(tx, parts.slice(0, middle), operator)} ${glue} ${join(tx, parts.slice(middle), operator)}`;
}
