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
import { sessionLost } from '../src/db/transaction.ts';
import { loadConfig } from '../src/server/config.ts';
import type { Limits } from '../src/model/limits.ts';

// postgres.js's own types, not src/db/pool.ts's aliases: the baseline is a plain client.
type Sql = postgres.Sql;
type Tx = postgres.ReservedSql;

/**
 * The floor under the server: the statements Berth's store runs for get, list, create and update,
 * sent straight through postgres.js from the load process, with no GraphQL and no HTTP. Same pool
 * size as the server, same concurrency, same transactions (scoping set_configs and, for writes, the
 * event append with its clock lock and NOTIFY), so the ratio isolates what the API layers cost.
 *
 * The SQL is copied, deliberately, from (keep in step when those change):
 *   src/db/transaction.ts  readInScope (list), readScoped (get), writeScoped (create, update), scopeStatement, flushBarrier
 *   src/db/containers.ts   scopedContainerStatement (get), pageStatement (list), createContainerStatement,
 *                          mergeLabelsStatement (setContainerLabels with valid labels)
 *   src/db/filter-sql.ts   `labels.k==v` → `labels @> {"k":"v"}`
 *   src/model/events.ts    the create event's message
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
        // One self-scoping statement on any pooled connection, as scopedContainerStatement sends it.
        return () => sql`select * from berth_scoped_container(${NAMESPACE}, ${'*'}, ${randomId()})`;
      case 'list': {
        const [key, value] = LIST_FILTER.slice('labels.'.length).split('==') as [string, string];
        return () =>
          readOne(
            sql,
            (tx) => tx`
              select * from containers
              where namespace = ${NAMESPACE} and ((labels @> ${tx.json({ [key]: value })}::jsonb))
              order by id asc
              limit ${100 + 1}`,
          );
      }
      case 'scale':
        return () =>
          readOne(
            sql,
            (tx) => tx`
              select * from containers
              where namespace = ${NAMESPACE} and ((labels @> ${tx.json({ bucket: randomBucket() })}::jsonb))
              order by id asc
              limit ${100 + 1}`,
          );
      case 'create': {
        let k = 0;
        return () => writeOne(sql, (tx) => create(tx, `base-${job.tag}-${k}`, k++));
      }
      case 'update': {
        let k = 0;
        const { limits } = loadConfig({ DATABASE_URL: job.databaseUrl });
        return () => writeOne(sql, (tx) => setLabel(tx, limits, randomId(), 'bench.updated', String(k++)));
      }
    }
  }
}

/** The scope's settings (scopeStatement in src/db/transaction.ts), for a read. */
function scopeStatement(tx: Tx) {
  return tx`select set_config('role', 'berth_app', true),
                   set_config('berth.namespace', ${NAMESPACE}, true),
                   set_config('berth.readable', ${'*'}, true)`;
}

/**
 * readInScope (src/db/transaction.ts) without the error mapping, as list calls it: BEGIN
 * READ ONLY, the scope, the statement and COMMIT handed to a reserved connection at once, one
 * round trip. As there, a connection whose session was lost is not used or released again
 * (postgres.js #1208).
 */
async function readOne(sql: Sql, statement: (tx: Tx) => postgres.PendingQuery<postgres.Row[]>): Promise<void> {
  const tx = await sql.reserve();
  let alive = true;
  try {
    const sent = [tx`begin read only`, scopeStatement(tx), statement(tx), tx`commit`] as const;
    try {
      await Promise.all(sent);
    } catch (error) {
      if (!sessionLost(error)) await Promise.allSettled(sent);
      throw error;
    }
  } catch (error) {
    if (sessionLost(error)) alive = false;
    throw error;
  } finally {
    if (alive) tx.release();
  }
}

/**
 * writeScoped (src/db/transaction.ts) without the error mapping: a write that is a whole
 * transaction by itself (a function of migration 0007) and the flush barrier behind it, handed to
 * a reserved connection at once. Like writeScoped, a connection whose session was lost is not
 * released (postgres.js #1208).
 */
async function writeOne(sql: Sql, statement: (tx: Tx) => postgres.PendingQuery<postgres.Row[]>): Promise<void> {
  const tx = await sql.reserve();
  let alive = true;
  try {
    const [rows] = await Promise.all([statement(tx), flushBarrier(tx)]);
    if (rows.length === 0) throw new Error('the write found nothing to do');
  } catch (error) {
    if (sessionLost(error)) alive = false;
    throw error;
  } finally {
    if (alive) tx.release();
  }
}

/** flushBarrier (src/db/transaction.ts): commit only once the WAL is on disk past this commit. */
function flushBarrier(tx: Tx) {
  return tx`select case when pg_current_wal_flush_lsn() < pg_current_wal_insert_lsn()
                        then pg_logical_emit_message(true, 'berth.flush', '') end`;
}

/** createContainerStatement, with the events createContainer passes. */
function create(tx: Tx, id: string, index: number) {
  const runtimeOptions = Buffer.from(RUNTIME_OPTIONS);
  const message = {
    id,
    image: imageFor(index),
    runtime: { name: RUNTIME_NAME, options: { type_url: RUNTIME_OPTIONS_TYPE, value: runtimeOptions.toString('base64') } },
  };
  return tx`
    select * from berth_create_container(
      ${NAMESPACE}, ${'*'},
      ${id}, ${imageFor(index)}, ${RUNTIME_NAME}, ${RUNTIME_OPTIONS_TYPE}, ${runtimeOptions},
      ${SPEC_TYPE}, ${Buffer.from(SPEC)}, ${SNAPSHOTTER}, ${id}, ${''},
      ${tx.json(labelsFor(index, id))}, ${tx.json(STORED_EXTENSIONS)},
      ${'/namespaces/create'}, ${JSON.stringify({ name: NAMESPACE, labels: {} })},
      ${'/containers/create'}, ${JSON.stringify(message)})`;
}

/** mergeLabelsStatement, as setContainerLabels sends it for one valid label, with the server's default limits. */
function setLabel(tx: Tx, limits: Limits, id: string, key: string, value: string) {
  return tx`
    select * from berth_merge_container_labels(${NAMESPACE}, ${'*'}, ${id}, ${tx.json({ [key]: value })},
      ${[]}::text[], ${null}, ${limits.maxLabels}, ${limits.maxExtensions})`;
}
