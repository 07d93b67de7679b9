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
import { assertCounts } from './size-limits.ts';
import { assertValidContainer, goQuote } from './validate.ts';
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
 * One `labels.<key>` path per entry; an empty value deletes. The labels are merged by the UPDATE
 * that locks the row, one round trip instead of a read for update and a write: nothing but labels
 * changes, so the merged record is checked afterwards, and a failed check rolls the update back.
 */
export function setContainerLabels(
  ctx: RequestContext,
  id: string,
  labels: readonly LabelInput[],
  expectedRevision: number | null | undefined,
): Promise<ContainerRecord> {
  const wanted = decodeLabels(labels);
  const set = withoutEmptyValues(wanted);
  const removed = Object.keys(wanted).filter((key) => wanted[key] === '');
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
