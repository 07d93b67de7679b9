import type { FilterSet } from '../filters/ast.ts';
import { parseAll } from '../filters/parser.ts';
import { BerthError, invalidArgument } from '../model/errors.ts';

/**
 * Parses API filter arguments; a parse error becomes INVALID_ARGUMENT with containerd's text. More
 * than `maxSelectors` selectors in all (BERTH_MAX_FILTER_SELECTORS) is RESOURCE_EXHAUSTED: each
 * becomes a condition and a bound parameter of one SQL statement.
 */
export function parseFilters(filters: readonly string[] | null | undefined, maxSelectors: number): FilterSet {
  let parsed: FilterSet;
  try {
    parsed = parseAll(filters ?? []);
  } catch (error) {
    if (error instanceof Error && (error as { code?: unknown }).code === 'INVALID_ARGUMENT') throw invalidArgument(error.message);
    throw error;
  }
  const selectors = parsed.reduce((sum, conjunction) => sum + conjunction.length, 0);
  if (selectors > maxSelectors) {
    throw new BerthError('RESOURCE_EXHAUSTED', `the filters hold ${selectors} selectors; the limit is ${maxSelectors} (BERTH_MAX_FILTER_SELECTORS)`);
  }
  return parsed;
}
