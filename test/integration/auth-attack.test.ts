import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CREATE, LIST } from '../helpers/containers.ts';
import { type RequestOptions, startServer, type TestServer } from '../helpers/server.ts';
import { subscribeEvents } from '../helpers/events.ts';
import { TEST_SECRET, token } from '../helpers/tokens.ts';

/**
 * The cross-namespace attack suite: a writer of namespace A tries to read, write, list, filter,
 * and resume into namespace B through every query and mutation. Everything is denied or empty,
 * and nothing of B leaks: no row, no count, no event. Injection strings go everywhere.
 */
let server: TestServer;
let admin: string;
let writerA: string;
let readerA: string;
let bCursor = '';

const INJECTIONS = [`b'; drop table containers; --`, `" or 1=1 --`, `labels.x==1' or '1'='1`, '\u0000', '../../etc', `$1`, `%`, `*`];
const specOf = (ns: string) => ({ typeUrl: 't', json: { secret: `${ns}-spec` } });
const spec = specOf('alpha');

before(async () => {
  server = await startServer({ BERTH_JWT_SECRET: TEST_SECRET });
  admin = await token({ namespaces: ['*'], role: 'admin' });
  writerA = await token({ namespaces: ['alpha'], role: 'writer' });
  readerA = await token({ namespaces: ['alpha'], role: 'reader' });
  for (const ns of ['alpha', 'bravo']) {
    const made = await server.gql(
      CREATE,
      { c: { containerId: 'shared', image: `${ns}-image`, runtime: { name: 'rt' }, spec: specOf(ns), labels: [{ key: 'team', value: ns }] } },
      { namespace: ns, token: admin },
    );
    assert.equal(made.errors, undefined, JSON.stringify(made.errors));
  }
  const listed = await server.gql(`{ containers { watchCursor } }`, {}, { namespace: 'bravo', token: admin });
  bCursor = listed.data.containers.watchCursor;
  await server.gql(CREATE, { c: { containerId: 'bravo-only', runtime: { name: 'rt' }, spec: specOf('bravo') } }, { namespace: 'bravo', token: admin });
});
after(() => server.close());

const asA = (query: string, variables: Record<string, unknown> = {}, options: RequestOptions = {}) =>
  server.gql(query, variables, { namespace: 'alpha', token: writerA, ...options });

const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;
const leaks = (r: unknown) => /bravo/.test(JSON.stringify(r));

describe('authentication', () => {
  test('no token, a bad token, a token signed with another key, and an expired token are UNAUTHENTICATED', async () => {
    const expired = await token({ namespaces: ['*'], role: 'admin' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const forged = await token({ namespaces: ['*'], role: 'admin' }, { secret: 'not-the-server-secret-not-the-server-secret' });
    for (const t of [undefined, 'garbage', forged, expired]) {
      const result = await server.gql(`{ containers { totalCount } }`, {}, { token: t });
      assert.equal(code(result), 'UNAUTHENTICATED', `token ${t}`);
      assert.equal(result.status, 401);
      assert.equal(result.data, undefined);
    }
  });
  test('a token without the claims is UNAUTHENTICATED', async () => {
    const { SignJWT } = await import('jose');
    const bare = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_SECRET));
    assert.equal(code(await server.gql(`{ containers { totalCount } }`, {}, { token: bare })), 'UNAUTHENTICATED');
  });
});

describe('namespace B through the header', () => {
  test('every query and mutation with berth-namespace: bravo is PERMISSION_DENIED', async () => {
    const operations: [string, Record<string, unknown>][] = [
      [`{ containers { totalCount nodes { containerId } } }`, {}],
      [`{ container(containerId: "shared") { containerId } }`, {}],
      [`{ namespaces { name } }`, {}],
      [CREATE, { c: { containerId: 'x', runtime: { name: 'rt' }, spec } }],
      [`mutation { deleteContainer(input: { containerId: "shared" }) { containerId } }`, {}],
      [`mutation { setContainerLabels(input: { containerId: "shared", labels: [{ key: "a", value: "b" }] }) { container { containerId } } }`, {}],
      [
        `mutation { updateContainer(input: { container: { containerId: "shared", image: "pwned" }, fieldPaths: ["image"] }) { container { containerId } } }`,
        {},
      ],
    ];
    for (const [query, variables] of operations) {
      const result = await asA(query, variables, { namespace: 'bravo' });
      assert.equal(code(result), 'PERMISSION_DENIED', query);
      assert.ok(!leaks(result.data), query);
    }
  });
});

describe('namespace B through the namespace argument and global ids', () => {
  const bravo = (type: string, key: string) => Buffer.from(`${type}:${key}`).toString('base64url');
  test('every root field and mutation input naming namespace bravo is PERMISSION_DENIED', async () => {
    const operations: [string, Record<string, unknown>][] = [
      [`{ containers(namespace: "bravo") { totalCount nodes { containerId image } } }`, {}],
      [`{ container(containerId: "shared", namespace: "bravo") { image } }`, {}],
      [`{ checkpoints(namespace: "bravo") { totalCount } }`, {}],
      [`{ checkpoint(ref: "x", namespace: "bravo") { ref } }`, {}],
      [`{ events(namespace: "bravo") { nodes { topic } } }`, {}],
      [
        `mutation($c: ContainerInput!) { createContainer(input: { namespace: "bravo", container: $c }) { container { id } } }`,
        { c: { containerId: 'x', runtime: { name: 'rt' }, spec } },
      ],
      [
        `mutation { updateContainer(input: { namespace: "bravo", container: { containerId: "shared", image: "pwned" }, fieldPaths: ["image"] }) { container { id } } }`,
        {},
      ],
      [`mutation { setContainerLabels(input: { namespace: "bravo", containerId: "shared", labels: [{ key: "a", value: "b" }] }) { container { id } } }`, {}],
      [`mutation { deleteContainer(input: { namespace: "bravo", containerId: "shared" }) { deletedId } }`, {}],
      [`mutation { checkpointContainer(input: { namespace: "bravo", containerId: "shared", ref: "cp" }) { checkpoint { id } } }`, {}],
      [`mutation { restoreContainer(input: { namespace: "bravo", containerId: "new", ref: "cp" }) { container { id } } }`, {}],
      [`mutation { deleteCheckpoint(input: { namespace: "bravo", ref: "cp" }) { deletedId } }`, {}],
    ];
    for (const [query, variables] of operations) {
      const result = await asA(query, variables);
      assert.equal(code(result), 'PERMISSION_DENIED', query);
      assert.ok(!leaks(result.data), query);
    }
    const b = await server.gql(`{ container(containerId: "shared") { image labels { value } } }`, {}, { namespace: 'bravo', token: admin });
    assert.deepEqual(b.data.container, { image: 'bravo-image', labels: [{ value: 'bravo' }] }, 'bravo is untouched');
  });
  test('node and nodes with ids in bravo are PERMISSION_DENIED, whatever the type', async () => {
    const ids = [
      bravo('Container', 'bravo/shared'),
      bravo('Container', 'bravo/bravo-only'),
      bravo('Namespace', 'bravo'),
      bravo('Checkpoint', 'bravo/cp'),
      bravo('Event', 'bravo/1'),
    ];
    for (const id of ids) {
      const one = await asA(`query($id: ID!) { node(id: $id) { id ... on Container { image } } }`, { id });
      assert.equal(code(one), 'PERMISSION_DENIED', id);
      assert.ok(!leaks(one.data), id);
    }
    const many = await asA(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Container { image } } }`, { ids: [bravo('Container', 'alpha/shared'), ...ids] });
    assert.equal(code(many), 'PERMISSION_DENIED');
    assert.ok(!leaks(many.data));
  });
  test('a subscription naming namespace bravo is refused and delivers nothing', async () => {
    const live = subscribeEvents('ws', server.url, { namespace: 'alpha', token: writerA, after: bCursor, argumentNamespace: 'bravo' });
    const first = await live.next();
    await live.close();
    assert.ok(first && 'error' in first, JSON.stringify(first));
    assert.equal(first.error.code, 'PERMISSION_DENIED');
  });
});

describe('namespace B from inside namespace A', () => {
  test('reads see only A', async () => {
    const listed = await asA(LIST, { f: ['labels.team==bravo', 'image~=bravo', 'id==bravo-only'] });
    assert.deepEqual(listed.data.containers.nodes, []);
    assert.equal(listed.data.containers.totalCount, 0);
    const all = await asA(LIST, {});
    assert.deepEqual(all.data.containers.nodes, [{ containerId: 'shared' }]);
    assert.ok(!leaks(all));
    assert.equal((await asA(`{ container(containerId: "bravo-only") { containerId } }`)).data.container, null);
    assert.equal((await asA(`{ namespace(name: "bravo") { name } }`)).data.namespace, null);
    assert.deepEqual((await asA(`{ namespaces { name } }`)).data.namespaces, [{ name: 'alpha' }]);
    assert.deepEqual((await asA(`{ namespaces(filters: ["name==bravo"]) { name } }`)).data.namespaces, []);
  });
  test('mutations on names that exist only in B act on A or fail, and B is untouched', async () => {
    assert.equal(code(await asA(`mutation { deleteContainer(input: { containerId: "bravo-only" }) { containerId } }`)), 'NOT_FOUND');
    assert.equal(
      code(await asA(`mutation { setContainerLabels(input: { containerId: "bravo-only", labels: [] }) { container { containerId } } }`)),
      'NOT_FOUND',
    );
    assert.equal(code(await asA(`mutation { updateNamespace(input: { name: "bravo", labels: [] }) { namespace { name } } }`)), 'PERMISSION_DENIED');
    assert.equal(code(await asA(`mutation { deleteNamespace(input: { name: "bravo" }) { name } }`)), 'PERMISSION_DENIED');
    assert.equal(code(await asA(`mutation { createNamespace(input: { name: "charlie" }) { namespace { name } } }`)), 'PERMISSION_DENIED');
    const b = await server.gql(`{ container(containerId: "shared") { image labels { value } } }`, {}, { namespace: 'bravo', token: admin });
    assert.deepEqual(b.data.container, { image: 'bravo-image', labels: [{ value: 'bravo' }] });
  });
  test('injection strings in ids, labels, filters, cursors and the namespace header', async () => {
    for (const evil of INJECTIONS) {
      const results = [
        await asA(`query($id: String!) { container(containerId: $id) { containerId } }`, { id: evil }),
        await asA(CREATE, { c: { containerId: evil, runtime: { name: 'rt' }, spec } }),
        await asA(CREATE, { c: { containerId: 'inj', runtime: { name: 'rt' }, spec, labels: [{ key: evil, value: evil }] } }),
        await asA(LIST, { f: [evil, `labels."${evil.replace(/["\\]/g, '')}"==x`] }),
        await asA(LIST, { after: evil }),
        await asA(`query($n: String!) { namespace(name: $n) { name } }`, { n: evil }),
        await asA(LIST, {}, { namespace: evil.replace(/\u0000/g, 'x') }),
      ];
      for (const result of results) {
        assert.ok(!leaks(result), JSON.stringify(result));
        for (const error of result.errors ?? []) assert.match(error.extensions?.code ?? '', /^(INVALID_ARGUMENT|NOT_FOUND|ALREADY_EXISTS|PERMISSION_DENIED)$/);
      }
      await asA(`mutation { deleteContainer(input: { containerId: "inj" }) { containerId } }`);
    }
    const [count] = await server.sql<{ count: string }[]>`select count(*) from containers`;
    assert.equal(count?.count, '3', 'alpha/shared, bravo/shared and bravo/bravo-only, nothing else');
  });
  test('a reader of A can read but not write', async () => {
    assert.equal((await server.gql(LIST, {}, { namespace: 'alpha', token: readerA })).data.containers.nodes.length, 1);
    const denied = await server.gql(
      `mutation { setContainerLabels(input: { containerId: "shared", labels: [{ key: "r", value: "w" }] }) { container { containerId } } }`,
      {},
      { namespace: 'alpha', token: readerA },
    );
    assert.equal(code(denied), 'PERMISSION_DENIED');
  });
  test('events of B: history with a cursor taken in B, and allNamespaces, show nothing of B', async () => {
    // This test's own events, in B and then in A, so the check neither passes on an empty page nor
    // depends on what earlier tests wrote.
    for (const [ns, id] of [
      ['bravo', 'ev-b'],
      ['alpha', 'ev-a'],
    ] as const) {
      const made = await server.gql(CREATE, { c: { containerId: id, runtime: { name: 'rt' }, spec: specOf(ns) } }, { namespace: ns, token: admin });
      assert.equal(made.errors, undefined, JSON.stringify(made.errors));
    }
    const history = await asA(
      `query($after: String) { events(after: $after, allNamespaces: true, first: 1000) { nodes { namespace topic payload { ... on ContainerCreate { containerId } } } } }`,
      { after: bCursor },
    );
    assert.equal(history.errors, undefined, JSON.stringify(history.errors));
    const nodes: { namespace: string; topic: string; payload: { containerId?: string } }[] = history.data.events.nodes;
    assert.ok(
      nodes.some((e) => e.payload.containerId === 'ev-a'),
      "A's own event after the cursor is there",
    );
    assert.deepEqual(
      nodes.filter((e) => e.namespace !== 'alpha'),
      [],
      'nothing of B',
    );
    assert.ok(!leaks(history));
  });
});
