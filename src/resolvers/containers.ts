import * as store from '../db/containers.ts';
import { CONTAINER_FIELDS, filterCondition } from '../db/filter-sql.ts';
import type { ContainerFields, ContainerRecord } from '../model/records.ts';
import { inScope, readInScope, readScoped, writeScoped } from '../db/transaction.ts';
import { eventHorizon } from '../db/events.ts';
import type { RequestContext } from './context.ts';
import { alreadyExists, BerthError, invalidArgument, notFound } from '../model/errors.ts';
import { applyContainerUpdate } from './field-mask.ts';
import { type ContainerInput, decodeContainer, decodeLabels, type LabelInput, withoutEmptyValues } from './inputs.ts';
import { authorizeWrite, mutation } from './mutation.ts';
import { encodeEventCursor } from './cursors.ts';
import { type Page, type PageArgs, pageOf, pageWindow } from './paging.ts';
import { parseFilters } from './filters.ts';
import { assertCounts, assertCountsOf } from './size-limits.ts';
import { assertValidContainer, goQuote, labelsProblem } from './validate.ts';
import { containerCreated, containerDeleted, containerUpdated, namespaceCreated } from '../model/events.ts';

/** The containers service (containerd's local.go + metadata store rules), one transaction each. */

export async function getContainer(ctx: RequestContext, id: string): Promise<ContainerRecord | null> {
  return store.firstContainer(await readScoped(ctx.db, ctx.scope, (sql, settings) => store.scopedContainerStatement(sql, settings, id)));
}

export interface ContainerList extends Page<ContainerRecord> {
  readonly totalCount?: number;
  readonly watchCursor?: string;
}

export interface ListWants {
  readonly totalCount: boolean;
  readonly watchCursor: boolean;
  /** Whether the page's containers will be asked for these (large) fields. */
  readonly spec: boolean;
  readonly extensions: boolean;
}

/** A page, its count and its watch cursor, all read from one snapshot. */
export async function listContainers(
  ctx: RequestContext,
  filters: readonly string[] | null | undefined,
  args: PageArgs,
  wants: ListWants,
): Promise<ContainerList> {
  const parsed = parseFilters(filters, ctx.limits.maxFilterSelectors);
  const window = pageWindow(args);
  const query = { ...window.query, skipBlobs: { spec: !wants.spec, extensions: !wants.extensions } };
  const { namespace } = ctx.scope;
  if (!wants.totalCount && !wants.watchCursor) {
    const rows = await readInScope(ctx.db, ctx.scope, (tx) =>
      store.pageStatement(tx, namespace, { ...query, where: filterCondition(tx, parsed, CONTAINER_FIELDS) }),
    );
    return pageOf(store.pageRecords(rows, query.fromEnd), window, (c) => c.id);
  }
  return inScope(
    ctx.db,
    ctx.scope,
    async (tx) => {
      const where = filterCondition(tx, parsed, CONTAINER_FIELDS);
      const rows = await store.listContainers(tx, namespace, { where, ...query });
      const page = pageOf(rows, window, (c) => c.id);
      return {
        ...page,
        totalCount: wants.totalCount ? await store.countContainers(tx, namespace, where) : undefined,
        watchCursor: wants.watchCursor ? encodeEventCursor(await eventHorizon(tx)) : undefined,
      };
    },
    { readOnly: true, snapshot: wants.totalCount || wants.watchCursor },
  );
}

export function createContainer(ctx: RequestContext, input: ContainerInput): Promise<ContainerRecord> {
  const draft = decodeContainer(input);
  const fields: ContainerFields = {
    id: draft.id,
    image: draft.image ?? '',
    runtime: draft.runtime ?? { name: '', options: null },
    spec: draft.spec ?? null,
    snapshotter: draft.snapshotter ?? '',
    snapshotKey: draft.snapshotKey ?? '',
    sandbox: draft.sandbox ?? '',
    labels: draft.labels ?? {},
    extensions: draft.extensions ?? {},
  };
  assertCounts(ctx, `container ${goQuote(fields.id)}`, fields);
  return insertNewContainer(ctx, fields);
}

/**
 * What every container creation goes through: containerd's validation, then the implicit
 * namespace, the insert and their events as one statement (store.createContainerStatement).
 * createContainer and restoreContainer (checkpoints.ts) both use it, so a restored container
 * obeys the same rules.
 */
export async function insertNewContainer(ctx: RequestContext, fields: ContainerFields): Promise<ContainerRecord> {
  const { namespace } = ctx.scope;
  authorizeWrite(ctx, namespace);
  assertValidContainer(fields, 'create container failed validation');
  const events = { namespaceCreated: namespaceCreated(namespace, {}), containerCreated: containerCreated(fields) };
  const rows = await writeScoped(ctx.db, ctx.scope, (tx, settings) =>
    store.createContainerStatement(tx, settings, { ...fields, labels: withoutEmptyValues(fields.labels) }, events),
  );
  const created = store.firstContainer(rows);
  if (!created) throw alreadyExists(`container ${goQuote(fields.id)}: already exists`);
  return created;
}

export interface UpdateArgs {
  readonly container: ContainerInput;
  readonly fieldPaths?: readonly string[] | null;
  readonly expectedRevision?: number | null;
}

export function updateContainer(ctx: RequestContext, args: UpdateArgs): Promise<ContainerRecord> {
  if (args.container.containerId === '') throw invalidArgument('must specify a container id');
  const draft = decodeContainer(args.container);
  return modifyContainer(ctx, draft.id, args.expectedRevision, (stored) => applyContainerUpdate(stored, draft, args.fieldPaths ?? []));
}

/**
 * One `labels.<key>` path per entry; an empty value deletes. When every label set is valid by
 * itself, so is the merged record (what is stored was valid), and the merge, its checks and its
 * event are one statement (store.mergeLabelsStatement, like a create). Otherwise the merge runs
 * in a transaction that checks the merged record as containerd does, so that a missing container
 * or a stale revision is still reported before the invalid label.
 */
export async function setContainerLabels(
  ctx: RequestContext,
  id: string,
  labels: readonly LabelInput[],
  expectedRevision: number | null | undefined,
): Promise<ContainerRecord> {
  const wanted = decodeLabels(labels);
  const set = withoutEmptyValues(wanted);
  const removed = Object.keys(wanted).filter((key) => wanted[key] === '');
  if (labelsProblem(set) !== null) return mergeLabelsInTransaction(ctx, id, set, removed, expectedRevision);
  authorizeWrite(ctx, ctx.scope.namespace);
  const guard = { expectedRevision: expectedRevision ?? null, maxLabels: ctx.limits.maxLabels, maxExtensions: ctx.limits.maxExtensions };
  const rows = await writeScoped(ctx.db, ctx.scope, (tx, settings) => store.mergeLabelsStatement(tx, settings, id, set, removed, guard)).catch(
    (error: unknown) => {
      const refusal = store.labelMergeRefusal(error);
      if (refusal && 'storedRevision' in refusal) assertExpectedRevision(id, refusal.storedRevision, expectedRevision);
      if (refusal && 'labels' in refusal) assertCountsOf(ctx, `container ${goQuote(id)}`, refusal.labels, refusal.extensions);
      throw error;
    },
  );
  const updated = store.firstContainer(rows);
  if (!updated) throw notFound(`container ${goQuote(id)}: not found`);
  return updated;
}

/** setContainerLabels with checks in containerd's order: the record, its revision, then its labels. */
function mergeLabelsInTransaction(
  ctx: RequestContext,
  id: string,
  set: Readonly<Record<string, string>>,
  removed: readonly string[],
  expectedRevision: number | null | undefined,
): Promise<ContainerRecord> {
  const { namespace } = ctx.scope;
  return mutation(ctx, namespace, async (tx, emit) => {
    const updated = await store.mergeContainerLabels(tx, namespace, id, set, removed);
    if (!updated) throw notFound(`container ${goQuote(id)}: not found`);
    assertExpectedRevision(id, updated.revision - 1, expectedRevision);
    assertValidContainer(updated, 'update failed validation');
    assertCounts(ctx, `container ${goQuote(id)}`, updated);
    emit(containerUpdated(updated));
    return updated;
  });
}

function modifyContainer(
  ctx: RequestContext,
  id: string,
  expectedRevision: number | null | undefined,
  merge: (stored: ContainerRecord) => ContainerFields,
): Promise<ContainerRecord> {
  const { namespace } = ctx.scope;
  return mutation(ctx, namespace, async (tx, emit) => {
    const stored = await store.getContainer(tx, namespace, id, true);
    if (!stored) throw notFound(`container ${goQuote(id)}: not found`);
    assertExpectedRevision(id, stored.revision, expectedRevision);
    const merged = merge(stored);
    assertValidContainer(merged, 'update failed validation');
    assertCounts(ctx, `container ${goQuote(id)}`, merged);
    const updated = await store.replaceContainer(tx, namespace, { ...merged, labels: withoutEmptyValues(merged.labels) });
    emit(containerUpdated(updated));
    return updated;
  });
}

function assertExpectedRevision(id: string, stored: number, expected: number | null | undefined): void {
  if (expected != null && expected !== stored) {
    throw new BerthError('ABORTED', `container ${goQuote(id)} is at revision ${stored}, not the expected revision ${expected}`, { revision: stored });
  }
}

export async function deleteContainer(ctx: RequestContext, id: string): Promise<string> {
  authorizeWrite(ctx, ctx.scope.namespace);
  const [row] = await writeScoped(ctx.db, ctx.scope, (tx, settings) => store.deleteContainerStatement(tx, settings, id, containerDeleted(id)));
  if (!row?.deleted) throw notFound(`container ${id}: not found`);
  return id;
}
