import type { Cache, CacheExchangeOpts } from '@urql/exchange-graphcache';
import { createStore } from './store.ts';
import type { BerthEvent } from './types.ts';

/**
 * The cursor of the latest event that may change which containers a list of a namespace holds,
 * by namespace. An invalidation that lands while that list's refetch is in flight is lost (the
 * refetch answers from an older snapshot and is cached as current), so a list compares its own
 * watchCursor with this and reads again when an event came after its snapshot.
 */
export interface ListChange {
  /** The latest create or delete: any list of the namespace may gain or lose a row. */
  readonly membership: string | null;
  /** The latest create, delete or update: a filtered list may gain or lose a row. */
  readonly any: string;
}
export const containerListChanges = createStore<ReadonlyMap<string, ListChange>>(new Map());

/**
 * Whether event cursor `a` comes after `b`. Berth's event cursors are one total order across
 * namespaces (docs/api.md); they are written as fixed-width hexadecimal sequence numbers, so the longer
 * one, else the larger string, is the later.
 */
export function cursorAfter(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}

function noteListChange(event: BerthEvent, membership: boolean): void {
  const changes = new Map(containerListChanges.get());
  const before = changes.get(event.namespace)?.membership ?? null;
  changes.set(event.namespace, { membership: membership ? event.cursor : before, any: event.cursor });
  containerListChanges.set(changes);
}

/**
 * Graphcache with its default keys: every Berth record has a global `id` (API v2), so a container
 * `web` in namespace `a` and one in `b` are two entries, and an event's `container` field updates
 * the one row it names, wherever it is shown. What the cache cannot know by itself is which lists
 * an event changes: a create may match a list's filter, a delete leaves one. Those lists are
 * invalidated, and Graphcache refetches the ones on screen. No list is ever polled.
 */
export const liveCache: CacheExchangeOpts = {
  updates: {
    Subscription: {
      events: (result, _args, cache) => applyEvent(cache, (result as { events: BerthEvent }).events),
    },
  },
};

function applyEvent(cache: Cache, event: BerthEvent): void {
  const payload = event.payload;
  switch (payload.__typename) {
    case 'ContainerCreate':
      invalidateLists(cache, 'containers', event.namespace, () => true);
      noteListChange(event, true);
      break;
    case 'ContainerUpdate':
      // The row itself is current (the payload's `container`); a filtered list may gain or lose it,
      // and the detail panel's fields the payload does not carry may have changed.
      invalidateLists(cache, 'containers', event.namespace, (args) => Array.isArray(args.filters) && args.filters.length > 0);
      noteListChange(event, false);
      if (payload.container) {
        const entity = { __typename: 'Container', id: payload.container.id };
        for (const field of ['spec', 'extensions', 'snapshotKey', 'sandbox']) cache.invalidate(entity, field);
      }
      break;
    case 'ContainerDelete':
      cache.invalidate({ __typename: 'Container', id: payload.deletedId });
      invalidateLists(cache, 'containers', event.namespace, () => true);
      noteListChange(event, true);
      break;
    case 'NamespaceCreate':
    case 'NamespaceDelete':
      if (payload.__typename === 'NamespaceDelete') cache.invalidate({ __typename: 'Namespace', id: payload.deletedId });
      invalidateLists(cache, 'namespaces', null, () => true);
      break;
    case 'CheckpointCreate':
    case 'CheckpointDelete':
      if (payload.__typename === 'CheckpointDelete') cache.invalidate({ __typename: 'Checkpoint', id: payload.deletedId });
      invalidateLists(cache, 'checkpoints', event.namespace, () => true);
      break;
  }
  // The detail panel's event history of a container in this namespace.
  if (event.topic.startsWith('/containers/')) invalidateLists(cache, 'events', event.namespace, () => true);
}

/** Invalidates the cached root fields `name` of `namespace` (any, when null) whose arguments pass `which`. */
function invalidateLists(cache: Cache, name: string, namespace: string | null, which: (args: Record<string, unknown>) => boolean): void {
  for (const field of cache.inspectFields('Query')) {
    const args = field.arguments ?? {};
    if (field.fieldName !== name || (namespace !== null && args.namespace !== namespace) || !which(args)) continue;
    // The field's own arguments: a field cached without any is keyed apart from one with `{}`.
    cache.invalidate('Query', field.fieldName, field.arguments ?? undefined);
  }
}
