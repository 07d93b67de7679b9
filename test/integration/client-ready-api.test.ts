import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * Contract v2: global ids (Relay's Node), containerd's id as containerId, and a namespace argument
 * on every root field and mutation input, as a UI client with a normalized cache relies on them.
 */
let server: TestServer;
const SPEC = { typeUrl: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', json: { ociVersion: '1.1.0' } };
const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;
const globalId = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString('base64url');

const CREATE = `mutation($ns: String, $c: ContainerInput!) { createContainer(input: { namespace: $ns, container: $c }) { container { id containerId namespace image revision } } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename id
  ... on Container { containerId namespace image } ... on Namespace { name } ... on Checkpoint { ref containerId }
  ... on Event { topic namespace } } }`;

async function ok<T = any>(query: string, variables: Record<string, unknown> = {}, namespace?: string): Promise<T> {
  const result = await server.gql(query, variables, namespace ? { namespace } : {});
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  return result.data as T;
}

before(async () => {
  server = await startServer();
  for (const [ns, image] of [
    ['a', 'img-a'],
    ['b', 'img-b'],
  ])
    await ok(CREATE, { ns, c: { containerId: 'web', image, runtime: { name: 'rt' }, spec: SPEC } });
  await ok(`mutation { checkpointContainer(input: { namespace: "a", containerId: "web", ref: "cp" }) { checkpoint { ref } } }`);
});
after(() => server.close());

describe('global ids and node', () => {
  test('one document reads container web in two namespaces, each with its own id and image', async () => {
    const data = await ok(`{ a: container(containerId: "web", namespace: "a") { id image } b: container(containerId: "web", namespace: "b") { id image } }`);
    assert.equal(data.a.image, 'img-a');
    assert.equal(data.b.image, 'img-b');
    assert.notEqual(data.a.id, data.b.id);
  });

  test('node(id) round-trips every type', async () => {
    const data = await ok(`{ container(containerId: "web", namespace: "a") { id } namespace(name: "a") { id } checkpoint(ref: "cp", namespace: "a") { id }
      events(namespace: "a", first: 1) { nodes { id topic } } }`);
    const cases: [string, Record<string, unknown>][] = [
      [data.container.id, { __typename: 'Container', containerId: 'web', namespace: 'a', image: 'img-a' }],
      [data.namespace.id, { __typename: 'Namespace', name: 'a' }],
      [data.checkpoint.id, { __typename: 'Checkpoint', ref: 'cp', containerId: 'web' }],
      [data.events.nodes[0].id, { __typename: 'Event', topic: data.events.nodes[0].topic, namespace: 'a' }],
    ];
    for (const [id, expected] of cases) assert.deepEqual((await ok(NODE, { id })).node, { id, ...expected });
    const many = await ok(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids: [cases[2]![0], globalId('Container', 'a/nope'), cases[0]![0]] });
    assert.deepEqual(many.nodes, [{ __typename: 'Checkpoint', id: cases[2]![0] }, null, { __typename: 'Container', id: cases[0]![0] }]);
  });

  test('a malformed id is INVALID_ARGUMENT', async () => {
    const malformed = [
      '',
      'not base64!',
      globalId('Nope', 'a/web'),
      globalId('Container', 'no-namespace'),
      globalId('Container', 'bad ns/web'),
      globalId('Event', 'a/x1'),
      'Q29udGFpbmVyOmEvd2Vi==',
    ];
    for (const id of malformed) assert.equal(code(await server.gql(NODE, { id })), 'INVALID_ARGUMENT', id);
  });

  test('a global id is a pure function of type and key: a deleted record is null, a re-created one has its old id', async () => {
    const made = await ok(CREATE, { ns: 'a', c: { containerId: 'temp', runtime: { name: 'rt' }, spec: SPEC } });
    const { id } = made.createContainer.container;
    const deleted = await ok(`mutation { deleteContainer(input: { namespace: "a", containerId: "temp" }) { containerId deletedId } }`);
    assert.deepEqual(deleted.deleteContainer, { containerId: 'temp', deletedId: id });
    assert.equal((await ok(NODE, { id })).node, null);
    const again = await ok(CREATE, { ns: 'a', c: { containerId: 'temp', runtime: { name: 'rt' }, spec: SPEC } });
    assert.equal(again.createContainer.container.id, id);

    await ok(`mutation { createNamespace(input: { name: "gone" }) { namespace { id } } }`);
    const ns = await ok(`mutation { deleteNamespace(input: { name: "gone" }) { name deletedId } }`);
    assert.equal((await ok(NODE, { id: ns.deleteNamespace.deletedId })).node, null);
    await ok(`mutation { checkpointContainer(input: { namespace: "a", containerId: "web", ref: "cp2" }) { checkpoint { id } } }`);
    const cp = await ok(`mutation { deleteCheckpoint(input: { namespace: "a", ref: "cp2" }) { ref deletedId } }`);
    assert.equal(cp.deleteCheckpoint.deletedId, globalId('Checkpoint', 'a/cp2'));
    assert.equal((await ok(NODE, { id: cp.deleteCheckpoint.deletedId })).node, null);
    assert.equal((await ok(NODE, { id: globalId('Event', 'a/999999') })).node, null, 'an event past the log is null');
  });
});

describe('the namespace argument', () => {
  test('it wins over the header, field by field', async () => {
    const data = await ok(`{ here: containers { nodes { namespace } } there: containers(namespace: "b") { nodes { namespace image } } }`, {}, 'a');
    assert.deepEqual(new Set(data.here.nodes.map((n: { namespace: string }) => n.namespace)), new Set(['a']));
    assert.deepEqual(data.there.nodes, [{ namespace: 'b', image: 'img-b' }]);
  });
  test('an invalid name is INVALID_ARGUMENT, and events take a namespace or allNamespaces, not both', async () => {
    assert.equal(code(await server.gql(`{ containers(namespace: "bad name") { totalCount } }`)), 'INVALID_ARGUMENT');
    assert.equal(code(await server.gql(`mutation { deleteContainer(input: { namespace: "-x", containerId: "web" }) { containerId } }`)), 'INVALID_ARGUMENT');
    assert.equal(code(await server.gql(`{ events(namespace: "a", allNamespaces: true) { nodes { id } } }`)), 'INVALID_ARGUMENT');
  });
  test('mutations act in the namespace their input names', async () => {
    await ok(
      `mutation { setContainerLabels(input: { namespace: "b", containerId: "web", labels: [{ key: "where", value: "b" }] }) { container { id } } }`,
      {},
      'a',
    );
    const data = await ok(
      `{ a: container(containerId: "web", namespace: "a") { label(key: "where") } b: container(containerId: "web", namespace: "b") { label(key: "where") } }`,
    );
    assert.deepEqual(data, { a: { label: null }, b: { label: 'b' } });
  });
});

describe('setContainerLabels with expectedRevision', () => {
  test('a stale revision is ABORTED and writes nothing; the current one applies', async () => {
    const { container } = await ok(`{ container(containerId: "web", namespace: "b") { revision labels { key value } } }`);
    const stale = await server.gql(
      `mutation($r: Int) { setContainerLabels(input: { namespace: "b", containerId: "web", labels: [{ key: "k", value: "v" }], expectedRevision: $r }) { container { revision } } }`,
      {
        r: container.revision - 1,
      },
    );
    assert.equal(code(stale), 'ABORTED');
    assert.deepEqual((await ok(`{ container(containerId: "web", namespace: "b") { revision labels { key value } } }`)).container, container);
    const applied = await ok(
      `mutation($r: Int) { setContainerLabels(input: { namespace: "b", containerId: "web", labels: [{ key: "k", value: "v" }], expectedRevision: $r }) { container { revision label(key: "k") } } }`,
      {
        r: container.revision,
      },
    );
    assert.deepEqual(applied.setContainerLabels.container, { revision: container.revision + 1, label: 'v' });
  });
});

describe('event payloads', () => {
  test('no payload type has a field named id', async () => {
    const data = await ok(`{ __type(name: "EventPayload") { possibleTypes { name fields { name } } } }`);
    for (const type of data.__type.possibleTypes) assert.ok(!type.fields.some((f: { name: string }) => f.name === 'id'), type.name);
  });
  test('record fields show the record as it is now, null once gone; deletes carry the id that went away', async () => {
    const { containers } = await ok(`{ containers(namespace: "a") { watchCursor } }`);
    await ok(CREATE, { ns: 'a', c: { containerId: 'life', image: 'one', runtime: { name: 'rt' }, spec: SPEC } });
    await ok(`mutation { setContainerLabels(input: { namespace: "a", containerId: "life", labels: [{ key: "x", value: "1" }] }) { container { id } } }`);
    await ok(`mutation { setContainerLabels(input: { namespace: "a", containerId: "life", labels: [{ key: "x", value: "2" }] }) { container { id } } }`);
    const HISTORY = `query($after: String) { events(namespace: "a", after: $after) { nodes { id payload { __typename
      ... on ContainerCreate { containerId container { id labels { key value } } }
      ... on ContainerUpdate { containerId labels { key value } container { id revision } }
      ... on ContainerDelete { containerId deletedId } } } } }`;
    const live = await ok(HISTORY, { after: containers.watchCursor });
    const [created, first, second] = live.events.nodes;
    assert.equal(created.payload.container.id, globalId('Container', 'a/life'));
    assert.deepEqual(created.payload.container.labels, [{ key: 'x', value: '2' }], 'the record as it is now');
    assert.deepEqual([first.payload.labels, second.payload.labels], [[{ key: 'x', value: '1' }], [{ key: 'x', value: '2' }]], 'two updates stay two payloads');
    assert.notEqual(first.id, second.id);
    await ok(`mutation { deleteContainer(input: { namespace: "a", containerId: "life" }) { containerId } }`);
    const gone = await ok(HISTORY, { after: containers.watchCursor });
    assert.equal(gone.events.nodes[0].payload.container, null);
    assert.deepEqual(gone.events.nodes.at(-1).payload, { __typename: 'ContainerDelete', containerId: 'life', deletedId: globalId('Container', 'a/life') });
  });
});
