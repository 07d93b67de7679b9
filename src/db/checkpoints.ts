import { coreColumns, coreOf, type CoreRow, coreValues } from './codecs.ts';
import type { PageQuery } from './containers.ts';
import type { Fragment, TransactionSql } from './pool.ts';
import type { CheckpointRecord, ContainerRecord } from '../model/records.ts';

/**
 * Checkpoint rows. As for containers, every statement names the namespace although row-level
 * security would confine it anyway, so the planner can use the (namespace, ref) key.
 */
interface CheckpointRow extends CoreRow {
  namespace: string;
  ref: string;
  container_id: string;
  created_at: string;
}

/** The statement that reads one checkpoint, for a one-round-trip read (readInScope); see firstCheckpoint. */
export function checkpointStatement(tx: TransactionSql, namespace: string, ref: string) {
  return tx<CheckpointRow[]>`select * from checkpoints where namespace = ${namespace} and ref = ${ref}`;
}

export function firstCheckpoint(rows: readonly CheckpointRow[]): CheckpointRecord | null {
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function getCheckpoint(tx: TransactionSql, namespace: string, ref: string): Promise<CheckpointRecord | null> {
  return firstCheckpoint(await checkpointStatement(tx, namespace, ref));
}

/** Stores the container's record under `ref`; null when the ref is taken. */
export async function insertCheckpoint(tx: TransactionSql, ref: string, c: ContainerRecord): Promise<CheckpointRecord | null> {
  const [row] = await tx<CheckpointRow[]>`
    insert into checkpoints (namespace, ref, container_id, ${coreColumns(tx)})
    values (${c.namespace}, ${ref}, ${c.id}, ${coreValues(tx, c)})
    on conflict (namespace, ref) do nothing
    returning *`;
  return row ? toRecord(row) : null;
}

export async function deleteCheckpoint(tx: TransactionSql, namespace: string, ref: string): Promise<boolean> {
  const rows = await tx`delete from checkpoints where namespace = ${namespace} and ref = ${ref} returning 1`;
  return rows.length > 0;
}

/** One forward page in byte-wise ref order, with keyset bounds as for containers. */
export async function listCheckpoints(tx: TransactionSql, namespace: string, q: Pick<PageQuery, 'where' | 'after' | 'limit'>): Promise<CheckpointRecord[]> {
  const rows = await tx<CheckpointRow[]>`
    select * from checkpoints
    where namespace = ${namespace} and (${q.where})
      ${q.after === undefined ? tx`` : tx`and ref > ${q.after}`}
    order by ref
    limit ${q.limit}`;
  return rows.map(toRecord);
}

export async function countCheckpoints(tx: TransactionSql, namespace: string, where: Fragment): Promise<number> {
  const [row] = await tx<{ count: string }[]>`select count(*) from checkpoints where namespace = ${namespace} and (${where})`;
  return Number(row?.count ?? 0);
}

/** Written out property by property, like containers.ts's toRecord, and for the same reason: no spread. */
function toRecord(row: CheckpointRow): CheckpointRecord {
  const core = coreOf(row);
  return {
    image: core.image,
    runtime: core.runtime,
    spec: core.spec,
    snapshotter: core.snapshotter,
    labels: core.labels,
    extensions: core.extensions,
    namespace: row.namespace,
    ref: row.ref,
    containerId: row.container_id,
    createdAt: row.created_at,
  };
}
