import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CREATE, LIST } from '../helpers/containers.ts';
import { within } from '../helpers/bounded.ts';
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

/** Connects, subscribes once, and reports how the socket closed and whether it was acknowledged first. */
function connect(authorization: string | undefined, query = `subscription { events { cursor } }`) {
  let acknowledged = false;
  const closed = new Promise<{ code: number; reason: string; acknowledged: boolean }>((resolve) => {
    const client = createClient({
      url: server.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => {},
      connectionParams: authorization ? { authorization, namespace: 'alpha' } : { namespace: 'alpha' },
      on: {
        connected: () => (acknowledged = true),
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string }; // getters of a CloseEvent
          resolve({ code, reason, acknowledged });
        },
      },
    });
    client.subscribe({ query }, { next: () => {}, error: () => {}, complete: () => {} });
  });
  return within(closed, `the socket (${authorization === undefined ? 'no token' : 'with a token'}) to close`);
}

test('no token, a forged token and an expired token are refused at connection_init with 4403', async () => {
  const expired = await token({ namespaces: ['alpha'], role: 'reader' }, { expiresIn: Math.floor(Date.now() / 1000) - 10 });
  const forged = await token({ namespaces: ['*'], role: 'admin' }, { secret: 'another-secret-another-secret-another-secret' });
  for (const authorization of [undefined, 'Bearer nope', `Bearer ${forged}`, `Bearer ${expired}`]) {
    const closed = await connect(authorization);
    assert.equal(closed.code, 4403, String(authorization));
    assert.equal(closed.acknowledged, false, `${authorization}: refused at connection_init, never acknowledged`);
  }
});

test('a token that expires while connected closes the socket with 4403', async () => {
  // Valid for 3 to 4 s: long enough to be accepted on a loaded machine, which the test checks.
  const shortLived = await token({ namespaces: ['alpha'], role: 'reader' }, { expiresIn: Math.floor(Date.now() / 1000) + 4 });
  const closed = await connect(`Bearer ${shortLived}`);
  assert.equal(closed.acknowledged, true, 'the token was accepted at connection_init, so it expired while connected');
  assert.equal(closed.code, 4403);
  assert.match(closed.reason, /expired/);
});

test('a connection may hold BERTH_MAX_SUBSCRIPTIONS_PER_CONNECTION subscriptions', async () => {
  const reader = await token({ namespaces: ['alpha'], role: 'reader' });
  const admin = await token({ namespaces: ['*'], role: 'admin' });
  // Open means live: each subscription starts from a cursor, and an event written after it arrives.
  const from = (await server.gql(LIST, {}, { namespace: 'alpha', token: admin })).data.containers.watchCursor;
  const client = createClient({
    url: server.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${reader}`, namespace: 'alpha' },
  });
  const outcomes: Promise<string>[] = [];
  for (let i = 0; i < 3; i++) {
    outcomes.push(
      new Promise((resolve) => {
        client.subscribe(
          { query: `subscription($from: String) { events(after: $from) { cursor } }`, variables: { from } },
          {
            next: (result) => resolve(String((result.errors?.[0]?.extensions as { code?: string } | undefined)?.code ?? 'event')),
            error: (error) => resolve(errorCode(error)),
            complete: () => resolve('complete'),
          },
        );
      }),
    );
  }
  assert.equal(
    (await server.gql(CREATE, { c: { containerId: 'live', runtime: { name: 'rt' }, spec } }, { namespace: 'alpha', token: admin })).errors,
    undefined,
  );
  const settled = await within(Promise.all(outcomes), 'each of the three subscriptions to get an event or an error');
  assert.deepEqual(settled.sort(), ['RESOURCE_EXHAUSTED', 'event', 'event']);
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
  const messages = await collectUntil(sub, (m) => 'event' in m && m.event.topic === '/containers/create', 'the create of a1 in alpha');
  await sub.close();
  const namespaces = messages.map((m) => ('event' in m ? m.event.namespace : 'error'));
  assert.ok(
    namespaces.every((ns) => ns === 'alpha'),
    JSON.stringify(messages),
  );
  const scraped = await (await fetch(new URL('/metrics', server.url))).text();
  assert.match(scraped, /^berth_event_delivery_lag_seconds_count [1-9]\d*$/m);
});
