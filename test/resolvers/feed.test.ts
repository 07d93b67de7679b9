import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Feed } from '../../src/resolvers/event-hub.ts';

/**
 * A subscriber draining a backlog must let Node read its sockets between events: otherwise one hub
 * read for thousands of subscribers runs as one unbroken chain of promise callbacks, and other
 * requests' transactions sit idle until Postgres ends their sessions. A timer stands in for that
 * I/O: it is a macrotask, so it runs during the drain only if the drain yields to the event loop.
 */
test('draining buffered events yields to the event loop between them', async () => {
  const backlog = 100;
  const feed = new Feed(0n, { namespace: 'default', readable: ['default'] }, [[]], backlog, () => {});
  for (let seq = 1n; seq <= BigInt(backlog); seq++) {
    feed.offer({ seq, namespace: 'default', topic: '/containers/delete', payload: { id: `c${seq}` }, timestamp: '2026-12-01T00:00:00.000000Z' });
  }
  let timerFiredAfter: number | null = null;
  let taken = 0;
  setTimeout(() => (timerFiredAfter = taken), 0);
  const seqs: bigint[] = [];
  while (taken < backlog) {
    const item = await feed.take();
    if (!('seq' in item)) assert.fail(`event ${taken + 1} of the backlog: the feed ended (${item.end})`);
    seqs.push(item.seq);
    taken++;
  }
  assert.deepEqual(
    seqs,
    Array.from({ length: backlog }, (_, i) => BigInt(i + 1)),
    'every buffered event once, in order',
  );
  assert.notEqual(timerFiredAfter, null, 'a timer due at once ran before the backlog was drained');
  feed.close();
  assert.deepEqual(await feed.take(), { end: 'closed' });
});
