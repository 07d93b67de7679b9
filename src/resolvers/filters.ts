import type { FilterSet } from '../filters/ast.ts';
import { parseAll } from '../filters/parser.ts';
import { invalidArgument } from './errors.ts';

/** Parses API filter arguments; a parse error becomes INVALID_ARGUMENT with containerd's text. */
export function parseFilters(filters: readonly string[] | null | undefined): FilterSet {
  try {
    return parseAll(filters ?? []);
  } catch (error) {
    if (error instanceof Error && (error as { code?: unknown }).code === 'INVALID_ARGUMENT') throw invalidArgument(error.message);
    throw error;
  }
}
