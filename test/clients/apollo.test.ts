import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ApolloClient, ApolloLink, gql as apolloGql, HttpLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation, relayStylePagination } from '@apollo/client/utilities';
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
import * as documents from './documents.ts';

/**
 * Apollo Client (core, no React) against a running Berth, as a UI uses it: InMemoryCache with no
 * type policy for Berth's types, since global ids make `__typename:id` right. The one policy is
 * paging: relayStylePagination merges the pages of `containers`. The live list's subscription
 * handler adds a created container to the list and evicts a deleted one: only the application
 * knows which lists a record joins.
 */

/** A document with loosely typed results: the assertions check the shapes. */
const gql = (source: string) => apolloGql(source) as TypedDocumentNode<any, Record<string, any>>;

const CONTAINER_IN = gql(documents.CONTAINER_IN);
const PAGED = gql(documents.PAGED);
const RELABEL = gql(documents.RELABEL);
const LIVE_LIST = gql(documents.LIVE_LIST);
const LIVE_EVENTS = gql(documents.LIVE_EVENTS);
const CONTAINER_RECORD = gql(documents.CONTAINER_RECORD);

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

function apolloClient() {
  const http = recordingFetch();
  const ws = createClient({ url: webSocketUrl(server), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
  const client = new ApolloClient({
    link: ApolloLink.split(
      ({ query }) => isSubscriptionOperation(query),
      new GraphQLWsLink(ws),
      new HttpLink({ uri: server.url, headers: CLIENT_HEADERS, fetch: http.fetch }),
    ),
    cache: new InMemoryCache({
      typePolicies: { Query: { fields: { containers: relayStylePagination(['namespace', 'filters']) } } },
    }),
  });
  return { client, requests: http.requests, close: () => ws.dispose() };
}

test('container web in namespaces a and b: one client shows each its own image', { timeout: 60_000 }, async () => {
  const { client, close } = apolloClient();
  try {
    await client.mutate({
      mutation: gql(documents.CREATE_WEB_TWICE),
      variables: { spec: SPEC },
    });
    // Concurrently, as two panes of one page would: Apollo deduplicates only identical requests.
    const [a, b] = await within(
      'both reads',
      Promise.all([
        client.query({ query: CONTAINER_IN, variables: { containerId: 'web', namespace: 'a' } }),
        client.query({ query: CONTAINER_IN, variables: { containerId: 'web', namespace: 'b' } }),
      ]),
    );
    assert.equal(a.data?.container.image, 'nginx:a');
    assert.equal(b.data?.container.image, 'nginx:b');
    assert.notEqual(a.data?.container.id, b.data?.container.id);
    // Read again from the cache alone: still two records.
    for (const [namespace, image] of [
      ['a', 'nginx:a'],
      ['b', 'nginx:b'],
    ] as const) {
      const cached = client.readQuery({ query: CONTAINER_IN, variables: { containerId: 'web', namespace } });
      assert.equal(cached?.container.image, image, `the cached view of ${namespace}`);
    }
    // One document reading both namespaces.
    const both = await client.query({ query: gql(documents.BOTH_WEBS) });
    assert.deepEqual([both.data?.a.image, both.data?.b.image], ['nginx:a', 'nginx:b']);
  } finally {
    close();
  }
});

test('pages 25 containers with relayStylePagination; a label edit shows in the paged list with no refetch', { timeout: 60_000 }, async () => {
  const ids = await seedContainers(server, 'paged', 25);
  const { client, requests, close } = apolloClient();
  try {
    const list = new Watched<any>();
    const watched = client.watchQuery({ query: PAGED, variables: { namespace: 'paged', first: 10 } });
    const subscription = watched.subscribe({ next: (result) => result.data && list.push(result.data), error: list.fail });
    try {
      let page = await list.until('the first page', (data) => data.containers.edges.length === 10);
      while (page.containers.pageInfo.hasNextPage) {
        const loaded = page.containers.edges.length;
        await within('fetchMore', watched.fetchMore({ variables: { after: page.containers.pageInfo.endCursor } }));
        page = await list.until(`the page after ${loaded}`, (data) => data.containers.edges.length > loaded);
      }
      assert.deepEqual(
        page.containers.edges.map((edge: any) => edge.node.containerId),
        ids,
      );
      assert.equal(page.containers.totalCount, 25);
      assert.equal(requests.length, 3, 'three pages, three requests');

      const target = page.containers.edges[7].node;
      const edit = { namespace: 'paged', containerId: target.containerId, labels: [{ key: 'tier', value: 'gold' }], revision: target.revision };
      const edited = await client.mutate({ mutation: RELABEL, variables: edit });
      assert.equal(edited.data?.setContainerLabels.container.revision, target.revision + 1);
      const updated = await list.until('the edited label in the paged list', (data) => data.containers.edges[7].node.labels.length === 1);
      assert.deepEqual(updated.containers.edges[7].node.labels, [{ __typename: 'Label', key: 'tier', value: 'gold' }]);
      assert.equal(updated.containers.edges.length, 25, 'the list keeps every page');
      assert.deepEqual(
        requests.slice(3).map((r) => r.body?.operationName),
        ['Relabel'],
        'the mutation is the only request after the pages',
      );

      // A stale revision is refused (ABORTED) and changes nothing in the cache.
      await assert.rejects(
        client.mutate({ mutation: RELABEL, variables: { ...edit, labels: [{ key: 'tier', value: 'lead' }] } }),
        (error: any) => error.errors?.[0]?.extensions?.code === 'ABORTED',
      );
      assert.deepEqual(
        list.latest.containers.edges[7].node.labels.map((l: any) => l.value),
        ['gold'],
      );
    } finally {
      subscription.unsubscribe();
    }
  } finally {
    close();
  }
});

test('a live list from watchCursor: the subscription keeps the cache current through create, update and delete, with no refetch; the history keeps two updates apart', {
  timeout: 60_000,
}, async () => {
  await createContainer(server, 'live', 'old', 'busybox:1');
  const { client, requests, close } = apolloClient();
  try {
    const variables = { namespace: 'live' };
    const list = new Watched<any>();
    // The list and its watchCursor, then the same query watched: answered by the cache, kept current.
    const { data: snapshot } = await client.query({ query: LIVE_LIST, variables });
    const watching = client
      .watchQuery({ query: LIVE_LIST, variables })
      .subscribe({ next: (result) => result.data && list.push(result.data), error: list.fail });
    const events = new Watched<any>();
    let subscription: { unsubscribe(): void } | undefined;
    try {
      await untilListShows(list, [['old', []]]);
      assert.equal(requests.length, 1, 'the watched list came from the cache');
      const requestsBefore = requests.length;

      subscription = client.subscribe({ query: LIVE_EVENTS, variables: { namespace: 'live', after: snapshot?.containers.watchCursor } }).subscribe({
        next: ({ data, error }) => {
          if (error || !data) return events.fail(error ?? new Error('an event without data'));
          const { payload } = data.events;
          // An update needs nothing: its `container` lands on the cached record. A created record
          // is in the cache too, but only the app knows which lists it belongs to.
          if (payload.__typename === 'ContainerCreate' && payload.container) {
            client.cache.updateQuery({ query: LIVE_LIST, variables }, (current: any) =>
              current && !current.containers.edges.some((edge: any) => edge.node.id === payload.container.id)
                ? { containers: { ...current.containers, edges: [...current.containers.edges, { __typename: 'ContainerEdge', node: payload.container }] } }
                : current,
            );
          }
          // A delete carries the global id the record had: evicting it is the whole update, and
          // relayStylePagination drops the edge that pointed at it. (An app may also call
          // cache.gc(); the test does not, so that the evict alone is what it proves.)
          if (payload.__typename === 'ContainerDelete') {
            client.cache.evict({ id: client.cache.identify({ __typename: 'Container', id: payload.deletedId }) });
          }
          events.push(data.events);
        },
        error: events.fail,
      });
      const cached = (id: string) =>
        client.cache.readFragment<any>({ id: client.cache.identify({ __typename: 'Container', id })!, fragment: CONTAINER_RECORD });

      const id = await createContainer(server, 'live', 'job', 'alpine:3');
      await events.until('the ContainerCreate of job', (event) => event.payload.__typename === 'ContainerCreate');
      assert.equal(cached(id)?.image, 'alpine:3', 'the created record is in the cache');
      await untilListShows(list, [
        ['old', []],
        ['job', []],
      ]);

      await write(server, SET_LABELS, { namespace: 'live', containerId: 'job', labels: [{ key: 'stage', value: 'one' }] });
      const first = await events.until('the first ContainerUpdate of job', (event) => event.payload.__typename === 'ContainerUpdate');
      assert.deepEqual(
        cached(id)?.labels.map((l: any) => [l.key, l.value]),
        [['stage', 'one']],
      );
      await untilListShows(list, [
        ['old', []],
        ['job', ['one']],
      ]);

      await write(server, SET_LABELS, { namespace: 'live', containerId: 'job', labels: [{ key: 'stage', value: 'two' }] });
      await events.until('the second ContainerUpdate of job', (event) => event.payload.__typename === 'ContainerUpdate' && event !== first);
      assert.deepEqual(
        cached(id)?.labels.map((l: any) => [l.key, l.value]),
        [['stage', 'two']],
      );
      await untilListShows(list, [
        ['old', []],
        ['job', ['two']],
      ]);

      await write(server, DELETE_CONTAINER, { namespace: 'live', containerId: 'job' });
      await events.until('the ContainerDelete of job', (event) => event.payload.__typename === 'ContainerDelete');
      assert.equal(cached(id), null, 'the deleted record is gone from the cache');
      assert.equal(
        (client.cache.extract() as Record<string, unknown>)[client.cache.identify({ __typename: 'Container', id })!],
        undefined,
        'no record, not even a partial one',
      );
      await untilListShows(list, [['old', []]]);
      assert.equal(requests.length, requestsBefore, 'the subscription alone kept the cache current: no HTTP request');
    } finally {
      subscription?.unsubscribe();
      watching.unsubscribe();
    }

    const history = await client.query({ query: gql(documents.LIVE_HISTORY), variables: { namespace: 'live' } });
    const updates = history.data!.events.edges.map((edge: any) => edge.node).filter((event: any) => event.payload.__typename === 'ContainerUpdate');
    assert.deepEqual(
      updates.map((event: any) => event.payload.labels.map((l: any) => l.value)),
      [['one'], ['two']],
      'two updates of one container stay two payloads',
    );
    assert.notEqual(updates[0].id, updates[1].id);
  } finally {
    close();
  }
});

test('automatic persisted queries: hash-only GET, PersistedQueryNotFound, the retry with the query, then a hash-only GET served from the cache', {
  timeout: 60_000,
}, async () => {
  const http = recordingFetch();
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const client = new ApolloClient({
    link: createPersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
      new HttpLink({ uri: server.url, headers: CLIENT_HEADERS, fetch: http.fetch }),
    ),
    cache: new InMemoryCache(),
  });
  const query = gql('query PersistedNamespaces { namespaces { id name } }');
  const first = await client.query({ query, fetchPolicy: 'network-only' });
  assert.ok(Array.isArray(first.data?.namespaces));
  const [hashOnly, retry] = http.requests;
  assert.equal(http.requests.length, 2, 'a hash-only GET, then one retry');
  assert.equal(hashOnly?.method, 'GET');
  assert.equal(hashOnly?.url.searchParams.get('query'), null, 'the first GET carries only the hash');
  assert.match(hashOnly?.url.searchParams.get('extensions') ?? '', /"sha256Hash":"[0-9a-f]{64}"/);
  assert.equal(hashOnly?.status, 404, 'PersistedQueryNotFound is a 404');
  assert.ok(retry?.url.searchParams.get('query') ?? retry?.body?.query, 'the retry carries the query');
  assert.equal(retry?.status, 200);

  const second = await client.query({ query, fetchPolicy: 'network-only' });
  assert.deepEqual(second.data, first.data);
  const last = http.requests[2];
  assert.equal(http.requests.length, 3);
  assert.equal(last?.method, 'GET');
  assert.equal(last?.url.searchParams.get('query'), null, 'the later GET carries only the hash');
  assert.equal(last?.status, 200, 'the server knew the hash');
});
