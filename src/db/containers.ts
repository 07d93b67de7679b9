import postgres from 'postgres';
import type { Fragment, Sql, TransactionSql } from './pool.ts';
import type { ScopeSettings } from './transaction.ts';
import { coreOf, type CoreRow, encodeExtensions } from './codecs.ts';
import type { EventMessage } from '../model/events.ts';
import type { ContainerFields, ContainerRecord } from '../model/records.ts';

/**
 * Container rows. Every statement names the namespace although row-level security would confine
 * it anyway: the explicit condition is what lets the planner use the (namespace, id) key.
 */
interface ContainerRow extends CoreRow {
  namespace: string;
  id: string;
  snapshot_key: string;
  sandbox: string;
  created_at: string;
  updated_at: string;
  revision: number;
}

/**
 * The statement that reads one container and scopes itself (migration 0006), for transaction.ts's
 * readScoped; see firstContainer.
 */
export function scopedContainerStatement(sql: Sql, settings: ScopeSettings, id: string) {
  return sql<ContainerRow[]>`select * from berth_scoped_container(${settings.namespace}, ${settings.readable}, ${id})`;
}

export function firstContainer(rows: readonly ContainerRow[]): ContainerRecord | null {
  return rows[0] ? toRecord(rows[0]) : null;
}

/** A container read inside a larger transaction, locked for the update that follows when asked. */
export async function getContainer(tx: TransactionSql, namespace: string, id: string, lock = false): Promise<ContainerRecord | null> {
  return firstContainer(
    await tx<ContainerRow[]>`
    select * from containers where namespace = ${namespace} and id = ${id} ${lock ? tx`for update` : tx``}`,
  );
}

/**
 * Creates a container and appends its events, as one self-scoping statement that commits by
 * itself (transaction.ts writeScoped); no row when the id is taken, and then nothing was written.
 * `namespaceCreated` is appended before the container's event only if the namespace is new.
 */
export function createContainerStatement(
  tx: TransactionSql,
  settings: ScopeSettings,
  c: ContainerFields,
  events: { readonly namespaceCreated: EventMessage; readonly containerCreated: EventMessage },
) {
  return tx<ContainerRow[]>`
    select * from berth_create_container(
      ${settings.namespace}, ${settings.readable},
      ${c.id}, ${c.image}, ${c.runtime.name}, ${c.runtime.options?.typeUrl ?? null}, ${c.runtime.options?.value ?? null},
      ${c.spec?.typeUrl ?? null}, ${c.spec?.value ?? null}, ${c.snapshotter}, ${c.snapshotKey}, ${c.sandbox},
      ${tx.json(c.labels)}, ${tx.json(encodeExtensions(c.extensions))},
      ${events.namespaceCreated.topic}, ${JSON.stringify(events.namespaceCreated.message)},
      ${events.containerCreated.topic}, ${JSON.stringify(events.containerCreated.message)})`;
}

/**
 * Writes every mutable field of an existing container. updated_at moves forward by at least a
 * microsecond even when the clock has not, so it strictly increases as docs/behaviour.md §1 requires.
 */
export async function replaceContainer(tx: TransactionSql, namespace: string, c: ContainerFields): Promise<ContainerRecord> {
  const [row] = await tx<ContainerRow[]>`
    update containers set
      image = ${c.image}, spec_type = ${c.spec?.typeUrl ?? null}, spec = ${c.spec?.value ?? null},
      snapshot_key = ${c.snapshotKey}, labels = ${tx.json(c.labels)}, extensions = ${tx.json(encodeExtensions(c.extensions))},
      updated_at = greatest(now(), updated_at + interval '1 microsecond'), revision = revision + 1
    where namespace = ${namespace} and id = ${c.id}
    returning *`;
  if (!row) throw new Error(`container ${c.id} vanished inside its own update transaction`);
  return toRecord(row);
}

/**
 * Sets and removes labels of an existing container in the one statement that locks it, as
 * replaceContainer moves updated_at and the revision; null when there is no such container. The
 * caller validates the record this returns and rolls back if it must.
 */
export async function mergeContainerLabels(
  tx: TransactionSql,
  namespace: string,
  id: string,
  set: Readonly<Record<string, string>>,
  removed: readonly string[],
): Promise<ContainerRecord | null> {
  const [row] = await tx<ContainerRow[]>`
    update containers set
      labels = (labels - ${removed as string[]}::text[]) || ${tx.json(set)},
      updated_at = greatest(now(), updated_at + interval '1 microsecond'), revision = revision + 1
    where namespace = ${namespace} and id = ${id}
    returning *`;
  return row ? toRecord(row) : null;
}

/** What berth_merge_container_labels checks on the merged record before it commits. */
export interface LabelMergeGuard {
  readonly expectedRevision: number | null;
  readonly maxLabels: number;
  readonly maxExtensions: number;
}

/**
 * Sets and removes labels and appends the update event, as createContainerStatement does; no row
 * when there is no such container. A refused check fails the statement, and labelMergeRefusal
 * says which; nothing was written then. Only for labels that are valid by themselves.
 */
export function mergeLabelsStatement(
  tx: TransactionSql,
  settings: ScopeSettings,
  id: string,
  set: Readonly<Record<string, string>>,
  removed: readonly string[],
  guard: LabelMergeGuard,
) {
  return tx<ContainerRow[]>`
    select * from berth_merge_container_labels(${settings.namespace}, ${settings.readable}, ${id}, ${tx.json(set)},
      ${removed as string[]}::text[], ${guard.expectedRevision}, ${guard.maxLabels}, ${guard.maxExtensions})`;
}

export type LabelMergeRefusal = { readonly storedRevision: number } | { readonly labels: number; readonly extensions: number };

/** Which check of berth_merge_container_labels refused, or null when `error` is something else. */
export function labelMergeRefusal(error: unknown): LabelMergeRefusal | null {
  if (!(error instanceof postgres.PostgresError)) return null;
  if (error.code === 'BR001') return { storedRevision: Number(error.detail) };
  if (error.code === 'BR002') return JSON.parse(error.detail ?? '{}') as { labels: number; extensions: number };
  return null;
}

/** Deletes a container and appends its event, as createContainerStatement does; false when there is none. */
export function deleteContainerStatement(tx: TransactionSql, settings: ScopeSettings, id: string, event: EventMessage) {
  return tx<{ deleted: boolean }[]>`
    select berth_delete_container(${settings.namespace}, ${settings.readable}, ${id}, ${event.topic}, ${JSON.stringify(event.message)}) as deleted`;
}

export interface PageQuery {
  /** A condition over the containers table, built by filter-sql.ts. */
  readonly where: Fragment;
  readonly after?: string;
  readonly before?: string;
  readonly limit: number;
  /** Walk from the end (Relay `last`); rows still come back in ascending id order. */
  readonly fromEnd: boolean;
  /**
   * Leave the two unbounded columns, spec and extensions, unread when nobody will look at them
   * (a listing of ids and images, say): real OCI specs run to kilobytes a row. The records then
   * carry no spec and no extensions, so only callers that will not read those may ask.
   */
  readonly skipBlobs?: { readonly spec: boolean; readonly extensions: boolean };
}

/** One page in byte-wise id order, using keyset bounds so concurrent writes never shift it. */
export async function listContainers(tx: TransactionSql, namespace: string, q: PageQuery): Promise<ContainerRecord[]> {
  return pageRecords(await pageStatement(tx, namespace, q), q.fromEnd);
}

/** A page's rows in ascending id order, whichever way they were read. */
export function pageRecords(rows: readonly ContainerRow[], fromEnd: boolean): ContainerRecord[] {
  const records = rows.map(toRecord);
  return fromEnd ? records.reverse() : records;
}

/** The page statement itself, exported so a test can EXPLAIN exactly what the API runs. */
export function pageStatement(tx: TransactionSql, namespace: string, q: PageQuery) {
  const spec = q.skipBlobs?.spec ? tx`null as spec_type, null as spec` : tx`spec_type, spec`;
  const extensions = q.skipBlobs?.extensions ? tx`'{}'::jsonb as extensions` : tx`extensions`;
  return tx<ContainerRow[]>`
    select namespace, id, image, runtime_name, runtime_options_type, runtime_options, ${spec}, snapshotter, snapshot_key,
           sandbox, labels, ${extensions}, created_at, updated_at, revision
    from containers
    where namespace = ${namespace} and (${q.where})
      ${q.after === undefined ? tx`` : tx`and id > ${q.after}`}
      ${q.before === undefined ? tx`` : tx`and id < ${q.before}`}
    order by id ${q.fromEnd ? tx`desc` : tx`asc`}
    limit ${q.limit}`;
}

export async function countContainers(tx: TransactionSql, namespace: string, where: Fragment): Promise<number> {
  const [row] = await countStatement(tx, namespace, where);
  return Number(row?.count ?? 0);
}

export function countStatement(tx: TransactionSql, namespace: string, where: Fragment) {
  return tx<{ count: string }[]>`select count(*) from containers where namespace = ${namespace} and (${where})`;
}

/**
 * Every property written out, none spread: V8 builds `{ ...core, more }` one property transition at a
 * time, which measured about fifteen times slower than this literal (1.5 ms for a page of 100).
 */
function toRecord(row: ContainerRow): ContainerRecord {
  const core = coreOf(row);
  return {
    image: core.image,
    runtime: core.runtime,
    spec: core.spec,
    snapshotter: core.snapshotter,
    labels: core.labels,
    extensions: core.extensions,
    namespace: row.namespace,
    id: row.id,
    snapshotKey: row.snapshot_key,
    sandbox: row.sandbox,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revision: row.revision,
  };
}
