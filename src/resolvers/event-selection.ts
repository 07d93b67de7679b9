import type { EventClock } from '../db/events.ts';
import type { StoredEvent } from '../model/events.ts';
import { mayRead, type Scope } from '../model/scope.ts';
import { envelopeAdaptor } from '../filters/adaptors.ts';
import type { FilterSet } from '../filters/ast.ts';
import { matches } from '../filters/match.ts';
import { encodeEventCursor } from './cursors.ts';
import { BerthError, invalidArgument } from '../model/errors.ts';
import { eventType } from '../model/events.ts';

/**
 * Which events a reader gets. The same rules serve the history query, the replay of a
 * subscription and the live fan-out, so the three can never disagree.
 */

/**
 * The scope an events read runs with. By default it is the request namespace alone (docs/api.md
 * "events covers the request's namespace"); allNamespaces widens it to every namespace the caller
 * may read, which is the request scope's own read set.
 */
export function eventScope(scope: Scope, allNamespaces: boolean | null | undefined): Scope {
  return allNamespaces ? scope : { namespace: scope.namespace, readable: [scope.namespace] };
}

/** The namespaces a read may name explicitly in SQL (see readEvents), or undefined for all. */
export function scopeNamespaces(scope: Scope): readonly string[] | undefined {
  return scope.readable === '*' ? undefined : [...new Set([scope.namespace, ...scope.readable])];
}

/**
 * Whether `event` goes to a reader with this scope and these filters. Filters see containerd's
 * envelope: namespace, topic, and event.<field> of the payload type the topic names (docs/behaviour.md §6).
 */
export function eventWanted(scope: Scope, filters: FilterSet, event: StoredEvent): boolean {
  if (!mayRead(scope, event.namespace)) return false;
  const adaptor = envelopeAdaptor({
    namespace: event.namespace,
    topic: event.topic,
    eventType: eventType(event.topic)?.payloadType ?? '',
    event: event.payload,
  });
  return matches(filters, adaptor);
}

/**
 * Why reading on after `after` is impossible, given the clock of the snapshot that would read, or
 * null. A cursor older than retention is OUT_OF_RANGE rather than a silent skip. A cursor beyond
 * the clock cannot have come from this database (every cursor Berth hands out, watchCursor
 * included, names a committed position), so it is INVALID_ARGUMENT rather than a wait for events
 * that may never come.
 */
export function resumeProblem(after: bigint, clock: EventClock): BerthError | null {
  if (after < clock.prunedThrough) {
    const oldest = encodeEventCursor(clock.prunedThrough);
    return new BerthError(
      'OUT_OF_RANGE',
      `event cursor ${encodeEventCursor(after)} is older than the retention window (the oldest resumable cursor is ${oldest})`,
      {
        oldestCursor: oldest,
      },
    );
  }
  if (after > clock.lastSeq)
    return invalidArgument(`event cursor ${encodeEventCursor(after)} is ahead of the event log (last ${encodeEventCursor(clock.lastSeq)})`);
  return null;
}
