import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CREATE, DELETE, UPDATE } from '../helpers/containers.ts';
import { committedEvents } from '../helpers/event-log.ts';
import { type GraphQLResponse, startServer, type TestServer } from '../helpers/server.ts';

/** Query.events: history pages, limits, cursors, and how each stored payload reaches the API. */
let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

const PAGE = `query($after: String, $first: Int, $all: Boolean) {
  events(after: $after, first: $first, allNamespaces: $all) { edges { cursor node { cursor namespace topic } } nodes { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

test('pages of 100 by default, chained by endCursor, give the whole log in cursor order', async () => {
  for (let i = 0; i < 130; i++) {
    const result = await server.gql(
      CREATE,
      { c: { containerId: `c${i}`, runtime: { name: 'rt' }, spec: { typeUrl: 't', json: {} } } },
      { namespace: i % 2 ? 'odd' : 'even' },
    );
    assert.equal(result.errors, undefined);
  }
  const seen: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const result: GraphQLResponse = await server.gql(PAGE, { after, all: true });
    const page = result.data.events;
    pages++;
    assert.deepEqual(
      page.edges.map((e: any) => e.cursor),
      page.edges.map((e: any) => e.node.cursor),
      'edge cursor = node cursor',
    );
    assert.deepEqual(
      page.nodes.map((n: any) => n.cursor),
      page.edges.map((e: any) => e.cursor),
    );
    assert.ok(page.edges.length <= 100);
    seen.push(...page.edges.map((e: any) => e.cursor));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  assert.equal(pages, 2);
  assert.deepEqual(
    seen,
    (await committedEvents(server.sql)).map((e) => e.cursor),
  );
  const odd = (await server.gql(PAGE, { first: 1000 }, { namespace: 'odd' })).data.events.edges;
  assert.ok(odd.length === 66 && odd.every((e: any) => e.node.namespace === 'odd'), 'without allNamespaces: the request namespace only');
});

test('limits and bad cursors', async () => {
  const code = async (variables: Record<string, unknown>) => (await server.gql(PAGE, variables)).errors?.[0]?.extensions?.code;
  assert.equal(await code({ first: 1001 }), 'RESOURCE_EXHAUSTED');
  assert.equal(await code({ first: -1 }), 'INVALID_ARGUMENT');
  assert.equal(await code({ after: 'not-a-cursor' }), 'INVALID_ARGUMENT');
  assert.equal(await code({ after: 'FFFFFFFFFFFFFFFF' }), 'INVALID_ARGUMENT');
  assert.equal(await code({ after: '00000000ffffffff' }), 'INVALID_ARGUMENT', 'a cursor ahead of the log');
  const { data } = await server.gql(PAGE, { first: 0, all: true });
  assert.deepEqual([data.events.edges, data.events.pageInfo.hasNextPage], [[], true]);
});

test('payloads: containerd messages mapped to the API types, timestamps never decreasing', async () => {
  const ns = { namespace: 'payloads' };
  const { data: listed } = await server.gql(`{ containers { watchCursor } }`, {}, ns);
  const rt = { name: 'io.containerd.runc.v2', options: { typeUrl: 'opts', value: Buffer.from([1, 2, 255]).toString('base64') } };
  const steps = [
    () =>
      server.gql(
        `mutation { createNamespace(input: { name: "payloads", labels: [{ key: "z", value: "1" }, { key: "a", value: "2" }] }) { namespace { name } } }`,
      ),
    () =>
      server.gql(
        CREATE,
        { c: { containerId: 'p', image: 'img', runtime: rt, spec: { typeUrl: 't', json: {} }, snapshotter: 'overlayfs', snapshotKey: 'k1' } },
        ns,
      ),
    () =>
      server.gql(
        UPDATE,
        {
          c: {
            containerId: 'p',
            labels: [
              { key: 'b', value: '1' },
              { key: 'a', value: '2' },
            ],
          },
          paths: ['labels'],
        },
        ns,
      ),
    () => server.gql(`mutation { checkpointContainer(input: { containerId: "p", ref: "snap" }) { checkpoint { ref } } }`, {}, ns),
    () => server.gql(`mutation { deleteCheckpoint(input: { ref: "snap" }) { ref } }`, {}, ns),
    () => server.gql(DELETE, { id: 'p' }, ns),
    () => server.gql(`mutation { updateNamespace(input: { name: "payloads", labels: [] }) { namespace { name } } }`),
    () => server.gql(`mutation { deleteNamespace(input: { name: "payloads" }) { name } }`),
  ];
  for (const step of steps) {
    const { errors } = await step();
    assert.equal(errors, undefined, JSON.stringify(errors));
  }
  const result = await server.gql(
    `query($after: String) { events(after: $after) { nodes { timestamp topic payload {
      __typename
      ... on ContainerCreate { containerId image runtime { name options { typeUrl value } } }
      ... on ContainerUpdate { containerId image labels { key value } snapshotKey }
      ... on ContainerDelete { containerId }
      ... on NamespaceCreate { name labels { key value } }
      ... on NamespaceUpdate { name labels { key value } }
      ... on NamespaceDelete { name }
      ... on CheckpointCreate { ref containerId }
      ... on CheckpointDelete { ref } } } } }`,
    { after: listed.containers.watchCursor },
    ns,
  );
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  const nodes = result.data.events.nodes;
  const stamps = nodes.map((n: any) => n.timestamp);
  assert.deepEqual(stamps, [...stamps].sort(), 'timestamps are taken under the clock lock');
  assert.deepEqual(
    nodes.map((n: any) => [n.topic, n.payload]),
    [
      [
        '/namespaces/create',
        {
          __typename: 'NamespaceCreate',
          name: 'payloads',
          labels: [
            { key: 'a', value: '2' },
            { key: 'z', value: '1' },
          ],
        },
      ],
      ['/containers/create', { __typename: 'ContainerCreate', containerId: 'p', image: 'img', runtime: rt }],
      [
        '/containers/update',
        {
          __typename: 'ContainerUpdate',
          containerId: 'p',
          image: 'img',
          labels: [
            { key: 'a', value: '2' },
            { key: 'b', value: '1' },
          ],
          snapshotKey: 'k1',
        },
      ],
      ['/checkpoints/create', { __typename: 'CheckpointCreate', ref: 'snap', containerId: 'p' }],
      ['/checkpoints/delete', { __typename: 'CheckpointDelete', ref: 'snap' }],
      ['/containers/delete', { __typename: 'ContainerDelete', containerId: 'p' }],
      ['/namespaces/update', { __typename: 'NamespaceUpdate', name: 'payloads', labels: [] }],
      ['/namespaces/delete', { __typename: 'NamespaceDelete', name: 'payloads' }],
    ],
  );
});
