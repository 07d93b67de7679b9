import type { TransactionSql } from './pool.ts';

export interface NewEvent {
  readonly namespace: string;
  readonly topic: string;
  /** containerd's event message, with its proto field names (reference §6.1). */
  readonly payload: Readonly<Record<string, unknown>>;
}

export const EVENTS_CHANNEL = 'berth_events';

/**
 * Appends a transaction's events. Call it as the transaction's last statement: it takes the
 * event_clock row lock, which is held until commit, so transactions take their sequence numbers
 * in the order they commit. A reader therefore always sees a gapless prefix of the sequence and can
 * never be overtaken by a late commit of a smaller number. The NOTIFY is only a wake-up for
 * listeners; it is delivered at commit, and the table stays the truth.
 */
export async function appendEvents(tx: TransactionSql, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx`
    with clock as (
      update event_clock set last_seq = last_seq + ${events.length} returning last_seq
    ), appended as (
      insert into events (seq, namespace, topic, payload)
      select clock.last_seq - ${events.length} + e.ord, e.namespace, e.topic, e.payload::jsonb
      from clock, unnest(${events.map((e) => e.namespace)}::text[], ${events.map((e) => e.topic)}::text[],
                         ${events.map((e) => JSON.stringify(e.payload))}::text[]) with ordinality as e(namespace, topic, payload, ord)
      returning seq
    )
    select pg_notify(${EVENTS_CHANNEL}, max(seq)::text) from appended`;
}

/** The sequence number of the last event this transaction's snapshot can see. */
export async function eventHorizon(tx: TransactionSql): Promise<bigint> {
  const [row] = await tx<{ last_seq: string }[]>`select last_seq from event_clock`;
  return BigInt(row?.last_seq ?? 0);
}
