import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CREATE, LIST } from '../helpers/containers.ts';
import { collectUntil, subscribeEvents } from '../helpers/events.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { TEST_SECRET, token } from '../helpers/tokens.ts';

/**
 * WebSocket side of authentication and limits: the token is checked at connection_init (4403 on
 * refusal), an expiring token closes its socket with 4403, a connection may hold only so many
 * subscriptions, and a subscriber of namespace A resuming from a cursor of namespace B, across all
 * its namespaces, receives nothing of B.
 */
let server: TestServer;
const spec = { typeUrl: 't', value: '' };

before(async () => {
  server = await startServer({ BERTH_JWT_SECRET: TEST_SECRET, BERTH_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2' });
});
after(() => server.close());

/** Connects, subscribes once, and reports how the socket closed (or the first result). */
function connect(authorization: string | undefined, query = `subscription { events { cursor } }`) {
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    const client = createClient({
      url: server.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => {},
      connectionParams: authorization ? { authorization, namespace: 'alpha' } : { namespace: 'alpha' },
      on: { closed: (event) => resolve(event as { code: number; reason: string }) },
    });
    client.subscribe({ query }, { next: () => {}, error: () => {}, complete: () => {} });
  });
  return closed;
}

test('no token, a forged token and an expired token are refused at connection_init with 4403', async () => {
  const expired = await token({ namespaces: ['alpha'], role: 'reader' }, { expiresIn: Math.floor(Date.now() / 1000) - 10 });
  const forged = await token({ namespaces: ['*'], role: 'admin' }, { secret: 'another-secret-another-secret-another-secret' });
  for (const authorization of [undefined, 'Bearer nope', `Bearer ${forged}`, `Bearer ${expired}`]) {
    assert.equal((await connect(authorization)).code, 4403, String(authorization));
  }
});

test('a token that expires while connected closes the socket with 4403', async () => {
  const shortLived = await token({ namespaces: ['alpha'], role: 'reader' }, { expiresIn: Math.floor(Date.now() / 1000) + 2 });
  const closed = await connect(`Bearer ${shortLived}`);
  assert.equal(closed.code, 4403);
  assert.match(closed.reason, /expired/);
});

test('a connection may hold BERTH_MAX_SUBSCRIPTIONS_PER_CONNECTION subscriptions', async () => {
  const reader = await token({ namespaces: ['alpha'], role: 'reader' });
  const client = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${reader}`, namespace: 'alpha' } });
  const outcomes: Promise<string>[] = [];
  for (let i = 0; i < 3; i++) {
    outcomes.push(
      new Promise((resolve) => {
        client.subscribe({ query: `subscription { events { cursor } }` }, {
          next: (result) => resolve(String((result.errors?.[0]?.extensions as { code?: string } | undefined)?.code ?? 'event')),
          error: (error) => resolve(errorCode(error)),
          complete: () => resolve('complete'),
        });
        setTimeout(() => resolve('open'), 1500);
      }),
    );
  }
  assert.deepEqual((await Promise.all(outcomes)).sort(), ['RESOURCE_EXHAUSTED', 'open', 'open']);
  await client.dispose();
});

function errorCode(error: unknown): string {
  const first = Array.isArray(error) ? (error[0] as { extensions?: { code?: string }; message?: string }) : undefined;
  return first?.extensions?.code ?? `error: ${JSON.stringify(error)}`;
}

test('a subscriber of A resuming from a cursor of B, over all its namespaces, sees only A', async () => {
  const admin = await token({ namespaces: ['*'], role: 'admin' });
  const readerA = await token({ namespaces: ['alpha'], role: 'reader' });
  await server.gql(CREATE, { c: { containerId: 'b0', runtime: { name: 'rt' }, spec } }, { namespace: 'bravo', token: admin });
  const bCursor = (await server.gql(LIST, {}, { namespace: 'bravo', token: admin })).data.containers.watchCursor;
  const sub = subscribeEvents('ws', server.url, { after: bCursor, allNamespaces: true, namespace: 'alpha', token: readerA });
  await server.gql(CREATE, { c: { containerId: 'b1', runtime: { name: 'rt' }, spec } }, { namespace: 'bravo', token: admin });
  await server.gql(CREATE, { c: { containerId: 'a1', runtime: { name: 'rt' }, spec } }, { namespace: 'alpha', token: admin });
  const messages = await collectUntil(sub, (m) => 'event' in m && m.event.topic === '/containers/create');
  await sub.close();
  const namespaces = messages.map((m) => ('event' in m ? m.event.namespace : 'error'));
  assert.ok(namespaces.every((ns) => ns === 'alpha'), JSON.stringify(messages));
  const scraped = await (await fetch(new URL('/metrics', server.url))).text();
  assert.match(scraped, /^berth_event_delivery_lag_seconds_count [1-9]\d*$/m);
});
