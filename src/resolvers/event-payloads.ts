import type { AnyValue, ContainerRecord, Labels } from '../db/records.ts';

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
