import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inScope } from '../../src/db/transaction.ts';
import { CONTAINER_FIELDS, CREATE, DELETE, GET } from '../helpers/containers.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** Checkpoint and restore (docs/behaviour.md §7) through the GraphQL API, and the row-level security under it. */
const CHECKPOINT_FIELDS = `ref namespace containerId image runtime { name options { typeUrl value } } snapshotter
  spec { typeUrl value } labels { key value } extensions { name value { typeUrl value } } createdAt`;
const CHECKPOINT = `mutation($id: String!, $ref: String!) {
  checkpointContainer(input: { containerId: $id, ref: $ref }) { checkpoint { ${CHECKPOINT_FIELDS} } } }`;
const RESTORE = `mutation($id: String!, $ref: String!) { restoreContainer(input: { containerId: $id, ref: $ref }) { container { ${CONTAINER_FIELDS} } } }`;
const DELETE_CHECKPOINT = `mutation($ref: String!) { deleteCheckpoint(input: { ref: $ref }) { ref } }`;
const GET_CHECKPOINT = `query($ref: String!) { checkpoint(ref: $ref) { ${CHECKPOINT_FIELDS} } }`;
const LIST_CHECKPOINTS = `query($f: [String!], $first: Int, $after: String) {
  checkpoints(filters: $f, first: $first, after: $after) { totalCount nodes { ref } edges { cursor } pageInfo { hasNextPage endCursor } } }`;
const DELETE_NAMESPACE = `mutation($n: String!) { deleteNamespace(input: { name: $n }) { name } }`;

const NS = 'ckpt';
const OTHER = 'ckpt-other';
const SPEC = { typeUrl: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', json: { ociVersion: '1.1.0', process: { args: ['sh'] } } };
const SOURCE = {
  containerId: 'source',
  image: 'docker.io/library/redis:alpine',
  runtime: { name: 'io.containerd.runc.v2', options: { typeUrl: 'containerd.runc.v1.Options', value: 'CAE=' } },
  spec: SPEC,
  snapshotter: 'overlayfs',
  snapshotKey: 'source',
  sandbox: 'sandbox-1',
  labels: [
    { key: 'app', value: 'cache' },
    { key: 'tier', value: 'backend' },
  ],
  extensions: [{ name: 'ext.a', value: { typeUrl: 'example.com/A', value: 'AAEC' } }],
};

let server: TestServer;
const gql = (query: string, variables: Record<string, unknown>, namespace = NS) => server.gql(query, variables, { namespace });

function assertError(response: { errors?: { message: string; extensions?: { code?: string } }[] }, code: string, message: string) {
  assert.ok(response.errors, `expected ${code}, got success`);
  assert.equal(response.errors[0]?.extensions?.code, code);
  assert.equal(response.errors[0]?.message, message);
}

const eventsOf = async (namespace: string) => [
  ...(await server.sql<{ topic: string; payload: unknown }[]>`select topic, payload from events where namespace = ${namespace} order by seq`),
];

before(async () => {
  server = await startServer();
  assert.equal((await gql(CREATE, { c: SOURCE })).errors, undefined);
});
after(() => server.close());

describe('checkpointContainer', () => {
  test('stores the record under the ref and leaves the container unchanged', async () => {
    const before = (await gql(GET, { id: 'source' })).data.container;
    const taken = await gql(CHECKPOINT, { id: 'source', ref: 'cp1' });
    assert.equal(taken.errors, undefined);
    const checkpoint = taken.data.checkpointContainer.checkpoint;
    assert.deepEqual(
      { ...checkpoint, createdAt: undefined },
      {
        ref: 'cp1',
        namespace: NS,
        containerId: 'source',
        image: before.image,
        runtime: before.runtime,
        snapshotter: 'overlayfs',
        spec: { typeUrl: before.spec.typeUrl, value: before.spec.value },
        labels: before.labels,
        extensions: before.extensions,
        createdAt: undefined,
      },
    );
    assert.match(checkpoint.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.deepEqual((await gql(GET, { id: 'source' })).data.container, before);
    assert.deepEqual((await gql(GET_CHECKPOINT, { ref: 'cp1' })).data.checkpoint, checkpoint);
  });

  test('a ref that is taken is ALREADY_EXISTS', async () => {
    assertError(await gql(CHECKPOINT, { id: 'source', ref: 'cp1' }), 'ALREADY_EXISTS', 'checkpoint "cp1": already exists');
  });

  test('an unknown container is NOT_FOUND, with containerd text for a container that cannot be loaded', async () => {
    assertError(await gql(CHECKPOINT, { id: 'nope', ref: 'cp-nope' }), 'NOT_FOUND', `container "nope" in namespace "${NS}": not found`);
    assert.equal((await gql(GET_CHECKPOINT, { ref: 'cp-nope' })).data.checkpoint, null);
  });

  test('the ref must be an identifier', async () => {
    const result = await gql(CHECKPOINT, { id: 'source', ref: 'bad ref' });
    assert.equal(result.errors?.[0]?.extensions?.code, 'INVALID_ARGUMENT');
    assert.match(result.errors?.[0]?.message ?? '', /^checkpoint\.Ref: identifier "bad ref" must match /);
  });

  test('an unknown ref reads as null', async () => {
    assert.equal((await gql(GET_CHECKPOINT, { ref: 'missing' })).data.checkpoint, null);
  });
});

describe('restoreContainer', () => {
  test('after the source is deleted, gives back the same record under a new id with its own snapshot key', async () => {
    const source = (await gql(GET, { id: 'source' })).data.container;
    assert.equal((await gql(DELETE, { id: 'source' })).errors, undefined);
    const restored = await gql(RESTORE, { id: 'restored', ref: 'cp1' });
    assert.equal(restored.errors, undefined);
    const c = restored.data.restoreContainer.container;
    for (const field of ['image', 'runtime', 'snapshotter', 'spec', 'labels', 'extensions'] as const) assert.deepEqual(c[field], source[field], field);
    assert.equal(c.containerId, 'restored');
    assert.equal(c.snapshotKey, 'restored');
    assert.equal(c.sandbox, '');
    assert.equal(c.revision, 1);
    assert.equal(c.createdAt, c.updatedAt);
    assert.deepEqual((await gql(GET, { id: 'restored' })).data.container, c);
  });

  test('a checkpoint without a snapshotter restores without a snapshot key', async () => {
    const plain = { containerId: 'plain', runtime: { name: 'rt' }, spec: SPEC };
    assert.equal((await gql(CREATE, { c: plain })).errors, undefined);
    assert.equal((await gql(CHECKPOINT, { id: 'plain', ref: 'cp-plain' })).errors, undefined);
    const restored = await gql(RESTORE, { id: 'plain-2', ref: 'cp-plain' });
    assert.equal(restored.errors, undefined);
    assert.equal(restored.data.restoreContainer.container.snapshotter, '');
    assert.equal(restored.data.restoreContainer.container.snapshotKey, '');
  });

  test('an unknown ref is NOT_FOUND', async () => {
    assertError(await gql(RESTORE, { id: 'x', ref: 'missing' }), 'NOT_FOUND', 'checkpoint "missing": not found');
    assert.equal((await gql(GET, { id: 'x' })).data.container, null);
  });

  test('an id that is taken is ALREADY_EXISTS', async () => {
    assertError(await gql(RESTORE, { id: 'restored', ref: 'cp1' }), 'ALREADY_EXISTS', 'container "restored": already exists');
  });

  test('the new id goes through create validation', async () => {
    const result = await gql(RESTORE, { id: '-bad', ref: 'cp1' });
    assert.equal(result.errors?.[0]?.extensions?.code, 'INVALID_ARGUMENT');
    assert.match(result.errors?.[0]?.message ?? '', /^create container failed validation: container\.ID: identifier "-bad" must match /);
  });
});

describe('events', () => {
  test('checkpoint, restore and delete write their events in their transactions', async () => {
    const ns = 'ckpt-events';
    assert.equal((await gql(CREATE, { c: { containerId: 'e1', image: 'img', runtime: { name: 'rt' }, spec: SPEC } }, ns)).errors, undefined);
    assert.equal((await gql(CHECKPOINT, { id: 'e1', ref: 'e-cp' }, ns)).errors, undefined);
    assert.equal((await gql(RESTORE, { id: 'e2', ref: 'e-cp' }, ns)).errors, undefined);
    assert.equal((await gql(DELETE_CHECKPOINT, { ref: 'e-cp' }, ns)).errors, undefined);
    assert.ok((await gql(CHECKPOINT, { id: 'e1', ref: 'e-cp-' }, ns)).errors, 'a failed mutation writes no event');
    assert.deepEqual(await eventsOf(ns), [
      { topic: '/namespaces/create', payload: { name: ns, labels: {} } },
      { topic: '/containers/create', payload: { id: 'e1', image: 'img', runtime: { name: 'rt', options: null } } },
      { topic: '/checkpoints/create', payload: { ref: 'e-cp', container_id: 'e1' } },
      { topic: '/containers/create', payload: { id: 'e2', image: 'img', runtime: { name: 'rt', options: null } } },
      { topic: '/checkpoints/delete', payload: { ref: 'e-cp' } },
    ]);
  });
});

describe('checkpoints list', () => {
  const ns = 'ckpt-list';
  before(async () => {
    const labels = (i: number) => [{ key: 'parity', value: i % 2 === 0 ? 'even' : 'odd' }];
    for (let i = 0; i < 5; i++) {
      assert.equal((await gql(CREATE, { c: { containerId: `c${i}`, runtime: { name: 'rt' }, spec: SPEC, labels: labels(i) } }, ns)).errors, undefined);
      assert.equal((await gql(CHECKPOINT, { id: `c${i}`, ref: `ref-${i}` }, ns)).errors, undefined);
    }
  });

  test('all, in byte-wise ref order, with a count', async () => {
    const listed = (await gql(LIST_CHECKPOINTS, {}, ns)).data.checkpoints;
    assert.deepEqual(
      listed.nodes.map((n: { ref: string }) => n.ref),
      ['ref-0', 'ref-1', 'ref-2', 'ref-3', 'ref-4'],
    );
    assert.equal(listed.totalCount, 5);
  });

  test('filters on ref and labels, OR across strings', async () => {
    const refs = async (f: string[]) => (await gql(LIST_CHECKPOINTS, { f }, ns)).data.checkpoints.nodes.map((n: { ref: string }) => n.ref);
    assert.deepEqual(await refs(['labels.parity==odd']), ['ref-1', 'ref-3']);
    assert.deepEqual(await refs(['ref==ref-0', 'ref~=4$']), ['ref-0', 'ref-4']);
    assert.deepEqual(await refs(['id==c1']), [], 'a checkpoint has no id field');
    const bad = await gql(LIST_CHECKPOINTS, { f: ['ref=='] }, ns);
    assert.equal(bad.errors?.[0]?.extensions?.code, 'INVALID_ARGUMENT');
  });

  test('pages with first and after', async () => {
    const first = (await gql(LIST_CHECKPOINTS, { first: 2 }, ns)).data.checkpoints;
    assert.deepEqual(
      first.nodes.map((n: { ref: string }) => n.ref),
      ['ref-0', 'ref-1'],
    );
    assert.equal(first.pageInfo.hasNextPage, true);
    assert.equal(first.totalCount, 5);
    const rest = (await gql(LIST_CHECKPOINTS, { first: 10, after: first.pageInfo.endCursor }, ns)).data.checkpoints;
    assert.deepEqual(
      rest.nodes.map((n: { ref: string }) => n.ref),
      ['ref-2', 'ref-3', 'ref-4'],
    );
    assert.equal(rest.pageInfo.hasNextPage, false);
  });
});

describe('deleteCheckpoint', () => {
  test('deletes once, then NOT_FOUND', async () => {
    assert.equal((await gql(CREATE, { c: { containerId: 'd1', runtime: { name: 'rt' }, spec: SPEC } })).errors, undefined);
    assert.equal((await gql(CHECKPOINT, { id: 'd1', ref: 'doomed' })).errors, undefined);
    assert.deepEqual((await gql(DELETE_CHECKPOINT, { ref: 'doomed' })).data, { deleteCheckpoint: { ref: 'doomed' } });
    assert.equal((await gql(GET_CHECKPOINT, { ref: 'doomed' })).data.checkpoint, null);
    assertError(await gql(DELETE_CHECKPOINT, { ref: 'doomed' }), 'NOT_FOUND', 'checkpoint "doomed": not found');
  });
});

describe('namespaces', () => {
  test('a namespace that holds only a checkpoint cannot be deleted', async () => {
    const ns = 'ckpt-only';
    assert.equal((await gql(CREATE, { c: { containerId: 'c', runtime: { name: 'rt' }, spec: SPEC } }, ns)).errors, undefined);
    assert.equal((await gql(CHECKPOINT, { id: 'c', ref: 'keep' }, ns)).errors, undefined);
    assertError(
      await server.gql(DELETE_NAMESPACE, { n: ns }),
      'FAILED_PRECONDITION',
      `namespace "${ns}" must be empty, but it still has containers, checkpoints`,
    );
    assert.equal((await gql(DELETE, { id: 'c' }, ns)).errors, undefined);
    assertError(await server.gql(DELETE_NAMESPACE, { n: ns }), 'FAILED_PRECONDITION', `namespace "${ns}" must be empty, but it still has checkpoints`);
    assert.equal((await gql(DELETE_CHECKPOINT, { ref: 'keep' }, ns)).errors, undefined);
    assert.deepEqual((await server.gql(DELETE_NAMESPACE, { n: ns })).data, { deleteNamespace: { name: ns } });
  });
});

describe('row-level security', () => {
  before(async () => {
    assert.equal((await gql(CREATE, { c: { containerId: 'other-c', runtime: { name: 'rt' }, spec: SPEC } }, OTHER)).errors, undefined);
  });

  test('another namespace cannot read, list, restore from or delete a checkpoint', async () => {
    assert.equal((await gql(GET_CHECKPOINT, { ref: 'cp1' }, OTHER)).data.checkpoint, null);
    assert.equal((await gql(LIST_CHECKPOINTS, {}, OTHER)).data.checkpoints.totalCount, 0);
    assertError(await gql(RESTORE, { id: 'stolen', ref: 'cp1' }, OTHER), 'NOT_FOUND', 'checkpoint "cp1": not found');
    assertError(await gql(DELETE_CHECKPOINT, { ref: 'cp1' }, OTHER), 'NOT_FOUND', 'checkpoint "cp1": not found');
    assert.notEqual((await gql(GET_CHECKPOINT, { ref: 'cp1' })).data.checkpoint, null, 'still there in its own namespace');
  });

  test('the same ref may exist in two namespaces', async () => {
    assert.equal((await gql(CHECKPOINT, { id: 'other-c', ref: 'cp1' }, OTHER)).errors, undefined);
    assert.equal((await gql(GET_CHECKPOINT, { ref: 'cp1' }, OTHER)).data.checkpoint.containerId, 'other-c');
    assert.equal((await gql(GET_CHECKPOINT, { ref: 'cp1' })).data.checkpoint.containerId, 'source');
  });

  test('below the application: statements without a namespace condition see and touch only their namespace', async () => {
    await inScope(server.sql, { namespace: OTHER, readable: [OTHER] }, async (tx) => {
      const rows = await tx<{ namespace: string }[]>`select distinct namespace from checkpoints`;
      assert.deepEqual(
        rows.map((r) => r.namespace),
        [OTHER],
      );
      assert.equal((await tx`delete from checkpoints where namespace = ${NS}`).count, 0);
    });
    await assert.rejects(
      inScope(
        server.sql,
        { namespace: OTHER, readable: [OTHER] },
        (tx) => tx`insert into checkpoints (namespace, ref, container_id, runtime_name) values (${NS}, 'forged', 'x', 'rt')`,
      ),
      /row-level security/,
    );
  });

  test('checkpoints are immutable: the request role may not update them', async () => {
    await assert.rejects(
      inScope(server.sql, { namespace: NS, readable: [NS] }, (tx) => tx`update checkpoints set image = 'changed'`),
      /permission denied/,
    );
  });
});
