import { anyValue, decodeExtensions, encodeExtensions, type StoredExtensions } from './codecs.ts';
import type { PageQuery } from './containers.ts';
import type { Fragment, TransactionSql } from './pool.ts';
import type { CheckpointRecord, ContainerRecord } from '../model/records.ts';

/**
 * Checkpoint rows. As for containers, every statement names the namespace although row-level
 * security would confine it anyway, so the planner can use the (namespace, ref) key.
 */
interface CheckpointRow {
  namespace: string;
  ref: string;
  container_id: string;
  image: string;
  runtime_name: string;
  runtime_options_type: string | null;
  runtime_options: Buffer | null;
  spec_type: string | null;
  spec: Buffer | null;
  snapshotter: string;
  labels: Record<string, string>;
  extensions: StoredExtensions;
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
    insert into checkpoints (namespace, ref, container_id, image, runtime_name, runtime_options_type, runtime_options,
                             spec_type, spec, snapshotter, labels, extensions)
    values (${c.namespace}, ${ref}, ${c.id}, ${c.image}, ${c.runtime.name}, ${c.runtime.options?.typeUrl ?? null},
            ${c.runtime.options?.value ?? null}, ${c.spec?.typeUrl ?? null}, ${c.spec?.value ?? null}, ${c.snapshotter},
            ${tx.json(c.labels)}, ${tx.json(encodeExtensions(c.extensions))})
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

function toRecord(row: CheckpointRow): CheckpointRecord {
  return {
    namespace: row.namespace,
    ref: row.ref,
    containerId: row.container_id,
    image: row.image,
    runtime: { name: row.runtime_name, options: anyValue(row.runtime_options_type, row.runtime_options) },
    snapshotter: row.snapshotter,
    spec: anyValue(row.spec_type, row.spec),
    labels: row.labels,
    extensions: decodeExtensions(row.extensions),
    createdAt: row.created_at,
  };
}
