import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, fetchExchange, gql, subscriptionExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startServer, type TestServer } from '../helpers/server.ts';
import {
  CLIENT_HEADERS,
  createContainer,
  DELETE_CONTAINER,
  recordingFetch,
  seedContainers,
  SET_LABELS,
  SPEC,
  untilListShows,
  Watched,
  webSocketUrl,
  within,
  write,
} from '../helpers/ui-clients.ts';
import { BOTH_WEBS, CONTAINER_IN, CONTAINER_RECORD, CREATE_WEB_TWICE, LIVE_EVENTS, LIVE_HISTORY, LIVE_LIST, PAGED, RELABEL } from './documents.ts';

/**
 * urql with Graphcache against a running Berth, as a UI uses it: no `keys` for Berth's types
 * (Graphcache keys by `__typename` and `id`, and Berth's ids are global). What it is given:
 * relayPagination for the `containers` connection, and a subscription updater for the live list,
 * since only the application knows which lists a created container joins, and that a delete
 * event means "drop this record" (it invalidates the record from its `deletedId`).
 */

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

/** What the cache holds for a container once a subscription event has been applied. */
interface AppliedEvent {
  readonly topic: string;
  readonly record: any;
}

function urqlClient() {
  const http = recordingFetch();
  const ws = createClient({ url: webSocketUrl(server), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
  const warnings: string[] = [];
  // Graphcache's store can be read only while it applies a result: the updater reports there
  // what the cache holds for the event's container.
  const applied = new Watched<AppliedEvent>();
  const client = new Client({
    url: server.url,
    fetch: http.fetch,
    fetchOptions: { headers: CLIENT_HEADERS },
    exchanges: [
      cacheExchange({
        resolvers: { Query: { containers: relayPagination() } },
        updates: {
          Subscription: {
            events(result: any, args, cache) {
              const { topic, payload } = result.events;
              const list = { query: LIVE_LIST, variables: { namespace: args.namespace } };
              // An update needs nothing: its `container` lands on the cached record. A created record
              // is in the cache too, but only the app knows which lists it belongs to.
              if (payload.__typename === 'ContainerCreate' && payload.container) {
                cache.updateQuery(list, (data: any) =>
                  data && !data.containers.edges.some((edge: any) => edge.node.id === payload.container.id)
                    ? {
                        ...data,
                        containers: { ...data.containers, edges: [...data.containers.edges, { __typename: 'ContainerEdge', node: payload.container }] },
                      }
                    : data,
                );
              }
              // A delete carries the global id the record had: the list drops its edge, then the
              // record is invalidated (a list still pointing at it would be a cache miss, refetched).
              if (payload.__typename === 'ContainerDelete') {
                cache.updateQuery(
                  list,
                  (data: any) =>
                    data && {
                      ...data,
                      containers: { ...data.containers, edges: data.containers.edges.filter((edge: any) => edge.node.id !== payload.deletedId) },
                    },
                );
                cache.invalidate({ __typename: 'Container', id: payload.deletedId });
              }
              const id = payload.container?.id ?? payload.deletedId;
              if (id) applied.push({ topic, record: cache.readFragment(gql(CONTAINER_RECORD), { __typename: 'Container', id }) });
            },
          },
        },
        logger: (severity, message) => severity === 'warn' && warnings.push(message),
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return { client, applied, warnings, requests: http.requests, close: () => ws.dispose() };
}

/**
 * Graphcache warns (in development) about every object it cannot key: Berth's value types
 * (Label, Runtime, the event payloads) have no id and are rightly embedded in their parent. A
 * warning that names a record type would mean Berth's ids did not key it.
 */
function assertNoEntityKeyWarnings(warnings: readonly string[]) {
  const unkeyed = warnings.map((warning) => /`keys` config for `(\w+)`/.exec(warning)?.[1]).filter((type) => type !== undefined);
  assert.deepEqual(
    unkeyed.filter((type) => ['Container', 'Namespace', 'Checkpoint', 'Event'].includes(type)),
    [],
  );
}

test('container web in namespaces a and b: one client shows each its own image', { timeout: 60_000 }, async () => {
  const { client, warnings, close } = urqlClient();
  try {
    const created = await client.mutation(CREATE_WEB_TWICE, { spec: SPEC }).toPromise();
    assert.equal(created.error, undefined);
    const [a, b] = await within(
      'both reads',
      Promise.all([
        client.query(CONTAINER_IN, { containerId: 'web', namespace: 'a' }).toPromise(),
        client.query(CONTAINER_IN, { containerId: 'web', namespace: 'b' }).toPromise(),
      ]),
    );
    assert.equal(a.data?.container.image, 'nginx:a');
    assert.equal(b.data?.container.image, 'nginx:b');
    assert.notEqual(a.data?.container.id, b.data?.container.id);
    for (const [namespace, image] of [
      ['a', 'nginx:a'],
      ['b', 'nginx:b'],
    ] as const) {
      const cached = client.readQuery(CONTAINER_IN, { containerId: 'web', namespace }, { requestPolicy: 'cache-only' });
      assert.equal(cached?.data?.container.image, image, `the cached view of ${namespace}`);
    }
    const both = await client.query(BOTH_WEBS, {}).toPromise();
    assert.deepEqual([both.data?.a.image, both.data?.b.image], ['nginx:a', 'nginx:b']);
    assertNoEntityKeyWarnings(warnings);
  } finally {
    close();
  }
});

test('pages 25 containers with relayPagination; a label edit shows in the paged list with no refetch', { timeout: 60_000 }, async () => {
  const ids = await seedContainers(server, 'paged', 25);
  const { client, requests, warnings, close } = urqlClient();
  try {
    // Each page is its own query; relayPagination answers each with every page loaded so far.
    let variables: { namespace: string; first: number; after: string | null } = { namespace: 'paged', first: 10, after: null };
    let page = await client.query(PAGED, variables).toPromise();
    while (page.data?.containers.pageInfo.hasNextPage) {
      variables = { ...variables, after: page.data.containers.pageInfo.endCursor };
      page = await within(`the page after ${variables.after}`, client.query(PAGED, variables).toPromise());
    }
    assert.equal(page.error, undefined);
    assert.deepEqual(
      page.data?.containers.edges.map((edge: any) => edge.node.containerId),
      ids,
    );
    assert.equal(page.data?.containers.totalCount, 25);
    assert.equal(requests.length, 3, 'three pages, three requests');
    assert.ok(
      requests.every((request) => request.method === 'GET'),
      'urql sends queries as GET (hence the CSRF header)',
    );

    // The list a UI shows: the last page's query, watched, answered from the cache.
    const list = new Watched<any>();
    const watching = client.query(PAGED, variables).subscribe((result) => (result.error ? list.fail(result.error) : result.data && list.push(result.data)));
    try {
      const shown = await list.until('the paged list from the cache', (data) => data.containers.edges.length === 25);
      assert.equal(requests.length, 3, 'the watched list came from the cache');
      const target = shown.containers.edges[7].node;
      const edit = { namespace: 'paged', containerId: target.containerId, labels: [{ key: 'tier', value: 'gold' }], revision: target.revision };
      const edited = await client.mutation(RELABEL, edit).toPromise();
      assert.equal(edited.data?.setContainerLabels.container.revision, target.revision + 1);
      const updated = await list.until('the edited label in the paged list', (data) => data.containers.edges[7].node.labels.length === 1);
      assert.deepEqual(
        updated.containers.edges[7].node.labels.map((l: any) => [l.key, l.value]),
        [['tier', 'gold']],
      );
      assert.equal(updated.containers.edges.length, 25, 'the list keeps every page');
      assert.deepEqual(
        requests.slice(3).map((r) => r.body?.operationName),
        ['Relabel'],
        'the mutation is the only request after the pages',
      );

      const stale = await client.mutation(RELABEL, { ...edit, labels: [{ key: 'tier', value: 'lead' }] }).toPromise();
      assert.equal(stale.error?.graphQLErrors[0]?.extensions?.code, 'ABORTED');
      assert.deepEqual(
        list.latest.containers.edges[7].node.labels.map((l: any) => l.value),
        ['gold'],
      );
    } finally {
      watching.unsubscribe();
    }
    assertNoEntityKeyWarnings(warnings);
  } finally {
    close();
  }
});

test('a live list from watchCursor: the subscription keeps the cache current through create, update and delete, with no refetch; the history keeps two updates apart', {
  timeout: 60_000,
}, async () => {
  await createContainer(server, 'live', 'old', 'busybox:1');
  const { client, applied, requests, warnings, close } = urqlClient();
  try {
    const list = new Watched<any>();
    // The list and its watchCursor, then the same query watched: answered by the cache, kept current.
    const { data: snapshot } = await client.query(LIVE_LIST, { namespace: 'live' }).toPromise();
    const watching = client
      .query(LIVE_LIST, { namespace: 'live' })
      .subscribe((result) => (result.error ? list.fail(result.error) : result.data && list.push(result.data)));
    const events = new Watched<any>();
    let subscription: { unsubscribe(): void } | undefined;
    try {
      await untilListShows(list, [['old', []]]);
      assert.equal(requests.length, 1, 'the watched list came from the cache');
      const requestsBefore = requests.length;
      subscription = client.subscription(LIVE_EVENTS, { namespace: 'live', after: snapshot.containers.watchCursor }).subscribe((result) => {
        if (result.error) events.fail(result.error);
        else if (result.data) events.push(result.data.events);
      });

      await createContainer(server, 'live', 'job', 'alpine:3');
      const created = await applied.until('the ContainerCreate of job', (event) => event.topic === '/containers/create');
      assert.equal(created.record?.image, 'alpine:3', 'the created record is in the cache');
      await untilListShows(list, [
        ['old', []],
        ['job', []],
      ]);

      await write(server, SET_LABELS, { namespace: 'live', containerId: 'job', labels: [{ key: 'stage', value: 'one' }] });
      const first = await applied.until('the first ContainerUpdate of job', (event) => event.topic === '/containers/update');
      assert.deepEqual(
        first.record?.labels.map((l: any) => [l.key, l.value]),
        [['stage', 'one']],
      );
      await untilListShows(list, [
        ['old', []],
        ['job', ['one']],
      ]);

      await write(server, SET_LABELS, { namespace: 'live', containerId: 'job', labels: [{ key: 'stage', value: 'two' }] });
      const second = await applied.until('the second ContainerUpdate of job', (event) => event.topic === '/containers/update' && event !== first);
      assert.deepEqual(
        second.record?.labels.map((l: any) => [l.key, l.value]),
        [['stage', 'two']],
      );
      await untilListShows(list, [
        ['old', []],
        ['job', ['two']],
      ]);

      await write(server, DELETE_CONTAINER, { namespace: 'live', containerId: 'job' });
      const deleted = await applied.until('the ContainerDelete of job', (event) => event.topic === '/containers/delete');
      assert.equal(deleted.record, null, 'the deleted record is gone from the cache');
      await untilListShows(list, [['old', []]]);
      await events.until('the ContainerDelete delivered', (event) => event.payload.__typename === 'ContainerDelete');
      assert.equal(requests.length, requestsBefore, 'the subscription alone kept the cache current: no HTTP request');
    } finally {
      subscription?.unsubscribe();
      watching.unsubscribe();
    }

    const history = await client.query(LIVE_HISTORY, { namespace: 'live' }).toPromise();
    assert.equal(history.error, undefined);
    const updates = history.data.events.edges.map((edge: any) => edge.node).filter((event: any) => event.payload.__typename === 'ContainerUpdate');
    assert.deepEqual(
      updates.map((event: any) => event.payload.labels.map((l: any) => l.value)),
      [['one'], ['two']],
      'two updates of one container stay two payloads',
    );
    assert.notEqual(updates[0].id, updates[1].id);
    assertNoEntityKeyWarnings(warnings);
  } finally {
    close();
  }
});
