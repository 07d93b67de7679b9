import type { Logger } from 'pino';
import postgres from 'postgres';
import { EVENTS_CHANNEL } from './events.ts';
import type { Sql } from './pool.ts';

export interface EventWakeups {
  close(): void;
}

export interface WakeupOptions {
  /** The safety net: wake this often even when no notification arrives. */
  readonly pollMs: number;
  readonly log: Logger;
}

/** How soon a lost LISTEN is tried again, and again after each failure. */
const RELISTEN_DELAY_MS = 250;

/**
 * Calls `wake` whenever the events table may hold new rows: on every NOTIFY berth_events, every
 * time the LISTEN is (re)established, and every `pollMs`. A NOTIFY is only a wake-up call and
 * carries nothing the reader relies on: notifications sent while the LISTEN was down are lost,
 * which is why re-establishing it wakes the reader too, and the reader then reads the table from
 * where it stopped. The poll covers what no notification reports.
 *
 * The LISTEN runs on a connection of its own, one per process however many subscribers it serves.
 * Not postgres.js's sql.listen(): after its connection drops, that re-LISTENs once, and when the
 * attempt fails (Postgres still restarting) it drops the channel without a word, leaving the
 * process on the poll alone. Here the connection's close is seen (onclose), and LISTEN is retried
 * until it holds again, on the same process.
 */
export function watchEventLog(sql: Sql, wake: () => void, options: WakeupOptions): EventWakeups {
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const relistenIn = (ms: number) => {
    clearTimeout(retry);
    if (!closed) retry = setTimeout(() => void listen(), ms).unref();
  };
  // The pool's own parsed settings (address, credentials, session parameters, type parsers) with
  // a reconnect state of its own and nothing that closes the connection when idle. postgres.js
  // takes options that carry `shared` as already parsed: its own listen connection is made so.
  const listener = postgres({
    ...sql.options,
    max: 1,
    idle_timeout: 0,
    max_lifetime: 0,
    fetch_types: false,
    shared: { retries: 0, typeArrayMap: {} },
    onnotify: (channel: string) => void (channel === EVENTS_CHANNEL && wake()),
    onclose: () => relistenIn(RELISTEN_DELAY_MS),
  } as unknown as postgres.Options<Record<string, postgres.PostgresType>>);

  const listen = async (): Promise<void> => {
    try {
      await listener`listen ${listener(EVENTS_CHANNEL)}`;
      if (!closed) wake();
    } catch (error) {
      if (closed) return;
      options.log.warn({ err: error }, 'LISTEN berth_events failed; retrying, and polling meanwhile');
      relistenIn(RELISTEN_DELAY_MS);
    }
  };
  void listen();
  const poll = setInterval(wake, options.pollMs).unref();

  return {
    close: () => {
      closed = true;
      clearInterval(poll);
      clearTimeout(retry);
      // Not awaited, and no UNLISTEN: ending the session ends its LISTEN, and with the database
      // gone a graceful end would wait for a reconnect.
      void listener.end({ timeout: 0 });
    },
  };
}
