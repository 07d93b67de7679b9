import type { AnyValue, ContainerRecord, Labels } from '../model/records.ts';

/**
 * containerd's event messages (reference §6.1), with their proto field names, as stored in the
 * outbox. The API maps them to its payload types; filters address them as `event.<field>`.
 */
const anyPayload = (any: AnyValue | null) => (any ? { type_url: any.typeUrl, value: any.value.toString('base64') } : null);

export const containerCreated = (c: ContainerRecord) => ({
  id: c.id,
  image: c.image,
  runtime: { name: c.runtime.name, options: anyPayload(c.runtime.options) },
});

export const containerUpdated = (c: ContainerRecord) => ({ id: c.id, image: c.image, labels: c.labels, snapshot_key: c.snapshotKey });

export const containerDeleted = (id: string) => ({ id });

export const namespaceChanged = (name: string, labels: Labels) => ({ name, labels });

export const namespaceDeleted = (name: string) => ({ name });

export const checkpointCreated = (ref: string, containerId: string) => ({ ref, container_id: containerId });

export const checkpointDeleted = (ref: string) => ({ ref });

/**
 * The payload type of each topic: the EventPayload union member the API serves, and the type whose
 * fields `event.<field>` filters read (containerd decodes the Any by its type URL; the topic
 * determines it here).
 */
export const PAYLOAD_TYPES = {
  '/containers/create': 'ContainerCreate',
  '/containers/update': 'ContainerUpdate',
  '/containers/delete': 'ContainerDelete',
  '/namespaces/create': 'NamespaceCreate',
  '/namespaces/update': 'NamespaceUpdate',
  '/namespaces/delete': 'NamespaceDelete',
  '/checkpoints/create': 'CheckpointCreate',
  '/checkpoints/delete': 'CheckpointDelete',
} as const;

export type PayloadType = (typeof PAYLOAD_TYPES)[keyof typeof PAYLOAD_TYPES];

export function payloadType(topic: string): PayloadType | undefined {
  return Object.hasOwn(PAYLOAD_TYPES, topic) ? PAYLOAD_TYPES[topic as keyof typeof PAYLOAD_TYPES] : undefined;
}
