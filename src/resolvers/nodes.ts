import { readEvents } from '../db/events.ts';
import type { StoredEvent } from '../model/events.ts';
import type { CheckpointRecord, ContainerRecord, NamespaceRecord } from '../model/records.ts';
import { inScope } from '../db/transaction.ts';
import { requireNamespace } from './authorize.ts';
import { getCheckpoint } from './checkpoints.ts';
import { getContainer } from './containers.ts';
import type { RequestContext } from './context.ts';
import { invalidArgument } from '../model/errors.ts';
import { splitNamespacedKey } from './global-ids.ts';
import { assertNamespaceName, inNamespace } from './namespace-argument.ts';
import { getNamespace } from './namespaces.ts';

/**
 * `node(id:)` for each type: the natural key a global id carries, read under the caller's
 * authorization. A namespace the caller may not read is PERMISSION_DENIED (the id names it, so
 * saying so leaks nothing); a record that does not exist, or an event past retention, is null.
 */
export function containerNode(ctx: RequestContext, key: string): Promise<ContainerRecord | null> {
  const { namespace, key: containerId } = splitNamespacedKey(key);
  return getContainer(inNamespace(ctx, namespace), containerId);
}

export function checkpointNode(ctx: RequestContext, key: string): Promise<CheckpointRecord | null> {
  const { namespace, key: ref } = splitNamespacedKey(key);
  return getCheckpoint(inNamespace(ctx, namespace), ref);
}

export function namespaceNode(ctx: RequestContext, name: string): Promise<NamespaceRecord | null> {
  assertNamespaceName(name);
  requireNamespace(ctx.identity, name);
  return getNamespace(ctx, name);
}

export async function eventNode(ctx: RequestContext, key: string): Promise<StoredEvent | null> {
  const { namespace, key: seqText } = splitNamespacedKey(key);
  if (!/^[1-9][0-9]{0,18}$/.test(seqText)) throw invalidArgument(`invalid global id key ${JSON.stringify(key)}`);
  const { scope, db } = inNamespace(ctx, namespace);
  const seq = BigInt(seqText);
  const [event] = await inScope(db, scope, (tx) => readEvents(tx, { afterSeq: seq - 1n, throughSeq: seq, limit: 1, namespaces: [namespace] }), {
    readOnly: true,
  });
  return event ?? null;
}
