import type { PendingQuery, Row } from 'postgres';
import type { StoredEvent } from '../model/events.ts';
import type { Sql, TransactionSql } from './pool.ts';
import type { Scope } from '../model/scope.ts';
import { flushBarrier, inScope } from './transaction.ts';

export interface NewEvent {
  readonly namespace: string;
  readonly topic: string;
  /** containerd's event message, with its proto field names (docs/behaviour.md §6). */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** The channel berth_append_events (migration 0007) notifies. */
export const EVENTS_CHANNEL = 'berth_events';

/**
 * The statement that appends a transaction's events (berth_append_events, migration 0007), or
 * null when there are none. It must be the transaction's last statement, sent together with
 * COMMIT (transaction.ts's beforeCommit): it takes the event_clock row lock, which is held until
 * commit, so transactions take their sequence numbers in the order they commit. A reader therefore always sees a gapless prefix of the
 * sequence and can never be overtaken by a late commit of a smaller number, and a rollback leaves
 * no gap (the clock update rolls back with it). It serializes numbering at commit
 * (docs/architecture.md), chosen over the xmin horizon (which any idle transaction anywhere on the
 * server holds back) and over a separate sequencer process.
 * Its cost: writers that commit at the same moment queue on this one row while Postgres runs the
 * append and flushes the commit to the WAL. Because COMMIT travels in the same write, no client
 * round trip happens under the lock, and a process that freezes after sending them holds nothing.
 * The NOTIFY is only a wake-up for listeners; it is delivered at commit, and the table stays the
 * truth.
 */
export function appendStatement(tx: TransactionSql, events: readonly NewEvent[]): PendingQuery<Row[]> | null {
  if (events.length === 0) return null;
  return tx`
    select berth_append_events(${events.map((e) => e.namespace)}::text[], ${events.map((e) => e.topic)}::text[],
                               ${events.map((e) => JSON.stringify(e.payload))}::text[])`;
}

/** The sequence number of the last event this transaction's snapshot can see. */
export async function eventHorizon(tx: TransactionSql): Promise<bigint> {
  return (await readClock(tx)).lastSeq;
}

export interface EventClock {
  /** The last sequence number committed (as this snapshot sees it). */
  readonly lastSeq: bigint;
  /** Every event with seq <= prunedThrough may be gone: resuming from before it is OUT_OF_RANGE. */
  readonly prunedThrough: bigint;
}

/**
 * Writers commit without waiting for the disk (transaction.ts flushAfterUnlock), so what a reader
 * sees of the log may not be durable yet. Both reads below therefore make their transaction
 * commit only once the WAL is flushed past everything it could see (flushBarrier), and
 * transaction.ts answers only after COMMIT: no event and no cursor is handed out that a crash of
 * Postgres could take back, to be reused by a different event.
 */
export async function readClock(tx: TransactionSql): Promise<EventClock> {
  const [[row]] = await Promise.all([tx<{ last_seq: string; pruned_through: string }[]>`select last_seq, pruned_through from event_clock`, flushBarrier(tx)]);
  return { lastSeq: BigInt(row?.last_seq ?? 0), prunedThrough: BigInt(row?.pruned_through ?? 0) };
}

export interface EventRange {
  readonly afterSeq: bigint;
  /** Inclusive upper bound; none means up to the end of the log. */
  readonly throughSeq?: bigint;
  readonly limit: number;
  /**
   * The namespaces the reader may see, when that is a list. Row-level security confines the read
   * anyway; naming them explicitly lets the (namespace, seq) index serve a one-namespace reader.
   */
  readonly namespaces?: readonly string[];
}

interface EventRow {
  seq: string;
  namespace: string;
  topic: string;
  payload: Record<string, unknown>;
  created_at: string;
}

/** Events in sequence order, as far as the transaction's scope may read them. Bigints travel as text. */
export async function readEvents(tx: TransactionSql, range: EventRange): Promise<StoredEvent[]> {
  const [rows] = await Promise.all([read(), flushBarrier(tx)]);
  return rows.map((row) => ({ seq: BigInt(row.seq), namespace: row.namespace, topic: row.topic, payload: row.payload, timestamp: row.created_at }));

  function read() {
    return tx<EventRow[]>`
      select seq, namespace, topic, payload, created_at from events
      where seq > ${String(range.afterSeq)}::bigint
        ${range.throughSeq === undefined ? tx`` : tx`and seq <= ${String(range.throughSeq)}::bigint`}
        ${range.namespaces === undefined ? tx`` : tx`and namespace = any(${range.namespaces as string[]}::text[])`}
      order by seq
      limit ${range.limit}`;
  }
}

/** Pruning may touch every namespace; the events_prune policy (0002) admits only this scope. */
const PRUNER_SCOPE: Scope = { namespace: '', readable: '*' };
/** Rows deleted per transaction, so a first prune of a long history never holds locks for long. */
const PRUNE_BATCH = 10_000;

/**
 * Deletes the oldest events, those older than `olderThanSeconds`, and advances pruned_through in
 * the same transaction as each batch: a reader that checks pruned_through and reads rows in one
 * snapshot either sees the rows or sees that they are gone, never a silent hole. Only a prefix of
 * the sequence is removed: it stops at the first event young enough to keep. Returns the number
 * of events deleted.
 */
export async function pruneEvents(sql: Sql, olderThanSeconds: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    let through = 0n;
    const batch = await inScope(
      sql,
      PRUNER_SCOPE,
      async (tx) => {
        const [bound] = await tx<{ through: string }[]>`
          select least(
            coalesce((select seq - 1 from events where created_at >= now() - make_interval(secs => ${olderThanSeconds}) order by seq limit 1),
                     (select last_seq from event_clock)),
            (select pruned_through + ${PRUNE_BATCH} from event_clock)) as through`;
        through = BigInt(bound?.through ?? 0);
        const gone = await tx`delete from events where seq <= ${String(through)}::bigint`;
        return gone.count;
      },
      // The clock row lock is what writers queue on: taken last, and sent with the COMMIT.
      { beforeCommit: (tx) => tx`update event_clock set pruned_through = greatest(pruned_through, ${String(through)}::bigint)` },
    );
    deleted += batch;
    if (batch < PRUNE_BATCH) return deleted;
  }
}
