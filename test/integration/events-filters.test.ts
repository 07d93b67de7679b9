import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { CREATE, DELETE } from '../helpers/containers.ts';
import { collectUntil, EVENT_HISTORY, type EventSubscription, subscribeEvents } from '../helpers/events.ts';
import { lastCursor } from '../helpers/event-log.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { TEST_SECRET, token } from '../helpers/tokens.ts';

/**
 * containerd's event filter vectors (filter-cases.json, corpus events_exchange_test, from
 * TestExchangeFilters) applied to live subscriptions. The corpus is produced through the API as
 * equivalent events: three /containers/create events with ids asdf, qwer, zxcv, then, standing in
 * for containerd's /tasks/exit (Berth has no tasks), an event of another topic whose payload has
 * no `id`: /namespaces/update. The filters are taken verbatim, with /tasks/exit read as
 * /namespaces/update. Every subscription starts before the events and stops at a fence event
 * that each case matches; which corpus events it delivered must be containerd's answer.
 */
interface FilterCase {
  id: string;
  corpus: string;
  filters: string[];
  expect: { ok: boolean; matches?: number[] };
}
const cases = (JSON.parse(readFileSync(new URL('../data/filter-cases.json', import.meta.url), 'utf8')).filter_cases as FilterCase[]).filter(
  (c) => c.corpus === 'events_exchange_test',
);
const NS = 'TestExchangeFilters';
const STAND_IN = (filter: string) => filter.replaceAll('/tasks/exit', '/namespaces/update');
const container = (id: string) => ({ containerId: id, runtime: { name: 'rt' }, spec: { typeUrl: 't', json: {} } });

let server: TestServer;
let corpus: string[]; // cursors of the four corpus events, in order
const delivered = new Map<string, string[]>(); // case id -> cursors delivered up to the fence
before(async () => {
  server = await startServer();
  const gql = (query: string, variables: Record<string, unknown> = {}) => server.gql(query, variables, { namespace: NS });
  assert.equal((await gql(`mutation { createNamespace(input: { name: "${NS}" }) { namespace { name } } }`)).errors, undefined);
  const start = await lastCursor(server.sql);
  const subscriptions = new Map<string, EventSubscription>(
    cases.map((c) => [c.id, subscribeEvents('ws', server.url, { after: start, filters: c.filters.map(STAND_IN), namespace: NS })]),
  );
  for (const id of ['asdf', 'qwer', 'zxcv']) assert.equal((await gql(CREATE, { c: container(id) })).errors, undefined);
  assert.equal(
    (await gql(`mutation { updateNamespace(input: { name: "${NS}", labels: [{ key: "k", value: "v" }] }) { namespace { name } } }`)).errors,
    undefined,
  );
  // The fence: a create of qwer again, which every case matches. The delete before it is outside the corpus.
  assert.equal((await gql(DELETE, { id: 'qwer' })).errors, undefined);
  assert.equal((await gql(CREATE, { c: container('qwer') })).errors, undefined);
  const history = (await gql(EVENT_HISTORY, { after: start })).data.events.edges.map((e: { cursor: string }) => e.cursor) as string[];
  assert.equal(history.length, 6);
  corpus = history.slice(0, 4);
  const fence = history[5]!;
  for (const [id, sub] of subscriptions) {
    const messages = await collectUntil(sub, (m) => 'error' in m || m.event.cursor === fence, `${id}: the fence event ${fence}`);
    await sub.close();
    delivered.set(
      id,
      messages.map((m) => ('event' in m ? m.event.cursor : assert.fail(`${id}: ${JSON.stringify(m)}`))),
    );
  }
});
after(() => server.close());

test("the corpus has containerd's seven event filter cases", () => assert.equal(cases.length, 7));

for (const c of cases) {
  test(`live subscription, ${c.id}: ${JSON.stringify(c.filters)}`, () => {
    const got = delivered
      .get(c.id)!
      .filter((cursor) => corpus.includes(cursor))
      .map((cursor) => corpus.indexOf(cursor));
    assert.deepEqual(got, c.expect.matches);
  });
  test(`history query, ${c.id}`, async () => {
    const result = await server.gql(EVENT_HISTORY, { after: null, filters: c.filters.map(STAND_IN) }, { namespace: NS });
    const cursors = result.data.events.edges.map((e: { cursor: string }) => e.cursor) as string[];
    assert.deepEqual(
      cursors.filter((cursor) => corpus.includes(cursor)).map((cursor) => corpus.indexOf(cursor)),
      c.expect.matches,
    );
  });
}

test("a bad filter is INVALID_ARGUMENT with containerd's parse error, on both transports and the history", async () => {
  for (const transport of ['ws', 'sse'] as const) {
    const sub = subscribeEvents(transport, server.url, { filters: ['topic=='] });
    const [message] = await collectUntil(sub, () => true);
    await sub.close();
    assert.deepEqual(message && 'error' in message ? [message.error.code, message.error.message] : message, [
      'INVALID_ARGUMENT',
      'filters: parse error: [topic==]: expected value or quoted',
    ]);
  }
  const history = await server.gql(EVENT_HISTORY, { filters: ['topic=='] });
  assert.equal(history.errors?.[0]?.extensions?.code, 'INVALID_ARGUMENT');
});

test('a subscription covers its request namespace; allNamespaces covers every namespace', async () => {
  const start = await lastCursor(server.sql);
  const own = subscribeEvents('sse', server.url, { after: start, namespace: 'scope-a' });
  const all = subscribeEvents('ws', server.url, { after: start, namespace: 'scope-a', allNamespaces: true });
  assert.equal((await server.gql(CREATE, { c: container('in-b') }, { namespace: 'scope-b' })).errors, undefined);
  assert.equal((await server.gql(CREATE, { c: container('in-a') }, { namespace: 'scope-a' })).errors, undefined);
  const ownEvents = await collectUntil(own, (m) => 'event' in m && m.event.payload.containerId === 'in-a');
  const allEvents = await collectUntil(all, (m) => 'event' in m && m.event.payload.containerId === 'in-a');
  await Promise.all([own.close(), all.close()]);
  const seen = (messages: typeof ownEvents) => messages.map((m) => ('event' in m ? `${m.event.namespace} ${m.event.topic}` : JSON.stringify(m)));
  assert.deepEqual(seen(ownEvents), ['scope-a /namespaces/create', 'scope-a /containers/create']);
  assert.deepEqual(seen(allEvents), ['scope-b /namespaces/create', 'scope-b /containers/create', 'scope-a /namespaces/create', 'scope-a /containers/create']);
});

test('with authentication, allNamespaces covers only the namespaces the token grants, live and in history', async () => {
  const secured = await startServer({ BERTH_JWT_SECRET: TEST_SECRET });
  try {
    const admin = await token({ namespaces: ['*'], role: 'admin' });
    const reader = await token({ namespaces: ['granted'], role: 'reader' });
    for (const name of ['granted', 'hidden']) {
      assert.equal(
        (await secured.gql(`mutation { createNamespace(input: { name: "${name}" }) { namespace { name } } }`, {}, { token: admin })).errors,
        undefined,
      );
    }
    const start = await lastCursor(secured.sql);
    const live = subscribeEvents('ws', secured.url, { after: start, allNamespaces: true, namespace: 'granted', token: reader });
    for (const namespace of ['hidden', 'granted']) {
      assert.equal((await secured.gql(CREATE, { c: container(`in-${namespace}`) }, { namespace, token: admin })).errors, undefined);
    }
    const got = await collectUntil(live, (m) => 'error' in m || m.event.payload.containerId === 'in-granted');
    await live.close();
    assert.deepEqual(
      got.map((m) => ('event' in m ? m.event.payload.containerId : JSON.stringify(m))),
      ['in-granted'],
    );
    const history = await secured.gql(EVENT_HISTORY, { after: start, all: true }, { namespace: 'granted', token: reader });
    assert.deepEqual(
      history.data.events.edges.map((e: { node: { namespace: string } }) => e.node.namespace),
      ['granted'],
    );
    const denied = subscribeEvents('sse', secured.url, { namespace: 'hidden', token: reader });
    const [refusal] = await collectUntil(denied, () => true);
    await denied.close();
    assert.equal(refusal && 'error' in refusal ? refusal.error.code : refusal, 'PERMISSION_DENIED');
  } finally {
    await secured.close();
  }
});
