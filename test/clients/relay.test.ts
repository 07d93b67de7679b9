import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'graphql-ws';
import {
  commitMutation,
  type ConcreteRequest,
  ConnectionHandler,
  createOperationDescriptor,
  createReaderSelector,
  Environment,
  fetchQuery,
  type FetchFunction,
  type GraphQLResponse,
  Network,
  Observable,
  RecordSource,
  requestSubscription,
  Store,
  type SubscribeFunction,
  type Variables,
} from 'relay-runtime';
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
import { compileRelayDocuments, type RelayArtifacts } from './relay/compile.ts';

/**
 * relay-runtime (no React) against a running Berth: Environment, Network, RecordSource and Store
 * with their defaults. Relay keys every record by `id` across all types, which Berth's global ids
 * make right; paging is the document's own `@connection`, and a delete is the document's
 * `@deleteRecord` on `deletedId`. The documents are test/clients/relay/Berth.ts, compiled here.
 */

let server: TestServer;
let artifacts: RelayArtifacts;
before(async () => {
  [server, artifacts] = await Promise.all([startServer(), compileRelayDocuments()]);
});
after(async () => {
  await server?.close();
  await artifacts?.remove();
});

function relayEnvironment() {
  const http = recordingFetch();
  const ws = createClient({ url: webSocketUrl(server), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
  const fetchFn: FetchFunction = async (request, variables) => {
    const response = await http.fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...CLIENT_HEADERS },
      body: JSON.stringify({ query: request.text, operationName: request.name, variables }),
    });
    return (await response.json()) as GraphQLResponse;
  };
  const subscribeFn: SubscribeFunction = (request, variables) =>
    Observable.create<GraphQLResponse>((sink) =>
      ws.subscribe(
        { operationName: request.name, query: request.text ?? '', variables },
        {
          next: (value) => sink.next(value as GraphQLResponse),
          error: (error) => sink.error(error instanceof Error ? error : new Error(`subscription failed: ${JSON.stringify(error)}`)),
          complete: () => sink.complete(),
        },
      ),
    );
  const environment = new Environment({ network: Network.create(fetchFn, subscribeFn), store: new Store(new RecordSource()) });
  return { environment, requests: http.requests, close: () => ws.dispose() };
}

function mutate(environment: Environment, mutation: ConcreteRequest, variables: Variables): Promise<any> {
  return new Promise((resolve, reject) => {
    commitMutation(environment, {
      mutation,
      variables,
      onCompleted: (response, errors) => (errors?.length ? reject(new Error(JSON.stringify(errors))) : resolve(response)),
      onError: reject,
    });
  });
}

test('container web in namespaces a and b: one environment shows each its own image', { timeout: 60_000 }, async () => {
  const { environment, close } = relayEnvironment();
  try {
    await mutate(environment, await artifacts.request('BerthCreateWebTwiceMutation'), { spec: SPEC });
    const containerIn = await artifacts.request('BerthContainerInQuery');
    const views = ['a', 'b'].map((namespace) => createOperationDescriptor(containerIn, { containerId: 'web', namespace }));
    const retained = views.map((view) => environment.retain(view));
    try {
      await within('both reads', Promise.all(views.map((view) => fetchQuery(environment, containerIn, view.request.variables).toPromise())));
      const [a, b] = views.map((view) => environment.lookup(view.fragment).data as any);
      assert.equal(a.container.image, 'nginx:a');
      assert.equal(b.container.image, 'nginx:b');
      assert.notEqual(a.container.id, b.container.id);
    } finally {
      for (const retain of retained) retain.dispose();
    }
    const both = (await fetchQuery(environment, await artifacts.request('BerthBothWebsQuery'), {}).toPromise()) as any;
    assert.deepEqual([both.a.image, both.b.image], ['nginx:a', 'nginx:b']);
  } finally {
    close();
  }
});

test('pages 25 containers with @connection; a label edit shows in the paged list with no refetch', { timeout: 60_000 }, async () => {
  const ids = await seedContainers(server, 'paged', 25);
  const { environment, requests, close } = relayEnvironment();
  try {
    const paged = await artifacts.request('BerthPagedContainersQuery');
    const firstPage = createOperationDescriptor(paged, { namespace: 'paged', first: 10, after: null });
    const retained = environment.retain(firstPage);
    try {
      await fetchQuery(environment, paged, firstPage.request.variables).toPromise();
      // The list a UI shows: the first page's query, read from the store and watched. Relay's
      // connection handler appends every later page to it.
      const snapshot = environment.lookup(firstPage.fragment);
      const list = new Watched<any>();
      list.push(snapshot.data);
      const watching = environment.subscribe(snapshot, (next) => list.push(next.data));
      try {
        let page = list.latest;
        while (page.containers.pageInfo.hasNextPage) {
          const loaded = page.containers.edges.length;
          await within(
            'the next page',
            fetchQuery(environment, paged, { namespace: 'paged', first: 10, after: page.containers.pageInfo.endCursor }).toPromise(),
          );
          page = await list.until(`the page after ${loaded}`, (data) => data.containers.edges.length > loaded);
        }
        assert.deepEqual(
          page.containers.edges.map((edge: any) => edge.node.containerId),
          ids,
        );
        assert.equal(requests.length, 3, 'three pages, three requests');

        const target = page.containers.edges[7].node;
        const relabel = await artifacts.request('BerthRelabelMutation');
        const edited = await mutate(environment, relabel, {
          containerId: target.containerId,
          namespace: 'paged',
          labels: [{ key: 'tier', value: 'gold' }],
          revision: target.revision,
        });
        assert.equal(edited.setContainerLabels.container.revision, target.revision + 1);
        const updated = await list.until('the edited label in the paged list', (data) => data.containers.edges[7].node.labels.length === 1);
        assert.deepEqual(
          updated.containers.edges[7].node.labels.map((l: any) => [l.key, l.value]),
          [['tier', 'gold']],
        );
        assert.equal(updated.containers.edges.length, 25, 'the list keeps every page');
        assert.deepEqual(
          requests.slice(3).map((r) => r.body?.operationName),
          ['BerthRelabelMutation'],
          'the mutation is the only request after the pages',
        );

        await assert.rejects(
          mutate(environment, relabel, { containerId: target.containerId, namespace: 'paged', labels: [{ key: 'tier', value: 'lead' }], revision: 1 }),
          (error: any) => /ABORTED/.test(JSON.stringify(error.source?.errors ?? error.message)),
        );
        assert.deepEqual(
          list.latest.containers.edges[7].node.labels.map((l: any) => l.value),
          ['gold'],
        );
      } finally {
        watching.dispose();
      }
    } finally {
      retained.dispose();
    }
  } finally {
    close();
  }
});

test('a live list from watchCursor: the subscription keeps the store current through create (@appendNode), update and delete (@deleteRecord, @deleteEdge), with no refetch; the history keeps two updates apart', {
  timeout: 60_000,
}, async () => {
  await createContainer(server, 'live', 'old', 'busybox:1');
  const { environment, requests, close } = relayEnvironment();
  try {
    const liveList = await artifacts.request('BerthLiveListQuery');
    const live = createOperationDescriptor(liveList, { namespace: 'live' });
    const retained = environment.retain(live);
    const list = new Watched<any>();
    let watching: { dispose(): void } | undefined;
    let subscription: { dispose(): void } | undefined;
    try {
      await fetchQuery(environment, liveList, live.request.variables).toPromise();
      const snapshot = environment.lookup(live.fragment);
      list.push(snapshot.data);
      watching = environment.subscribe(snapshot, (next) => list.push(next.data));
      await untilListShows(list, [['old', []]]);
      const requestsBefore = requests.length;

      // What the store holds for a container, read through a fragment as a component would.
      const record = await artifacts.fragment('Berth_liveRecord');
      const stored = (id: string) => environment.lookup(createReaderSelector(record, id, {}, live.request));

      const events = new Watched<any>();
      subscription = requestSubscription(environment, {
        subscription: await artifacts.request('BerthLiveContainersSubscription'),
        variables: {
          namespace: 'live',
          after: list.latest.containers.watchCursor,
          // The lists that @appendNode and @deleteEdge keep: this query's connection.
          connections: [ConnectionHandler.getConnectionID('client:root', 'BerthLive_containers', { namespace: 'live' })],
        },
        onNext: (response) => events.push((response as any).events),
        onError: events.fail,
      });

      const id = await createContainer(server, 'live', 'job', 'alpine:3');
      await events.until('the ContainerCreate of job', (event) => event.payload.__typename === 'ContainerCreate');
      assert.equal((stored(id).data as any)?.image, 'alpine:3', 'the created record is in the store');
      await untilListShows(list, [
        ['old', []],
        ['job', []],
      ]);

      await write(server, SET_LABELS, { namespace: 'live', containerId: 'job', labels: [{ key: 'stage', value: 'one' }] });
      const first = await events.until('the first ContainerUpdate of job', (event) => event.payload.__typename === 'ContainerUpdate');
      assert.deepEqual(
        (stored(id).data as any)?.labels.map((l: any) => [l.key, l.value]),
        [['stage', 'one']],
      );
      await untilListShows(list, [
        ['old', []],
        ['job', ['one']],
      ]);

      await write(server, SET_LABELS, { namespace: 'live', containerId: 'job', labels: [{ key: 'stage', value: 'two' }] });
      await events.until('the second ContainerUpdate of job', (event) => event.payload.__typename === 'ContainerUpdate' && event !== first);
      assert.deepEqual(
        (stored(id).data as any)?.labels.map((l: any) => [l.key, l.value]),
        [['stage', 'two']],
      );
      await untilListShows(list, [
        ['old', []],
        ['job', ['two']],
      ]);

      await write(server, DELETE_CONTAINER, { namespace: 'live', containerId: 'job' });
      await events.until('the ContainerDelete of job', (event) => event.payload.__typename === 'ContainerDelete');
      const gone = stored(id);
      assert.equal(gone.data, null, 'the deleted record is gone from the store');
      assert.equal(gone.isMissingData, false, 'the store knows it was deleted (it is not merely unknown)');
      assert.equal(environment.getStore().getSource().get(id), null);
      await untilListShows(list, [['old', []]]);
      assert.equal(requests.length, requestsBefore, 'the subscription alone kept the store current: no HTTP request');
    } finally {
      subscription?.dispose();
      watching?.dispose();
      retained.dispose();
    }

    const history = (await fetchQuery(environment, await artifacts.request('BerthLiveHistoryQuery'), { namespace: 'live' }).toPromise()) as any;
    const updates = history.events.edges.map((edge: any) => edge.node).filter((event: any) => event.payload.__typename === 'ContainerUpdate');
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
