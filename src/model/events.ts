import type { AnyValue, ContainerRecord, Labels } from './records.ts';

/**
 * Berth's events, defined once. Each topic names containerd's event message, stored with its
 * proto field names. The table below says, for every topic, the GraphQL payload type that serves
 * it and the message's fields in proto order: their proto name (what `event.<field>` filters and
 * `berth events` print), their GraphQL name, and their kind. The schema's union, the filter
 * adaptor and the CLI's printing all read this table, and the builders below are the only code
 * that makes messages. Adding a topic is one entry here, one builder, and its schema type.
 */
export type FieldKind = 'string' | 'labels' | 'runtime';

export interface MessageField {
  /** containerd's proto field name, as stored and as filters and `ctr events` spell it. */
  readonly proto: string;
  /** The field of the GraphQL payload type. */
  readonly graphql: string;
  readonly kind: FieldKind;
}

export interface EventType {
  /** The EventPayload union member that serves the topic. */
  readonly payloadType: string;
  readonly fields: readonly MessageField[];
}

const field = (proto: string, kind: FieldKind = 'string', graphql = proto): MessageField => ({ proto, graphql, kind });
const containerId = field('id', 'string', 'containerId');

export const EVENT_TYPES = {
  '/containers/create': { payloadType: 'ContainerCreate', fields: [containerId, field('image'), field('runtime', 'runtime')] },
  '/containers/update': {
    payloadType: 'ContainerUpdate',
    fields: [containerId, field('image'), field('labels', 'labels'), field('snapshot_key', 'string', 'snapshotKey')],
  },
  '/containers/delete': { payloadType: 'ContainerDelete', fields: [containerId] },
  '/namespaces/create': { payloadType: 'NamespaceCreate', fields: [field('name'), field('labels', 'labels')] },
  '/namespaces/update': { payloadType: 'NamespaceUpdate', fields: [field('name'), field('labels', 'labels')] },
  '/namespaces/delete': { payloadType: 'NamespaceDelete', fields: [field('name')] },
  '/checkpoints/create': { payloadType: 'CheckpointCreate', fields: [field('ref'), field('container_id', 'string', 'containerId')] },
  '/checkpoints/delete': { payloadType: 'CheckpointDelete', fields: [field('ref')] },
} as const satisfies Record<string, EventType>;

export type Topic = keyof typeof EVENT_TYPES;
export type PayloadType = (typeof EVENT_TYPES)[Topic]['payloadType'];

export function eventType(topic: string): EventType | undefined {
  return Object.hasOwn(EVENT_TYPES, topic) ? EVENT_TYPES[topic as Topic] : undefined;
}

/** An Any inside a stored message: its bytes base64-encoded, as JSON can carry them. */
export interface AnyMessage {
  readonly type_url: string;
  readonly value: string;
}

/** The stored message of each topic. */
export interface EventMessages {
  '/containers/create': { id: string; image: string; runtime: { name: string; options: AnyMessage | null } };
  '/containers/update': { id: string; image: string; labels: Labels; snapshot_key: string };
  '/containers/delete': { id: string };
  '/namespaces/create': { name: string; labels: Labels };
  '/namespaces/update': { name: string; labels: Labels };
  '/namespaces/delete': { name: string };
  '/checkpoints/create': { ref: string; container_id: string };
  '/checkpoints/delete': { ref: string };
}

/** One event as a mutation emits it: the topic decides the message's shape. */
export type EventMessage = { [T in Topic]: { readonly topic: T; readonly message: EventMessages[T] } }[Topic];

/** An event as stored: its payload is containerd's message, with proto field names. */
export interface StoredEvent {
  readonly seq: bigint;
  readonly namespace: string;
  readonly topic: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** RFC 3339, taken under the clock lock, so it never decreases along the sequence. */
  readonly timestamp: string;
}

const anyMessage = (any: AnyValue | null): AnyMessage | null => (any ? { type_url: any.typeUrl, value: any.value.toString('base64') } : null);

export const containerCreated = (c: Pick<ContainerRecord, 'id' | 'image' | 'runtime'>): EventMessage => ({
  topic: '/containers/create',
  message: { id: c.id, image: c.image, runtime: { name: c.runtime.name, options: anyMessage(c.runtime.options) } },
});

export const containerUpdated = (c: ContainerRecord): EventMessage => ({
  topic: '/containers/update',
  message: { id: c.id, image: c.image, labels: c.labels, snapshot_key: c.snapshotKey },
});

export const containerDeleted = (id: string): EventMessage => ({ topic: '/containers/delete', message: { id } });

export const namespaceCreated = (name: string, labels: Labels): EventMessage => ({ topic: '/namespaces/create', message: { name, labels } });

export const namespaceUpdated = (name: string, labels: Labels): EventMessage => ({ topic: '/namespaces/update', message: { name, labels } });

export const namespaceDeleted = (name: string): EventMessage => ({ topic: '/namespaces/delete', message: { name } });

export const checkpointCreated = (ref: string, containerId: string): EventMessage => ({
  topic: '/checkpoints/create',
  message: { ref, container_id: containerId },
});

export const checkpointDeleted = (ref: string): EventMessage => ({ topic: '/checkpoints/delete', message: { ref } });
