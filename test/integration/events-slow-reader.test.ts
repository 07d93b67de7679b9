import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { appendStatement } from '../../src/db/events.ts';
import { inScope } from '../../src/db/transaction.ts';
import { pollUntil, within } from '../helpers/bounded.ts';
import { lastCursor } from '../helpers/event-log.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * A WebSocket subscriber that stops reading (its socket paused, as a stalled client's would be)
 * while events keep coming in small commits, none of which alone overflows its buffer. The server
 * must not keep queueing for it: graphql-ws waits for each write, so once the socket's buffers are
 * full the feed fills and the subscription is ended server-side, while the client is still stalled.
 * When it reads again it gets RESOURCE_EXHAUSTED with its cursor, and resuming loses nothing.
 */
const BUFFER = 5;
const COMMITS = 400;
const PER_COMMIT = 3;
let server: TestServer;

before(async () => {
  server = await startServer({ BERTH_SUBSCRIBER_BUFFER: String(BUFFER) });
  await server.sql`insert into namespaces (name) values ('default')`;
});
after(() => server.close());

async function activeSubscriptions(): Promise<number> {
  const text = await (await fetch(server.url.replace('/graphql', '/metrics'))).text();
  return Number(/^berth_active_subscriptions (\d+)/m.exec(text)?.[1]);
}

interface Message {
  readonly type: string;
  readonly payload?: {
    data?: { events?: { cursor: string; payload: { containerId: string } } };
    errors?: { extensions?: { code?: string; cursor?: string } }[];
  };
}

function subscriber(after: string) {
  const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: Message[] = [];
  const ready = new Promise<void>((resolve) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Message;
      messages.push(message);
      if (message.type === 'connection_ack') {
        socket.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: {
              query: 'subscription($after: String) { events(after: $after) { cursor payload { ... on ContainerDelete { containerId } } } }',
              variables: { after },
            },
          }),
        );
        resolve();
      }
    });
  });
  return { socket, messages, ready };
}

test('a subscriber that stops reading is ended server-side with RESOURCE_EXHAUSTED, and resumes without loss', async () => {
  const start = await lastCursor(server.sql);
  const stalled = subscriber(start);
  await within(stalled.ready, 'connection_ack for the subscriber that will stall');
  await pollUntil(async () => ((await activeSubscriptions()) >= 1 ? true : undefined), 'the subscription to be active on the server');
  (stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause();

  const padding = 'p'.repeat(2000);
  for (let commit = 0; commit < COMMITS; commit++) {
    const events = Array.from({ length: PER_COMMIT }, (_, i) => ({
      namespace: 'default',
      topic: '/containers/delete',
      payload: { id: `e${commit * PER_COMMIT + i}-${padding}` },
    }));
    await inScope(server.sql, { namespace: 'default', readable: ['default'] }, async () => {}, { beforeCommit: (tx) => appendStatement(tx, events) });
  }
  // Ended while the client is still stalled: nothing is kept for it any longer.
  await pollUntil(
    async () => ((await activeSubscriptions()) === 0 ? true : undefined),
    'the server to end the stalled subscription while its client is still stalled',
  );

  (stalled.socket as unknown as { _socket: { resume(): void } })._socket.resume();
  await pollUntil(
    async () => (stalled.messages.some((m) => m.type === 'complete') ? true : undefined),
    "the stalled subscription's complete message once it reads again",
  );
  stalled.socket.close();
  const delivered = stalled.messages.flatMap((m) => (m.payload?.data?.events ? [m.payload.data.events] : []));
  const failure = stalled.messages.find((m) => m.payload?.errors)?.payload?.errors?.[0];
  assert.equal(failure?.extensions?.code, 'RESOURCE_EXHAUSTED');
  assert.ok(delivered.length < COMMITS * PER_COMMIT, `cut off before the end (${delivered.length} delivered)`);
  assert.equal(failure?.extensions?.cursor, delivered.at(-1)?.cursor ?? start);

  const resumed = subscriber(failure!.extensions!.cursor!);
  await within(resumed.ready, 'connection_ack for the resumed subscriber');
  const last = `e${COMMITS * PER_COMMIT - 1}-`;
  await pollUntil(async () => {
    assert.ok(!resumed.messages.some((m) => m.payload?.errors), JSON.stringify(resumed.messages.at(-1)));
    return resumed.messages.some((m) => m.payload?.data?.events?.payload.containerId.startsWith(last)) ? true : undefined;
  }, `the resumed subscriber to receive the last event ${last}…`);
  resumed.socket.close();
  const ids = [...delivered, ...resumed.messages.flatMap((m) => (m.payload?.data?.events ? [m.payload.data.events] : []))].map(
    (e) => e.payload.containerId.split('-')[0],
  );
  assert.deepEqual(
    ids,
    Array.from({ length: COMMITS * PER_COMMIT }, (_, i) => `e${i}`),
  );
});
