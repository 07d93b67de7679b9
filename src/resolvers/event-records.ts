import type { StoredEvent } from '../model/events.ts';
import type { CheckpointRecord, ContainerRecord, NamespaceRecord } from '../model/records.ts';
import { getCheckpoint } from './checkpoints.ts';
import { getContainer } from './containers.ts';
import type { RequestContext } from './context.ts';
import { getNamespace } from './namespaces.ts';

/**
 * The record an event is about, as it is now (null once it is gone): what keeps a client's
 * normalized cache current from a subscription alone. Every subscriber is handed the same event
 * object (src/resolvers/event-hub.ts), so the lookup is made once per event and shared by all of
 * them, whatever their documents, rather than once per subscriber. Sharing across callers is
 * safe: whoever was handed the event may read its namespace, which is where the record lives.
 */
const lookups = new WeakMap<StoredEvent, Promise<unknown>>();
let lookupCount = 0;

function once<T>(event: StoredEvent, load: () => Promise<T>): Promise<T> {
  let found = lookups.get(event) as Promise<T> | undefined;
  if (!found) {
    lookupCount++;
    lookups.set(event, (found = load()));
  }
  return found;
}

/** Record lookups made for event payloads since the process started (a metrics counter reads it). */
export function eventRecordLookups(): number {
  return lookupCount;
}

/** The event's own namespace as the scope: records are read where the event happened. */
function atEvent(ctx: RequestContext, event: StoredEvent): RequestContext {
  return { ...ctx, scope: { namespace: event.namespace, readable: [event.namespace] } };
}

export const containerOfEvent = (ctx: RequestContext, event: StoredEvent, containerId: string): Promise<ContainerRecord | null> =>
  once(event, () => getContainer(atEvent(ctx, event), containerId));

export const namespaceOfEvent = (ctx: RequestContext, event: StoredEvent, name: string): Promise<NamespaceRecord | null> =>
  once(event, () => getNamespace(atEvent(ctx, event), name));

export const checkpointOfEvent = (ctx: RequestContext, event: StoredEvent, ref: string): Promise<CheckpointRecord | null> =>
  once(event, () => getCheckpoint(atEvent(ctx, event), ref));
