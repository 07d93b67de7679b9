import type { StoredEvent } from '../db/events.ts';
import type { AnyValue } from '../db/records.ts';
import { encodeEventCursor } from '../resolvers/cursors.ts';
import { checkpointOfEvent, containerOfEvent, namespaceOfEvent } from '../resolvers/event-records.ts';
import { checkpointGlobalId, containerGlobalId, namespacedKey, namespaceGlobalId } from '../resolvers/global-ids.ts';
import { eventNode } from '../resolvers/nodes.ts';
import {
  type checkpointCreated, type checkpointDeleted, type containerCreated, type containerDeleted, type containerUpdated,
  type namespaceChanged, type namespaceDeleted, payloadType, type PayloadType,
} from '../resolvers/event-payloads.ts';
import * as events from '../resolvers/events.ts';
import type { Page } from '../resolvers/paging.ts';
import { builder } from './builder.ts';
import { CheckpointRef } from './checkpoint.ts';
import { LabelRef, NAMESPACE_ARGUMENT, PageInfoRef, RuntimeRef, sortedLabels } from './common.ts';
import { ContainerRef } from './container.ts';
import { NamespaceRef } from './namespace.ts';

/**
 * Events. The stored payload is containerd's message with proto field names; each union member
 * maps it to the API's names (id → containerId, snapshot_key → snapshotKey, label maps → sorted
 * [Label], an Any's base64 → Any). No payload type has a field named `id`, so a client cache that
 * keys by `id` never merges two events. The record fields (`container`, `namespace`,
 * `checkpoint`) resolve the record as it is now, and deletes carry the global id that went away.
 */
type Message<Make extends (...args: never[]) => unknown> = ReturnType<Make>;

interface Payload<M> {
  readonly type: PayloadType;
  readonly message: M;
  readonly event: StoredEvent;
}

const payloadRef = <M>(name: PayloadType) => builder.objectRef<Payload<M>>(name);

const anyValue = (any: { type_url: string; value: string } | null): AnyValue | null =>
  any ? { typeUrl: any.type_url, value: Buffer.from(any.value, 'base64') } : null;

const ContainerCreateRef = payloadRef<Message<typeof containerCreated>>('ContainerCreate').implement({
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

const ContainerUpdateRef = payloadRef<Message<typeof containerUpdated>>('ContainerUpdate').implement({
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

const ContainerDeleteRef = payloadRef<Message<typeof containerDeleted>>('ContainerDelete').implement({
  fields: (t) => ({
    containerId: t.string({ resolve: (p) => p.message.id }),
    deletedId: t.id({ description: 'The global id the container had.', resolve: (p) => containerGlobalId(p.event.namespace, p.message.id) }),
  }),
});

const namespaceFields = (name: 'NamespaceCreate' | 'NamespaceUpdate') =>
  payloadRef<Message<typeof namespaceChanged>>(name).implement({
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
const NamespaceCreateRef = namespaceFields('NamespaceCreate');
const NamespaceUpdateRef = namespaceFields('NamespaceUpdate');

const NamespaceDeleteRef = payloadRef<Message<typeof namespaceDeleted>>('NamespaceDelete').implement({
  fields: (t) => ({
    name: t.string({ resolve: (p) => p.message.name }),
    deletedId: t.id({ description: 'The global id the namespace had.', resolve: (p) => namespaceGlobalId(p.message.name) }),
  }),
});

const CheckpointCreateRef = payloadRef<Message<typeof checkpointCreated>>('CheckpointCreate').implement({
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

const CheckpointDeleteRef = payloadRef<Message<typeof checkpointDeleted>>('CheckpointDelete').implement({
  fields: (t) => ({
    ref: t.string({ resolve: (p) => p.message.ref }),
    deletedId: t.id({ description: 'The global id the checkpoint had.', resolve: (p) => checkpointGlobalId(p.event.namespace, p.message.ref) }),
  }),
});

const EventPayloadRef = builder.unionType('EventPayload', {
  description: "containerd's event message; the topic determines its type.",
  types: [
    ContainerCreateRef, ContainerUpdateRef, ContainerDeleteRef, NamespaceCreateRef, NamespaceUpdateRef, NamespaceDeleteRef,
    CheckpointCreateRef, CheckpointDeleteRef,
  ],
  resolveType: (payload) => payload.type,
});

function payloadOf(event: StoredEvent): Payload<never> {
  const type = payloadType(event.topic);
  if (!type) throw new Error(`event ${event.seq} has topic ${event.topic}, which has no payload type`);
  return { type, message: event.payload as never, event };
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

const EventEdgeRef = builder.objectRef<{ cursor: string; node: StoredEvent }>('EventEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: "Equal to node.cursor." }),
    node: t.field({ type: EventRef, resolve: (edge) => edge.node }),
  }),
});

const EventConnectionRef = builder.objectRef<Page<StoredEvent>>('EventConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [EventEdgeRef], resolve: (page) => page.edges }),
    nodes: t.field({ type: [EventRef], resolve: (page) => page.nodes }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (page) => page.pageInfo }),
  }),
});

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
