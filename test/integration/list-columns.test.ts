import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pageStatement } from '../../src/db/containers.ts';
import { inScope } from '../../src/db/transaction.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * A page leaves spec and extensions unread unless the query selects them (src/db/containers.ts
 * skipBlobs), however the selection is spelled: under nodes or edges.node, through an alias, a
 * named fragment or an inline one.
 */
let server: TestServer;
const SPEC = { typeUrl: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', value: Buffer.from('{"ociVersion":"1.1.0"}').toString('base64') };
const EXTENSIONS = [{ name: 'ext', value: { typeUrl: 'example.com/Ext', value: 'AQI=' } }];

before(async () => {
  server = await startServer();
  const created = await server.gql(`mutation($c: ContainerInput!) { createContainer(input: { container: $c }) { container { containerId } } }`, {
    c: { containerId: 'c1', image: 'img', runtime: { name: 'rt' }, spec: SPEC, extensions: EXTENSIONS, labels: [{ key: 'a', value: 'b' }] },
  });
  assert.equal(created.errors, undefined);
});
after(() => server.close());

const expected = { containerId: 'c1', spec: { value: SPEC.value }, extensions: [{ name: 'ext', value: { value: 'AQI=' } }] };

for (const [how, query, pick] of [
  ['nodes', `{ containers { nodes { containerId spec { value } extensions { name value { value } } } } }`, (d: any) => d.containers.nodes[0]],
  [
    'edges.node',
    `{ containers { edges { node { containerId spec { value } extensions { name value { value } } } } } }`,
    (d: any) => d.containers.edges[0].node,
  ],
  [
    'aliases',
    `{ containers { nodes { containerId s: spec { value } e: extensions { name value { value } } } } }`,
    (d: any) => ({ containerId: d.containers.nodes[0].containerId, spec: d.containers.nodes[0].s, extensions: d.containers.nodes[0].e }),
  ],
  [
    'a named fragment',
    `{ containers { edges { node { ...F } } } } fragment F on Container { containerId spec { value } extensions { name value { value } } }`,
    (d: any) => d.containers.edges[0].node,
  ],
  [
    'an inline fragment with totalCount',
    `{ containers { totalCount nodes { ... on Container { containerId spec { value } extensions { name value { value } } } } } }`,
    (d: any) => d.containers.nodes[0],
  ],
] as const) {
  test(`spec and extensions selected through ${how} are read`, async () => {
    const response = await server.gql(query);
    assert.equal(response.errors, undefined);
    assert.deepEqual(pick(response.data), expected);
  });
}

test('a listing of ids and labels does not read spec or extensions', async () => {
  const response = await server.gql(`{ containers { nodes { containerId labels { key value } } } }`);
  assert.deepEqual(response.data, { containers: { nodes: [{ containerId: 'c1', labels: [{ key: 'a', value: 'b' }] }] } });
  const [skipped] = await inScope(server.sql, { namespace: 'default', readable: ['default'] }, (tx) =>
    pageStatement(tx, 'default', { where: tx`true`, limit: 10, fromEnd: false, skipBlobs: { spec: true, extensions: true } }),
  );
  assert.equal(skipped?.spec, null);
  assert.deepEqual(skipped?.extensions, {});
  assert.equal(skipped?.image, 'img');
});

test('through the API, a listing that does not select them never reads the spec or extensions columns', async () => {
  // Column privileges make Postgres itself the witness: with SELECT on every column but these
  // two, a statement that reads them fails.
  const readable = [
    'namespace',
    'id',
    'image',
    'runtime_name',
    'runtime_options_type',
    'runtime_options',
    'spec_type',
    'snapshotter',
    'snapshot_key',
    'sandbox',
    'labels',
    'created_at',
    'updated_at',
    'revision',
  ];
  await server.sql`revoke select on containers from berth_app`;
  await server.sql.unsafe(`grant select (${readable.join(', ')}) on containers to berth_app`);
  const light = await server.gql(`{ containers(first: 10) { totalCount edges { node { containerId image labels { key } runtime { name } } } } }`);
  assert.equal(light.errors, undefined, JSON.stringify(light.errors));
  assert.equal(light.data.containers.edges[0].node.containerId, 'c1');
  const heavy = await server.gql(`{ containers(first: 10) { nodes { containerId spec { value } } } }`);
  assert.equal(heavy.errors?.[0]?.extensions?.code, 'INTERNAL', 'the spec column is read when asked for');
});
