import type { Fragment, TransactionSql } from './pool.ts';
import type { Labels, NamespaceRecord } from '../model/records.ts';

/** The namespace, or no row; `lock` holds it until the transaction ends. */
export function namespaceByName(tx: TransactionSql, name: string, lock = false) {
  return tx<NamespaceRecord[]>`select name, labels from namespaces where name = ${name} ${lock ? tx`for update` : tx``}`;
}

export async function getNamespace(tx: TransactionSql, name: string, lock = false): Promise<NamespaceRecord | null> {
  const [row] = await namespaceByName(tx, name, lock);
  return row ?? null;
}

/** Every namespace the transaction may read, in byte-wise order, narrowed by a filter-sql condition. */
export function listNamespaces(tx: TransactionSql, where: Fragment) {
  return tx<NamespaceRecord[]>`select name, labels from namespaces where ${where} order by name`;
}

/**
 * What still lives in the namespace, in the order a refusal names it: containers (containerd's
 * wording), then Berth's checkpoints.
 */
export async function namespaceContents(tx: TransactionSql, namespace: string): Promise<('containers' | 'checkpoints')[]> {
  const [row] = await tx<{ containers: boolean; checkpoints: boolean }[]>`
    select exists (select 1 from containers where namespace = ${namespace}) as containers,
           exists (select 1 from checkpoints where namespace = ${namespace}) as checkpoints`;
  return (['containers', 'checkpoints'] as const).filter((kind) => row?.[kind]);
}

/** Creates the namespace; false when it exists already. */
export async function insertNamespace(tx: TransactionSql, name: string, labels: Labels): Promise<boolean> {
  const rows = await tx`insert into namespaces (name, labels) values (${name}, ${tx.json(labels)}) on conflict (name) do nothing returning 1`;
  return rows.length > 0;
}

export async function setNamespaceLabels(tx: TransactionSql, name: string, labels: Labels): Promise<NamespaceRecord> {
  const [row] = await tx<NamespaceRecord[]>`
    update namespaces set labels = ${tx.json(labels)}, updated_at = now() where name = ${name} returning name, labels`;
  if (!row) throw new Error(`namespace ${name} vanished inside its own update transaction`);
  return row;
}

export async function deleteNamespace(tx: TransactionSql, name: string): Promise<boolean> {
  const rows = await tx`delete from namespaces where name = ${name} returning 1`;
  return rows.length > 0;
}
