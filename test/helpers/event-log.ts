import assert from 'node:assert/strict';
import type { Sql } from '../../src/db/pool.ts';
import { encodeEventCursor } from '../../src/resolvers/cursors.ts';
import { pollUntil } from './bounded.ts';

/**
 * The event log and its LISTEN connections, read straight from Postgres with the test's login
 * (a superuser, so row-level security does not apply): the truth the subscribers are checked against.
 */

/** Every committed event, from the table itself (the test's login bypasses row-level security). */
export async function committedEvents(
  sql: Sql,
): Promise<{ cursor: string; namespace: string; topic: string; id: string | null; name: string | null; image: string | null }[]> {
  const rows = await sql<{ seq: string; namespace: string; topic: string; id: string | null; name: string | null; image: string | null }[]>`
    select seq, namespace, topic, payload->>'id' as id, payload->>'name' as name, payload->>'image' as image from events order by seq`;
  return rows.map((row) => ({
    cursor: encodeEventCursor(BigInt(row.seq)),
    namespace: row.namespace,
    topic: row.topic,
    id: row.id,
    name: row.name,
    image: row.image,
  }));
}

/** How many events began (took their xid) before an event that precedes them in the sequence. */
export async function commitOrderInversions(sql: Sql): Promise<number> {
  const [row] = await sql<{ count: string }[]>`
    select count(*) from (
      select xid::text::numeric as x, max(xid::text::numeric) over (order by seq rows between unbounded preceding and 1 preceding) as before
      from events) t
    where x < before`;
  return Number(row?.count ?? 0);
}

export async function lastCursor(sql: Sql): Promise<string> {
  const [row] = await sql<{ last_seq: string }[]>`select last_seq from event_clock`;
  return encodeEventCursor(BigInt(row?.last_seq ?? 0));
}

/** The LISTEN backends of this database: postgres.js runs each pool's LISTENs on one connection. */
export async function listenBackends(sql: Sql): Promise<number[]> {
  const rows = await sql<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`;
  return rows.map((row) => row.pid);
}

/**
 * Kills every LISTEN connection once the log passes `atSeq`, then waits until `replicas` LISTENs
 * are back, on new connections: postgres.js reconnects and re-LISTENs, and its onlisten callback
 * makes each hub read what it missed. Returns the pids it killed.
 */
export async function killListenersAt(sql: Sql, atSeq: bigint, replicas: number): Promise<number[]> {
  await pollUntil(
    async () => (BigInt((await sql<{ last_seq: string }[]>`select last_seq from event_clock`)[0]!.last_seq) >= atSeq ? true : undefined),
    `the event log to reach seq ${atSeq}`,
  );
  const killed = await listenBackends(sql);
  assert.equal(killed.length, replicas, `one LISTEN per server process, found ${killed.length}`);
  await sql`select pg_terminate_backend(pid) from unnest(${killed}::int[]) as pid`;
  await pollUntil(
    async () => {
      const now = await listenBackends(sql);
      return now.length === replicas && now.every((pid) => !killed.includes(pid)) ? true : undefined;
    },
    `${replicas} new LISTEN connections after killing ${killed.join(', ')}`,
  );
  return killed;
}
