import type { Logger } from 'pino';
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

const RELISTEN_DELAY_MS = 1000;

/**
 * Calls `wake` whenever the events table may hold new rows: on every NOTIFY berth_events, every
 * time the LISTEN is (re)established, and every `pollMs`. A NOTIFY is only a wake-up call and
 * carries nothing the reader relies on: notifications sent while the listen connection was down
 * are lost, which is why postgres.js's onlisten callback, run again after each reconnect, wakes
 * the reader too, and the reader then reads the table from where it stopped. The poll covers what
 * postgres.js cannot see, such as a re-LISTEN that failed while the database was away.
 *
 * postgres.js runs all LISTENs of a pool on one dedicated connection, so this is the process's one
 * LISTEN however many subscribers it serves.
 */
export function watchEventLog(sql: Sql, wake: () => void, options: WakeupOptions): EventWakeups {
  let closed = false;
  let unlisten: (() => Promise<void>) | null = null;
  let retry: NodeJS.Timeout | undefined;

  const listen = async (): Promise<void> => {
    try {
      const subscription = await sql.listen(EVENTS_CHANNEL, () => wake(), () => wake());
      if (closed) void subscription.unlisten().catch(() => {});
      else unlisten = subscription.unlisten;
    } catch (error) {
      if (closed) return;
      options.log.warn({ err: error }, 'LISTEN berth_events failed; retrying, and polling meanwhile');
      retry = setTimeout(() => void listen(), RELISTEN_DELAY_MS).unref();
    }
  };
  void listen();
  const poll = setInterval(wake, options.pollMs).unref();

  return {
    close: () => {
      closed = true;
      clearInterval(poll);
      clearTimeout(retry);
      // Not awaited: with the database gone it would wait for a reconnect, and closing the pool
      // ends the listen connection anyway.
      void unlisten?.().catch(() => {});
    },
  };
}
