import * as store from '../db/checkpoints.ts';
import { getContainer } from '../db/containers.ts';
import { CHECKPOINT_FIELDS, filterCondition } from '../db/filter-sql.ts';
import type { CheckpointRecord, ContainerRecord } from '../model/records.ts';
import { inScope, readInScope } from '../db/transaction.ts';
import { insertNewContainer } from './containers.ts';
import type { RequestContext } from './context.ts';
import { alreadyExists, notFound } from '../model/errors.ts';
import { checkpointCreated, checkpointDeleted } from '../model/events.ts';
import { parseFilters } from './filters.ts';
import { authorizeWrite, mutation } from './mutation.ts';
import { type Page, pageOf, pageWindow } from './paging.ts';
import { assertIdentifier, goQuote } from './validate.ts';

/**
 * Checkpoint and restore at the metadata level (docs/behaviour.md §7): a checkpoint freezes a container's
 * record under a ref, and a restore creates a new container from it.
 */

export async function getCheckpoint(ctx: RequestContext, ref: string): Promise<CheckpointRecord | null> {
  return store.firstCheckpoint(await readInScope(ctx.db, ctx.scope, (tx) => store.checkpointStatement(tx, ctx.scope.namespace, ref)));
}

export interface CheckpointList extends Page<CheckpointRecord> {
  readonly totalCount?: number;
}

export interface CheckpointPageArgs {
  readonly first?: number | null;
  readonly after?: string | null;
}

/** A forward page in byte-wise ref order, and its count from the same snapshot when wanted. */
export function listCheckpoints(
  ctx: RequestContext,
  filters: readonly string[] | null | undefined,
  args: CheckpointPageArgs,
  wants: { readonly totalCount: boolean },
): Promise<CheckpointList> {
  const parsed = parseFilters(filters, ctx.limits.maxFilterSelectors);
  const window = pageWindow({ first: args.first, after: args.after });
  const { namespace } = ctx.scope;
  return inScope(
    ctx.db,
    ctx.scope,
    async (tx) => {
      const where = filterCondition(tx, parsed, CHECKPOINT_FIELDS);
      const rows = await store.listCheckpoints(tx, namespace, { where, after: window.query.after, limit: window.query.limit });
      return {
        ...pageOf(rows, window, (checkpoint) => checkpoint.ref),
        totalCount: wants.totalCount ? await store.countCheckpoints(tx, namespace, where) : undefined,
      };
    },
    { readOnly: true, snapshot: wants.totalCount },
  );
}

/** `checkpoint ID REF`: the container is read, never changed. */
export function checkpointContainer(ctx: RequestContext, id: string, ref: string): Promise<CheckpointRecord> {
  assertIdentifier(ref, 'checkpoint.Ref');
  const { namespace } = ctx.scope;
  return mutation(ctx, namespace, async (tx, emit) => {
    const container = await getContainer(tx, namespace, id);
    // containerd's text for a container that cannot be loaded (docs/behaviour.md §2, Get).
    if (!container) throw notFound(`container ${goQuote(id)} in namespace ${goQuote(namespace)}: not found`);
    const checkpoint = await store.insertCheckpoint(tx, ref, container);
    if (!checkpoint) throw alreadyExists(`checkpoint ${goQuote(ref)}: already exists`);
    emit(checkpointCreated(ref, id));
    return checkpoint;
  });
}

/** `restore ID REF`: a new container ID from the checkpoint, through the same rules as a create. */
export async function restoreContainer(ctx: RequestContext, id: string, ref: string): Promise<ContainerRecord> {
  const { namespace } = ctx.scope;
  authorizeWrite(ctx, namespace);
  const checkpoint = store.firstCheckpoint(await readInScope(ctx.db, ctx.scope, (tx) => store.checkpointStatement(tx, namespace, ref)));
  if (!checkpoint) throw notFound(`checkpoint ${goQuote(ref)}: not found`);
  return insertNewContainer(ctx, {
    id,
    image: checkpoint.image,
    runtime: checkpoint.runtime,
    spec: checkpoint.spec,
    snapshotter: checkpoint.snapshotter,
    // As containerd's restore: the new container gets a snapshot of its own, keyed by its id.
    snapshotKey: checkpoint.snapshotter === '' ? '' : id,
    sandbox: '',
    labels: checkpoint.labels,
    extensions: checkpoint.extensions,
  });
}

export function deleteCheckpoint(ctx: RequestContext, ref: string): Promise<string> {
  const { namespace } = ctx.scope;
  return mutation(ctx, namespace, async (tx, emit) => {
    if (!(await store.deleteCheckpoint(tx, namespace, ref))) throw notFound(`checkpoint ${goQuote(ref)}: not found`);
    emit(checkpointDeleted(ref));
    return ref;
  });
}
