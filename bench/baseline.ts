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
 *   src/db/transaction.ts  readInScope (list), readScoped (get), inScope with flushAfterUnlock (mutations),
 *                          scopeStatement, flushBarrier
 *   src/db/containers.ts   scopedContainerStatement (get), getContainer, pageStatement (list), insertContainer, replaceContainer
 *   src/db/namespaces.ts   insertNamespace (src/resolvers/namespaces.ts ensureNamespace, sent with every create's insert)
 *   src/db/events.ts       appendStatement (sent with COMMIT and the flush barrier, as src/resolvers/mutation.ts does)
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
        return () => mutate(sql, (tx) => create(tx, `base-${job.tag}-${k}`, k++));
      }
      case 'update': {
        let k = 0;
        return () => mutate(sql, (tx) => setLabel(tx, randomId(), 'bench.updated', String(k++)));
      }
    }
  }
}

/** The scope's settings (scopeStatement in src/db/transaction.ts), for a mutation with synchronous_commit off. */
function scopeStatement(tx: Tx, asyncCommit: boolean) {
  return tx`select set_config('role', 'berth_app', true),
                   set_config('berth.namespace', ${NAMESPACE}, true),
                   set_config('berth.readable', ${'*'}, true)
                   ${asyncCommit ? tx`, set_config('synchronous_commit', 'off', true)` : tx``}`;
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
    const sent = [tx`begin read only`, scopeStatement(tx, false), statement(tx), tx`commit`] as const;
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

/** An event for mutate() to append with COMMIT, as a mutation's emit does. */
interface Event {
  readonly topic: string;
  readonly payload: Record<string, unknown>;
}

/**
 * inScope with flushAfterUnlock (src/db/transaction.ts, src/resolvers/mutation.ts) without the
 * error mapping: on a reserved connection, BEGIN and the scope (synchronous_commit off) are
 * pipelined with the first statement of `work`; the event append, COMMIT and the flush barrier go
 * in one write. Like inScope, nothing more is sent on a connection whose session is lost, and it
 * is not released (postgres.js #1208).
 */
async function mutate(sql: Sql, work: (tx: Tx) => Promise<Event>): Promise<void> {
  const tx = await sql.reserve();
  let alive = true;
  try {
    const opened = Promise.all([tx.unsafe('begin '), scopeStatement(tx, true)]);
    opened.catch(() => {});
    let event: Event;
    try {
      event = await work(tx);
      await opened;
    } catch (error) {
      alive = !sessionLost(error);
      if (alive) await tx`rollback`.catch((rollbackError: unknown) => void (alive = !sessionLost(rollbackError)));
      throw error;
    }
    await Promise.all([appendEvent(tx, event), tx`commit`, flushBarrier(tx)]);
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

async function create(tx: Tx, id: string, index: number): Promise<Event> {
  const runtimeOptions = Buffer.from(RUNTIME_OPTIONS);
  // Sent together, as insertNewContainer (src/resolvers/containers.ts) does.
  const [, [row]] = await Promise.all([
    tx`insert into namespaces (name, labels) values (${NAMESPACE}, ${tx.json({})}) on conflict (name) do nothing returning 1`,
    tx<{ id: string; image: string }[]>`
    insert into containers (namespace, id, image, runtime_name, runtime_options_type, runtime_options, spec_type, spec,
                            snapshotter, snapshot_key, sandbox, labels, extensions, created_at, updated_at)
    values (${NAMESPACE}, ${id}, ${imageFor(index)}, ${RUNTIME_NAME}, ${RUNTIME_OPTIONS_TYPE}, ${runtimeOptions},
            ${SPEC_TYPE}, ${Buffer.from(SPEC)}, ${SNAPSHOTTER}, ${id}, ${''},
            ${tx.json(labelsFor(index, id))}, ${tx.json(STORED_EXTENSIONS)}, now(), now())
    on conflict (namespace, id) do nothing
    returning *`,
  ]);
  if (!row) throw new Error(`container ${id} already exists`);
  return {
    topic: '/containers/create',
    payload: {
      id: row.id,
      image: row.image,
      runtime: { name: RUNTIME_NAME, options: { type_url: RUNTIME_OPTIONS_TYPE, value: runtimeOptions.toString('base64') } },
    },
  };
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

/** setContainerLabels: read for update, write every mutable field back; mutate() appends the event. */
async function setLabel(tx: Tx, id: string, key: string, value: string): Promise<Event> {
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
  return { topic: '/containers/update', payload: { id: row.id, image: row.image, labels: row.labels, snapshot_key: row.snapshot_key } };
}

/** appendStatement (src/db/events.ts) for one event: clock row lock, insert, NOTIFY on commit. */
function appendEvent(tx: Tx, { topic, payload }: Event) {
  return tx`
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
