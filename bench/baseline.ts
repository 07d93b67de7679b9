import type postgres from 'postgres';
import { createPool } from '../src/db/pool.ts';
import {
  imageFor,
  labelsFor,
  LIST_FILTER,
  NAMESPACE,
  RUNTIME_NAME,
  RUNTIME_OPTIONS,
  RUNTIME_OPTIONS_TYPE,
  randomBucket,
  randomStableId,
  SNAPSHOTTER,
  SPEC,
  SPEC_TYPE,
  STORED_EXTENSIONS,
} from './fixtures.ts';
import { warmThenMeasure } from './closed-loop.ts';
import type { BaselineJob, ThroughputResult } from './protocol.ts';

// postgres.js's own types, not src/db/pool.ts's aliases: the baseline is a plain client.
type Sql = postgres.Sql;
type TransactionSql = postgres.TransactionSql;

/**
 * The floor under the server: the statements Berth's store runs for get, list, create and update,
 * sent straight through postgres.js from the load process, with no GraphQL and no HTTP. Same pool
 * size as the server, same concurrency, same transactions (scoping set_configs and, for writes, the
 * event append with its clock lock and NOTIFY), so the ratio isolates what the API layers cost.
 *
 * The SQL is copied, deliberately, from (keep in step when those change):
 *   src/db/transaction.ts  inScope: begin [read only], set_config(role / berth.namespace / berth.readable)
 *   src/db/containers.ts   getContainer, pageStatement (list), insertContainer, replaceContainer
 *   src/db/namespaces.ts   insertNamespace (src/resolvers/namespaces.ts ensureNamespace, run by every create)
 *   src/db/events.ts       appendStatement (the server sends it with COMMIT; here it is awaited first)
 *   src/db/filter-sql.ts   `labels.k==v` → `labels @> {"k":"v"}`
 *   src/resolvers/event-payloads.ts  the event payloads
 * Rows are not mapped to records or to GraphQL: that is part of what the ratio measures.
 */
export async function runBaseline(job: BaselineJob, progress: (text: string) => void): Promise<ThroughputResult> {
  const sql = createPool(job.databaseUrl, { max: job.poolSize });
  try {
    return await warmThenMeasure(operation(job), job, progress);
  } finally {
    await sql.end({ timeout: 5 });
  }

  function operation(job: BaselineJob): () => Promise<unknown> {
    const randomId = () => randomStableId(job.n);
    switch (job.op) {
      case 'get':
        return () => scoped(sql, 'read only', (tx) => tx`select * from containers where namespace = ${NAMESPACE} and id = ${randomId()}`);
      case 'list': {
        const [key, value] = LIST_FILTER.slice('labels.'.length).split('==') as [string, string];
        return () =>
          scoped(
            sql,
            'read only',
            (tx) => tx`
            select * from containers
            where namespace = ${NAMESPACE} and ((labels @> ${tx.json({ [key]: value })}::jsonb))
            order by id asc
            limit ${100 + 1}`,
          );
      }
      case 'scale':
        return () =>
          scoped(
            sql,
            'read only',
            (tx) => tx`
            select * from containers
            where namespace = ${NAMESPACE} and ((labels @> ${tx.json({ bucket: randomBucket() })}::jsonb))
            order by id asc
            limit ${100 + 1}`,
          );
      case 'create': {
        let k = 0;
        return () => scoped(sql, '', (tx) => create(tx, `base-${job.tag}-${k}`, k++));
      }
      case 'update': {
        let k = 0;
        return () => scoped(sql, '', (tx) => setLabel(tx, randomId(), 'bench.updated', String(k++)));
      }
    }
  }
}

/** inScope (src/db/transaction.ts), without the error mapping. */
function scoped(sql: Sql, mode: string, work: (tx: TransactionSql) => Promise<unknown>): Promise<unknown> {
  return sql.begin(mode, async (tx) => {
    await tx`select set_config('role', 'berth_app', true),
                    set_config('berth.namespace', ${NAMESPACE}, true),
                    set_config('berth.readable', ${'*'}, true)`;
    return work(tx);
  });
}

async function create(tx: TransactionSql, id: string, index: number): Promise<void> {
  const runtimeOptions = Buffer.from(RUNTIME_OPTIONS);
  await tx`insert into namespaces (name, labels) values (${NAMESPACE}, ${tx.json({})}) on conflict (name) do nothing returning 1`;
  const [row] = await tx<{ id: string; image: string }[]>`
    insert into containers (namespace, id, image, runtime_name, runtime_options_type, runtime_options, spec_type, spec,
                            snapshotter, snapshot_key, sandbox, labels, extensions, created_at, updated_at)
    values (${NAMESPACE}, ${id}, ${imageFor(index)}, ${RUNTIME_NAME}, ${RUNTIME_OPTIONS_TYPE}, ${runtimeOptions},
            ${SPEC_TYPE}, ${Buffer.from(SPEC)}, ${SNAPSHOTTER}, ${id}, ${''},
            ${tx.json(labelsFor(index, id))}, ${tx.json(STORED_EXTENSIONS)}, now(), now())
    on conflict (namespace, id) do nothing
    returning *`;
  if (!row) throw new Error(`container ${id} already exists`);
  await appendEvent(tx, '/containers/create', {
    id: row.id,
    image: row.image,
    runtime: { name: RUNTIME_NAME, options: { type_url: RUNTIME_OPTIONS_TYPE, value: runtimeOptions.toString('base64') } },
  });
}

interface StoredRow {
  id: string;
  image: string;
  spec_type: string | null;
  spec: Buffer | null;
  snapshot_key: string;
  labels: Record<string, string>;
  extensions: Record<string, { typeUrl: string; value: string }>;
}

/** setContainerLabels: read for update, write every mutable field back, append the event. */
async function setLabel(tx: TransactionSql, id: string, key: string, value: string): Promise<void> {
  const [stored] = await tx<StoredRow[]>`select * from containers where namespace = ${NAMESPACE} and id = ${id} for update`;
  if (!stored) throw new Error(`container ${id} not found`);
  const labels = { ...stored.labels, [key]: value };
  const [row] = await tx<StoredRow[]>`
    update containers set
      image = ${stored.image}, spec_type = ${stored.spec_type}, spec = ${stored.spec},
      snapshot_key = ${stored.snapshot_key}, labels = ${tx.json(labels)}, extensions = ${tx.json(stored.extensions)},
      updated_at = greatest(now(), updated_at + interval '1 microsecond'), revision = revision + 1
    where namespace = ${NAMESPACE} and id = ${id}
    returning *`;
  if (!row) throw new Error(`container ${id} vanished`);
  await appendEvent(tx, '/containers/update', { id: row.id, image: row.image, labels: row.labels, snapshot_key: row.snapshot_key });
}

/** appendStatement (src/db/events.ts) for one event: clock row lock, insert, NOTIFY on commit. */
async function appendEvent(tx: TransactionSql, topic: string, payload: Record<string, unknown>): Promise<void> {
  await tx`
    with clock as (
      update event_clock set last_seq = last_seq + ${1} returning last_seq
    ), appended as (
      insert into events (seq, namespace, topic, payload)
      select clock.last_seq - ${1} + e.ord, e.namespace, e.topic, e.payload::jsonb
      from clock, unnest(${[NAMESPACE]}::text[], ${[topic]}::text[], ${[JSON.stringify(payload)]}::text[]) with ordinality as e(namespace, topic, payload, ord)
      returning seq
    )
    select pg_notify(${'berth_events'}, max(seq)::text) from appended`;
}
