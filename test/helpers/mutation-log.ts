import assert from 'node:assert/strict';
import type { GraphQLResponse } from './server.ts';

/**
 * The client's side of exactly-once: a log of the mutations it sent and what it learned of each.
 * Deliveries are checked against this log, not only against the events table, so a change that
 * committed without its event (or an event no change explains) shows.
 */

/**
 * acknowledged: the API answered without errors, so the change committed. maybe: the answer was
 * lost or INTERNAL, so it may have committed. refused: a definite error, so nothing committed.
 */
export type Outcome = 'acknowledged' | 'maybe' | 'refused';

/** What names one change's event: its topic, namespace and subject (an update also its new image). */
export function changeKey(topic: string, namespace: string, subject: string, image?: string): string {
  return `${topic} ${namespace}/${subject}${topic === '/containers/update' ? `@${image ?? ''}` : ''}`;
}

export class MutationLog {
  readonly outcomes = new Map<string, Outcome>();

  record(key: string, outcome: Outcome): void {
    assert.ok(!this.outcomes.has(key), `the workload sent ${key} twice; keys must name one change each`);
    this.outcomes.set(key, outcome);
  }

  /** Sends one mutation and records its outcome; returns the response, or null when it was lost. */
  async send(key: string, request: () => Promise<GraphQLResponse>): Promise<GraphQLResponse | null> {
    let response: GraphQLResponse;
    try {
      response = await request();
    } catch {
      this.record(key, 'maybe');
      return null;
    }
    const code = response.errors?.[0]?.extensions?.code;
    this.record(key, response.errors === undefined ? 'acknowledged' : code === 'INTERNAL' || code === undefined ? 'maybe' : 'refused');
    return response;
  }

  count(outcome: Outcome): number {
    return [...this.outcomes.values()].filter((o) => o === outcome).length;
  }

  /**
   * Exactly once, both ways: every acknowledged change has exactly one event among `delivered`,
   * a maybe-committed change at most one, and every event belongs to a change that committed or
   * may have.
   */
  assertExactlyOnce(who: string, delivered: readonly string[]): void {
    const seen = new Map<string, number>();
    for (const key of delivered) seen.set(key, (seen.get(key) ?? 0) + 1);
    const missing = [...this.outcomes].filter(([key, outcome]) => outcome === 'acknowledged' && !seen.has(key)).map(([key]) => key);
    const twice = [...seen].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
    const foreign = [...seen.keys()].filter((key) => {
      const o = this.outcomes.get(key);
      return o === undefined || o === 'refused';
    });
    assert.deepEqual(missing.slice(0, 10), [], `${who}: ${missing.length} acknowledged changes have no event`);
    assert.deepEqual(twice.slice(0, 10), [], `${who}: ${twice.length} changes have more than one event`);
    assert.deepEqual(foreign.slice(0, 10), [], `${who}: ${foreign.length} events belong to no committed change`);
  }
}
