import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { appendStatement } from '../../src/db/events.ts';
import { inScope } from '../../src/db/transaction.ts';
import { CREATE } from '../helpers/containers.ts';
import { collectUntil, EVENT_HISTORY, type ReceivedEvent, subscribeEvents, type Transport } from '../helpers/events.ts';
import { lastCursor } from '../helpers/event-log.ts';
import { insertBareContainer } from '../helpers/raw-writes.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const TRANSPORTS: Transport[] = ['ws', 'sse'];
const container = (id: string) => ({ containerId: id, runtime: { name: 'rt' }, spec: { typeUrl: 't', json: {} } });

describe('a subscriber that falls behind (BERTH_SUBSCRIBER_BUFFER=5)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ BERTH_SUBSCRIBER_BUFFER: '5' });
    assert.equal((await server.gql(`mutation { createNamespace(input: { name: "default" }) { namespace { name } } }`)).errors, undefined);
  });
  after(() => server.close());

  /**
   * 50 events committed in one transaction reach the hub in one read and are offered to the feed
   * in one synchronous pass, so a buffer of 5 overflows deterministically, whatever the speed.
   */
  async function burst(prefix: string, count: number): Promise<void> {
    await inScope(server.sql, { namespace: 'default', readable: ['default'] }, async (tx) => {
      const events = [];
      for (let i = 0; i < count; i++) {
        events.push(await insertBareContainer(tx, 'default', `${prefix}-${i}`));
      }
      await appendStatement(tx, events);
    });
  }

  for (const transport of TRANSPORTS) {
    test(`${transport}: RESOURCE_EXHAUSTED names the last delivered cursor, and resuming from it completes the stream`, async () => {
      const start = await lastCursor(server.sql);
      const sub = subscribeEvents(transport, server.url, { after: start });
      assert.equal((await server.gql(CREATE, { c: container(`${transport}-first`) })).errors, undefined);
      const [first] = await collectUntil(sub, () => true, `${transport}: the first event`);
      assert.ok(first && 'event' in first && first.event.payload.containerId === `${transport}-first`, JSON.stringify(first));

      await burst(transport, 50);
      const beforeError = await collectUntil(sub, (m) => 'error' in m, `${transport}: RESOURCE_EXHAUSTED after a burst of 50`);
      await sub.close();
      const failure = beforeError.at(-1)!;
      assert.ok('error' in failure, JSON.stringify(failure));
      assert.equal(failure.error.code, 'RESOURCE_EXHAUSTED');
      const delivered = [first.event, ...beforeError.flatMap((m) => ('event' in m ? [m.event] : []))];
      assert.ok(delivered.length < 1 + 5 + 1, 'cut off near the buffer size, not after the burst');
      assert.equal(failure.error.cursor, delivered.at(-1)!.cursor, 'the cursor is the last event delivered');

      const resumed = subscribeEvents(transport, server.url, { after: failure.error.cursor });
      const rest = await collectUntil(
        resumed,
        (m) => 'event' in m && m.event.payload.containerId === `${transport}-49`,
        `${transport}: the resumed stream to reach ${transport}-49`,
      );
      await resumed.close();
      const ids = [...delivered, ...rest.map((m) => ('event' in m ? m.event : assert.fail(JSON.stringify(m))))].map((e) => e.payload.containerId);
      assert.deepEqual(ids, [`${transport}-first`, ...Array.from({ length: 50 }, (_, i) => `${transport}-${i}`)]);
    });
  }
});

describe('a cursor older than retention (BERTH_EVENT_RETENTION=1s)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ BERTH_EVENT_RETENTION: '1s' });
  });
  after(() => server.close());

  test('the pruner removes old events, and resuming before them is OUT_OF_RANGE, never a silent skip', { timeout: 60_000 }, async () => {
    const origin = await lastCursor(server.sql);
    for (const id of ['old-1', 'old-2', 'old-3']) assert.equal((await server.gql(CREATE, { c: container(id) })).errors, undefined);
    let history;
    do {
      await sleep(200);
      history = await server.gql(EVENT_HISTORY, { after: origin });
    } while (!history.errors);
    assert.equal(history.errors[0]?.extensions?.code, 'OUT_OF_RANGE', JSON.stringify(history.errors));
    const oldest = history.errors[0]?.extensions?.oldestCursor as string;
    assert.ok(oldest > origin);
    const [left] = await server.sql<{ count: string }[]>`select count(*) from events where seq <= ${BigInt('0x' + oldest).toString()}::bigint`;
    assert.equal(left?.count, '0', 'everything through oldestCursor is gone');

    for (const transport of TRANSPORTS) {
      const sub = subscribeEvents(transport, server.url, { after: origin });
      const messages = await collectUntil(sub, () => true);
      await sub.close();
      assert.deepEqual(
        messages.map((m) => ('error' in m ? m.error.code : m.event.cursor)),
        ['OUT_OF_RANGE'],
        transport,
      );
    }

    const fresh = (await server.gql(`{ containers { watchCursor } }`)).data.containers.watchCursor as string;
    const sub = subscribeEvents('ws', server.url, { after: fresh });
    assert.equal((await server.gql(CREATE, { c: container('new-1') })).errors, undefined);
    const [next] = await collectUntil(sub, () => true);
    await sub.close();
    assert.equal(next && 'event' in next ? (next.event as ReceivedEvent).payload.containerId : next, 'new-1', 'a current cursor still resumes');
  });
});
