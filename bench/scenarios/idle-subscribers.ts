import type { IdleJob, IdleResult, Skipped } from '../protocol.ts';
import { EVENTS } from './documents.ts';
import { connectSubscribers } from './subscribers.ts';
import { subscriptionProblem } from './ws-client.ts';

/**
 * idle-subscribers: many live `events` subscriptions and no traffic. The load process connects
 * them, says `ready`, and holds them while the orchestrator reads the server's RSS; `release`
 * (the returned promise of waitForRelease) closes them.
 */
export async function runIdleSubscribers(job: IdleJob, progress: (text: string) => void, waitForRelease: () => Promise<void>): Promise<IdleResult | Skipped> {
  const problem = await subscriptionProblem(job.url);
  if (problem) return { skipped: `subscription not available: ${problem}` };
  let subscriptionErrors = 0;
  let firstSubscriptionError: string | undefined;
  const subscribers = await connectSubscribers(
    job.url,
    job.subscribers,
    (connection, index) =>
      connection.subscribe(
        `idle-${index}`,
        EVENTS,
        {},
        {
          next: () => {},
          error: (message) => {
            subscriptionErrors++;
            firstSubscriptionError ??= message;
          },
        },
      ),
    progress,
    200,
  );
  try {
    await waitForRelease();
  } finally {
    subscribers.closeAll();
  }
  const firstError = subscribers.firstError ?? firstSubscriptionError;
  return {
    requested: job.subscribers,
    connected: subscribers.connections.length - subscriptionErrors,
    failed: subscribers.failed + subscriptionErrors,
    connectSeconds: subscribers.seconds,
    ...(firstError ? { firstError } : {}),
  };
}
