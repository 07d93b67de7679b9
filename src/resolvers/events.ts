import { readClock, readEvents } from '../db/events.ts';
import type { StoredEvent } from '../model/events.ts';
import { inScope } from '../db/transaction.ts';
import type { Scope } from '../model/scope.ts';
import type { RequestContext } from './context.ts';
import { decodeEventCursor, encodeEventCursor } from './cursors.ts';
import { invalidArgument } from '../model/errors.ts';
import { inNamespace } from './namespace-argument.ts';
import { eventScope, eventWanted, resumeProblem, scopeNamespaces } from './event-selection.ts';
import { eventStream, type StreamItem } from './event-stream.ts';
import { parseFilters } from './filters.ts';
import { DEFAULT_PAGE_SIZE, type Page, size } from './paging.ts';

/** The events service: history pages and subscriptions . */

export interface EventArgs {
  readonly namespace?: string | null;
  readonly after?: string | null;
  readonly filters?: readonly string[] | null;
  readonly allNamespaces?: boolean | null;
}

export interface HistoryArgs extends EventArgs {
  readonly first?: number | null;
}

/** Rows read per round trip while looking for a page of matching events (filters run in JS). */
const HISTORY_BATCH = 500;

/**
 * A page of history after `after` (or from the oldest retained event), in cursor order, from one
 * snapshot. Filters are containerd's envelope filters, evaluated here rather than in SQL, so the
 * scan goes on until it has found a page of matches or reached the end of the log.
 */
export function eventHistory(ctx: RequestContext, args: HistoryArgs): Promise<Page<StoredEvent>> {
  const filters = parseFilters(args.filters, ctx.limits.maxFilterSelectors);
  const first = size(args.first, 'first') ?? DEFAULT_PAGE_SIZE;
  const after = args.after != null ? decodeEventCursor(args.after) : null;
  const scope = readerScope(ctx, args);
  return inScope(
    ctx.db,
    scope,
    async (tx) => {
      if (after !== null) {
        const problem = resumeProblem(after, await readClock(tx));
        if (problem) throw problem;
      }
      const found: StoredEvent[] = [];
      let position = after ?? 0n;
      for (;;) {
        const batch = await readEvents(tx, { afterSeq: position, limit: HISTORY_BATCH, namespaces: scopeNamespaces(scope) });
        for (const event of batch) {
          position = event.seq;
          if (eventWanted(scope, filters, event)) found.push(event);
          if (found.length > first) break;
        }
        if (found.length > first || batch.length < HISTORY_BATCH) break;
      }
      const nodes = found.slice(0, first);
      const edges = nodes.map((node) => ({ cursor: encodeEventCursor(node.seq), node }));
      return {
        nodes,
        edges,
        pageInfo: { hasNextPage: found.length > first, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },
    { readOnly: true, snapshot: true },
  );
}

/**
 * The source stream of `Subscription.events`. Bad filters and malformed cursors fail here, before
 * the stream starts; an expired cursor (OUT_OF_RANGE) or one ahead of the log (INVALID_ARGUMENT)
 * fails as the stream's first item, checked in the same snapshot as the first replayed page.
 */
export function subscribeEvents(ctx: RequestContext, args: EventArgs): AsyncIterableIterator<StreamItem> {
  const filters = parseFilters(args.filters, ctx.limits.maxFilterSelectors);
  const after = args.after != null ? decodeEventCursor(args.after) : null;
  return eventStream(ctx.db, ctx.events, { scope: readerScope(ctx, args), filters, after });
}

/** One namespace (the argument's, else the request's), or with allNamespaces all readable ones. */
function readerScope(ctx: RequestContext, args: EventArgs): Scope {
  if (args.namespace != null && args.allNamespaces) throw invalidArgument('events takes a namespace or allNamespaces: true, not both');
  return eventScope(inNamespace(ctx, args.namespace).scope, args.allNamespaces);
}
