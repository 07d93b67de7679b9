import { invalidArgument } from '../model/errors.ts';

/**
 * Global ids (Relay's Global Object Identification): base64url of `<Type>:<natural key>`. They are
 * opaque to clients; inside, the key of a record that lives in a namespace is `<namespace>/<key>`.
 * Namespace names are identifiers, which never contain '/', so the first '/' splits the two.
 * An id is a pure function of the type and the key: the same on every replica, across restarts,
 * and for a record deleted and created again, which is what lets a client cache key by it alone.
 */
export type NodeType = 'Container' | 'Namespace' | 'Checkpoint' | 'Event';
const NODE_TYPES: readonly string[] = ['Container', 'Namespace', 'Checkpoint', 'Event'] satisfies NodeType[];

export function encodeGlobalId(type: string, key: string | number | bigint): string {
  return Buffer.from(`${type}:${key}`).toString('base64url');
}

export function decodeGlobalId(id: string): { typename: NodeType; id: string } {
  const text = Buffer.from(id, 'base64url').toString();
  const colon = text.indexOf(':');
  const typename = text.slice(0, colon);
  if (colon < 0 || encodeGlobalId(typename, text.slice(colon + 1)) !== id || !NODE_TYPES.includes(typename)) {
    throw invalidArgument(`invalid global id ${JSON.stringify(id)}`);
  }
  return { typename: typename as NodeType, id: text.slice(colon + 1) };
}

/** The natural key of a record kept per namespace. */
export function namespacedKey(namespace: string, key: string | bigint): string {
  return `${namespace}/${key}`;
}

export function splitNamespacedKey(key: string): { namespace: string; key: string } {
  const slash = key.indexOf('/');
  if (slash <= 0) throw invalidArgument(`invalid global id key ${JSON.stringify(key)}`);
  return { namespace: key.slice(0, slash), key: key.slice(slash + 1) };
}

export const containerGlobalId = (namespace: string, containerId: string) => encodeGlobalId('Container', namespacedKey(namespace, containerId));
export const checkpointGlobalId = (namespace: string, ref: string) => encodeGlobalId('Checkpoint', namespacedKey(namespace, ref));
export const namespaceGlobalId = (name: string) => encodeGlobalId('Namespace', name);
