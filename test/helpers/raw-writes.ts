import type { NewEvent } from '../../src/db/events.ts';
import type { TransactionSql } from '../../src/db/pool.ts';
import { containerCreated } from '../../src/model/events.ts';

/**
 * Inserts a bare container, inside a transaction the test holds, and returns
 * its create event for the test to append when it chooses: the way tests stage commits the API
 * would not make (held open, rolled back, or fifty events in one transaction).
 */
export async function insertBareContainer(tx: TransactionSql, namespace: string, id: string, image = ''): Promise<NewEvent> {
  const created = await tx`
    insert into containers (namespace, id, image, runtime_name, created_at, updated_at)
    values (${namespace}, ${id}, ${image}, 'rt', now(), now())
    on conflict (namespace, id) do nothing
    returning 1`;
  if (created.length === 0) throw new Error(`container ${id} already exists in ${namespace}`);
  return { namespace, topic: '/containers/create', payload: containerCreated({ id, image, runtime: { name: 'rt', options: null } }).message };
}
