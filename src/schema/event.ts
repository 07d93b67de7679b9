import { EVENT_TYPES, type EventMessages, eventType, type PayloadType, type StoredEvent, type Topic } from '../model/events.ts';
import type { AnyValue } from '../model/records.ts';
import { encodeEventCursor } from '../resolvers/cursors.ts';
import { checkpointOfEvent, containerOfEvent, namespaceOfEvent } from '../resolvers/event-records.ts';
import { checkpointGlobalId, containerGlobalId, namespacedKey, namespaceGlobalId } from '../resolvers/global-ids.ts';
import { eventNode } from '../resolvers/nodes.ts';
import * as events from '../resolvers/events.ts';
import type { Page } from '../resolvers/paging.ts';
import type { ObjectRef } from '@pothos/core';
import { builder } from './builder.ts';
import { CheckpointRef } from './checkpoint.ts';
import { connectionType, LabelRef, NAMESPACE_ARGUMENT, RuntimeRef, sortedLabels } from './common.ts';
import { ContainerRef } from './container.ts';
import { NamespaceRef } from './namespace.ts';

/**
 * Events. The stored payload is containerd's message with proto field names; each union member
 * maps it to the API's names (id → containerId, snapshot_key → snapshotKey, label maps → sorted
 * [Label], an Any's base64 → Any). No payload type has a field named `id`, so a client cache that
 * keys by `id` never merges two events. The record fields (`container`, `namespace`,
 * `checkpoint`) resolve the record as it is now, and deletes carry the global id that went away.
 */
interface Payload<T extends Topic> {
  readonly type: PayloadType;
  readonly message: EventMessages[T];
  readonly event: StoredEvent;
}

/** The payload type that serves `topic`, named by the one event table (src/model/events.ts). */
const payloadRef = <T extends Topic>(topic: T) => builder.objectRef<Payload<T>>(EVENT_TYPES[topic].payloadType);

const anyValue = (any: { type_url: string; value: string } | null): AnyValue | null =>
  any ? { typeUrl: any.type_url, value: Buffer.from(any.value, 'base64') } : null;

const ContainerCreateRef = payloadRef('/containers/create').implement({
  fields: (t) => ({
    containerId: t.string({ resolve: (p) => p.message.id }),
    image: t.string({ resolve: (p) => p.message.image }),
    runtime: t.field({ type: RuntimeRef, resolve: (p) => ({ name: p.message.runtime.name, options: anyValue(p.message.runtime.options) }) }),
    container: t.field({
      type: ContainerRef,
      nullable: true,
      description: 'The container as it is now; null once it is gone.',
      resolve: (p, _args, ctx) => containerOfEvent(ctx, p.event, p.message.id),
    }),
  }),
});

const ContainerUpdateRef = payloadRef('/containers/update').implement({
  fields: (t) => ({
    containerId: t.string({ resolve: (p) => p.message.id }),
    image: t.string({ resolve: (p) => p.message.image }),
    labels: t.field({ type: [LabelRef], description: 'The full resulting label set, sorted by key.', resolve: (p) => sortedLabels(p.message.labels) }),
    snapshotKey: t.string({ resolve: (p) => p.message.snapshot_key }),
    container: t.field({
      type: ContainerRef,
      nullable: true,
      description: 'The container as it is now; null once it is gone.',
      resolve: (p, _args, ctx) => containerOfEvent(ctx, p.event, p.message.id),
    }),
  }),
});

const ContainerDeleteRef = payloadRef('/containers/delete').implement({
  fields: (t) => ({
    containerId: t.string({ resolve: (p) => p.message.id }),
    deletedId: t.id({ description: 'The global id the container had.', resolve: (p) => containerGlobalId(p.event.namespace, p.message.id) }),
  }),
});

const namespaceFields = <T extends '/namespaces/create' | '/namespaces/update'>(topic: T) =>
  payloadRef(topic).implement({
    fields: (t) => ({
      name: t.string({ resolve: (p) => p.message.name }),
      labels: t.field({ type: [LabelRef], description: 'Sorted by key.', resolve: (p) => sortedLabels(p.message.labels) }),
      namespace: t.field({
        type: NamespaceRef,
        nullable: true,
        description: 'The namespace as it is now; null once it is gone.',
        resolve: (p, _args, ctx) => namespaceOfEvent(ctx, p.event, p.message.name),
      }),
    }),
  });

const NamespaceDeleteRef = payloadRef('/namespaces/delete').implement({
  fields: (t) => ({
    name: t.string({ resolve: (p) => p.message.name }),
    deletedId: t.id({ description: 'The global id the namespace had.', resolve: (p) => namespaceGlobalId(p.message.name) }),
  }),
});

const CheckpointCreateRef = payloadRef('/checkpoints/create').implement({
  fields: (t) => ({
    ref: t.string({ resolve: (p) => p.message.ref }),
    containerId: t.string({ resolve: (p) => p.message.container_id }),
    checkpoint: t.field({
      type: CheckpointRef,
      nullable: true,
      description: 'The checkpoint as it is now; null once it is gone.',
      resolve: (p, _args, ctx) => checkpointOfEvent(ctx, p.event, p.message.ref),
    }),
  }),
});

const CheckpointDeleteRef = payloadRef('/checkpoints/delete').implement({
  fields: (t) => ({
    ref: t.string({ resolve: (p) => p.message.ref }),
    deletedId: t.id({ description: 'The global id the checkpoint had.', resolve: (p) => checkpointGlobalId(p.event.namespace, p.message.ref) }),
  }),
});

/** One payload type per topic: a topic added to the event table without its type here fails to compile. */
const PAYLOAD_REFS: { readonly [T in Topic]: ObjectRef<typeof builder.$inferSchemaTypes, Payload<T>> } = {
  '/containers/create': ContainerCreateRef,
  '/containers/update': ContainerUpdateRef,
  '/containers/delete': ContainerDeleteRef,
  '/namespaces/create': namespaceFields('/namespaces/create'),
  '/namespaces/update': namespaceFields('/namespaces/update'),
  '/namespaces/delete': NamespaceDeleteRef,
  '/checkpoints/create': CheckpointCreateRef,
  '/checkpoints/delete': CheckpointDeleteRef,
};

const EventPayloadRef = builder.unionType('EventPayload', {
  description: "containerd's event message; the topic determines its type.",
  types: Object.values(PAYLOAD_REFS),
  resolveType: (payload) => payload.type,
});

function payloadOf(event: StoredEvent): Payload<never> {
  const type = eventType(event.topic)?.payloadType;
  if (!type) throw new Error(`event ${event.seq} has topic ${event.topic}, which has no payload type`);
  return { type: type as PayloadType, message: event.payload as never, event };
}

const EventRef = builder.objectRef<StoredEvent>('Event');

builder.node(EventRef, {
  id: { resolve: (e) => namespacedKey(e.namespace, e.seq) },
  loadOne: (key, ctx) => eventNode(ctx, key),
  fields: (t) => ({
    cursor: t.string({ description: 'Opaque; cursors order as the events they name (commit order).', resolve: (e) => encodeEventCursor(e.seq) }),
    timestamp: t.field({ type: 'DateTime', resolve: (e) => e.timestamp }),
    namespace: t.exposeString('namespace'),
    topic: t.exposeString('topic'),
    payload: t.field({ type: EventPayloadRef, resolve: payloadOf }),
  }),
});

const EventConnectionRef = connectionType<StoredEvent, Page<StoredEvent>>('Event', EventRef);

builder.queryField('events', (t) =>
  t.field({
    type: EventConnectionRef,
    description: "History, in cursor order: the request namespace's events, or with allNamespaces every namespace the caller may read.",
    args: {
      namespace: t.arg.string(NAMESPACE_ARGUMENT),
      after: t.arg.string({ description: 'An event cursor or a watchCursor; absent starts at the oldest retained event.' }),
      filters: t.arg.stringList({ description: 'containerd filters over topic, namespace and event.<field>; ANY may match.' }),
      first: t.arg.int(),
      allNamespaces: t.arg.boolean({ defaultValue: false }),
    },
    resolve: (_root, args, ctx) => events.eventHistory(ctx, args),
  }),
);

builder.subscriptionField('events', (t) =>
  t.field({
    type: EventRef,
    description: 'Replays every matching event after `after`, then follows live, in cursor order; without `after` it starts at the present.',
    args: {
      namespace: t.arg.string(NAMESPACE_ARGUMENT),
      after: t.arg.string(),
      filters: t.arg.stringList(),
      allNamespaces: t.arg.boolean({ defaultValue: false }),
    },
    subscribe: (_root, args, ctx) => events.subscribeEvents(ctx, args),
    // The stream yields its failures (see event-stream.ts); thrown here, they carry their code.
    resolve: (item) => {
      if (item instanceof Error) throw item;
      return item;
    },
  }),
);
