import type { Logger } from 'pino';
import { pruneEvents } from '../db/events.ts';
import type { Sql } from '../db/pool.ts';

export interface EventPruner {
  /** Stops the timer and waits for a prune in progress. */
  stop(): Promise<void>;
}

const MIN_INTERVAL_MS = 1000;
const MAX_INTERVAL_MS = 60_000;

/**
 * Deletes events older than the retention window (BERTH_EVENT_RETENTION), once at start and then
 * every tenth of the window (between 1 s and 1 min), so nothing outlives it by much. Every replica
 * runs one; concurrent prunes of the same rows are harmless.
 */
export function startEventPruner(db: Sql, retentionSeconds: number, log: Logger): EventPruner {
  let running: Promise<void> | null = null;
  const prune = () => {
    running ??= pruneEvents(db, retentionSeconds)
      .then((deleted) => {
        if (deleted > 0) log.info({ deleted, retentionSeconds }, 'pruned old events');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'pruning events failed; the next round retries'))
      .finally(() => {
        running = null;
      });
  };
  const intervalMs = Math.min(Math.max((retentionSeconds * 1000) / 10, MIN_INTERVAL_MS), MAX_INTERVAL_MS);
  const timer = setInterval(prune, intervalMs).unref();
  prune();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
