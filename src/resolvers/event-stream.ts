import { readClock, readEvents } from '../db/events.ts';
import type { StoredEvent } from '../model/events.ts';
import type { Sql } from '../db/pool.ts';
import { inScope } from '../db/transaction.ts';
import type { Scope } from '../model/scope.ts';
import type { FilterSet } from '../filters/ast.ts';
import { encodeEventCursor } from './cursors.ts';
import { BerthError } from '../model/errors.ts';
import type { EventHub, Feed, FeedEnd } from './event-hub.ts';
import { eventWanted, resumeProblem, scopeNamespaces } from './event-selection.ts';

/**
 * An item of a subscription's source stream. A failure is yielded, not thrown: the field resolver
 * throws it, so it reaches the client as a GraphQL error with its code (and the stream then
 * completes), whereas an error thrown by the source would end a graphql-ws operation without one.
 */
export type StreamItem = StoredEvent | Error;

export interface StreamRequest {
  readonly scope: Scope;
  readonly filters: FilterSet;
  /** Resume after this sequence number; null starts at the present. */
  readonly after: bigint | null;
}

const REPLAY_PAGE = 500;

export function eventStream(db: Sql, hub: EventHub, request: StreamRequest): AsyncIterableIterator<StreamItem> {
  return cancellable((signal) => follow(db, hub, request, signal));
}

/**
 * Replay, then the live tail, without a gap or a duplicate. The feed is attached first, so it
 * buffers every live event after its `from` while the table is read up to `from`; then the
 * buffered events are drained, skipping any the replay already covered. If the feed overflows
 * while the replay is still running (a long history), nothing is lost: the events it dropped are
 * in the table, so the replay simply goes on to a new feed's `from`. Only a reader that falls
 * behind the live tail is cut off, with RESOURCE_EXHAUSTED and the cursor to resume from.
 */
async function* follow(db: Sql, hub: EventHub, { scope, filters, after }: StreamRequest, signal: AbortSignal): AsyncGenerator<StreamItem> {
  let feed: Feed | null = null;
  // One listener for the stream's life: closing the feed ends a pending take() as 'closed'.
  const stop = () => feed?.close();
  signal.addEventListener('abort', stop, { once: true });
  const attach = async () => {
    feed = await hub.attach(scope, filters);
    if (signal.aborted) feed.close();
    return feed;
  };
  try {
    feed = await attach();
    let position = after ?? feed.from;
    let delivered = position;
    if (after !== null) {
      for (;;) {
        for (;;) {
          const page = await readPage(db, scope, position, feed.from);
          const problem = resumeProblem(position, page.clock);
          if (problem) {
            yield problem;
            return;
          }
          for (const event of page.events) {
            position = event.seq;
            if (!eventWanted(scope, filters, event)) continue;
            yield event;
            delivered = event.seq;
          }
          if (page.events.length < REPLAY_PAGE) break;
        }
        if (position < feed.from) position = feed.from;
        if (!feed.overflowed) break;
        feed = await attach();
      }
    }
    for (;;) {
      const item = await feed.take();
      if ('end' in item) {
        // 'closed': the client left or the server is shutting down; the stream just completes.
        if (item.end !== 'closed') yield endError(item, delivered);
        return;
      }
      if (item.seq <= position) continue;
      position = item.seq;
      yield item;
      delivered = item.seq;
    }
  } catch (error) {
    // Unexpected (the database went away mid-replay, say): the resolver throws it, and the
    // server masks it as INTERNAL with a logged id.
    yield error instanceof Error ? error : new Error(String(error));
  } finally {
    signal.removeEventListener('abort', stop);
    feed?.close();
  }
}

/** One page of history and the clock, from one snapshot: rows and pruned_through agree. */
function readPage(db: Sql, scope: Scope, after: bigint, through: bigint) {
  return inScope(
    db,
    scope,
    async (tx) => ({
      clock: await readClock(tx),
      events: await readEvents(tx, { afterSeq: after, throughSeq: through, limit: REPLAY_PAGE, namespaces: scopeNamespaces(scope) }),
    }),
    { readOnly: true, snapshot: true },
  );
}

function endError(end: FeedEnd, delivered: bigint): BerthError {
  const cursor = encodeEventCursor(delivered);
  if (end.end === 'overflow') {
    return new BerthError('RESOURCE_EXHAUSTED', `the subscriber fell too far behind the live events; resume with after: "${cursor}"`, { cursor });
  }
  return new BerthError('OUT_OF_RANGE', `events after cursor ${cursor} were pruned before this server could deliver them`, { cursor });
}

/**
 * An async generator whose return() also works while it waits. A plain generator only sees
 * return() at its next yield, so an idle subscription that the client left would hold its feed
 * until the next event; here return() first aborts the wait.
 */
function cancellable<T>(run: (signal: AbortSignal) => AsyncGenerator<T, void>): AsyncIterableIterator<T> {
  const controller = new AbortController();
  const inner = run(controller.signal);
  return {
    next: () => inner.next(),
    return: () => {
      controller.abort();
      return inner.return();
    },
    throw: (error?: unknown) => {
      controller.abort();
      return inner.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
