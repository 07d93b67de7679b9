import { BerthError, invalidArgument } from '../model/errors.ts';
import { decodePageCursor, encodePageCursor } from './cursors.ts';

/** Relay connection arguments (docs/api.md: first/last default to 100 and may not exceed 1000). */
export interface PageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface PageWindow {
  /** What to ask the store for: one row more than the page, to learn whether more exist. */
  readonly query: { readonly after?: string; readonly before?: string; readonly limit: number; readonly fromEnd: boolean };
  readonly first: number | null;
  readonly last: number | null;
}

export interface Page<T> {
  readonly nodes: readonly T[];
  readonly edges: readonly { readonly cursor: string; readonly node: T }[];
  readonly pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export function pageWindow(args: PageArgs): PageWindow {
  const first = size(args.first, 'first');
  const last = size(args.last, 'last');
  const bounds = {
    ...(args.after != null ? { after: decodePageCursor(args.after) } : {}),
    ...(args.before != null ? { before: decodePageCursor(args.before) } : {}),
  };
  if (last !== null && first === null) return { query: { ...bounds, limit: last + 1, fromEnd: true }, first, last };
  const forward = first ?? DEFAULT_PAGE_SIZE;
  return { query: { ...bounds, limit: forward + 1, fromEnd: false }, first: forward, last };
}

/**
 * Cuts the rows to the page and says what lies beyond it. Only the direction of travel is
 * checked, as the Relay spec allows: walking forward, hasPreviousPage is false.
 */
export function pageOf<T>(rows: readonly T[], window: PageWindow, keyOf: (row: T) => string): Page<T> {
  let nodes = rows;
  let hasNextPage = false;
  let hasPreviousPage = false;
  if (window.query.fromEnd) {
    hasPreviousPage = rows.length > (window.last ?? 0);
    // Never a negative start: slice(-k) would keep only the last k rows of a short result.
    nodes = rows.slice(Math.max(0, rows.length - (window.last ?? 0)));
  } else {
    hasNextPage = rows.length > (window.first ?? 0);
    nodes = rows.slice(0, window.first ?? 0);
    if (window.last !== null && nodes.length > window.last) {
      hasPreviousPage = true;
      nodes = nodes.slice(nodes.length - window.last);
    }
  }
  const edges = nodes.map((node) => ({ cursor: encodePageCursor(keyOf(node)), node }));
  return {
    nodes,
    edges,
    pageInfo: { hasNextPage, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** A `first`/`last` argument checked against the limits: null when absent. */
export function size(value: number | null | undefined, name: string): number | null {
  if (value == null) return null;
  if (value < 0) throw invalidArgument(`${name} must not be negative`);
  if (value > MAX_PAGE_SIZE) throw new BerthError('RESOURCE_EXHAUSTED', `${name} may not exceed ${MAX_PAGE_SIZE}, got ${value}`);
  return value;
}
