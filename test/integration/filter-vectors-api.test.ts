import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CREATE, LIST } from '../helpers/containers.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * filter-cases.json through the GraphQL API: the container corpus is stored and every container
 * vector is run as `containers(filters:)`; every parse-error vector must come back from each field
 * that takes filters as INVALID_ARGUMENT with containerd's parse error text.
 */
const vectors = JSON.parse(readFileSync(new URL('../data/filter-cases.json', import.meta.url), 'utf8'));
const corpus = vectors.corpora.containers_list_test;
const NS = 'filters';

let server: TestServer;
before(async () => {
  server = await startServer();
  for (const c of corpus.objects) {
    const labels = Object.entries(c.labels ?? {}).map(([key, value]) => ({ key, value }));
    const input = {
      containerId: c.id,
      image: c.image,
      runtime: c.runtime,
      snapshotter: c.snapshotter,
      snapshotKey: c.snapshot_key,
      spec: { typeUrl: 't', value: '' },
      labels,
    };
    assert.equal((await server.gql(CREATE, { c: input }, { namespace: NS })).errors, undefined);
  }
  await server.gql(`mutation { createNamespace(input: { name: "labelled", labels: [{ key: "env", value: "prod" }] }) { namespace { name } } }`);
});
after(() => server.close());

describe('container corpus vectors', () => {
  for (const vector of vectors.filter_cases.filter((v: { corpus: string }) => v.corpus === 'containers_list_test')) {
    test(vector.id, async () => {
      const listed = await server.gql(LIST, { f: vector.filters }, { namespace: NS });
      assert.equal(listed.errors, undefined);
      assert.deepEqual(
        listed.data.containers.nodes.map((n: { containerId: string }) => n.containerId),
        vector.expect.match_ids,
      );
      assert.equal(listed.data.containers.totalCount, vector.expect.match_ids.length);
    });
  }
});

const FIELDS_TAKING_FILTERS = {
  containers: `query($f: [String!]) { containers(filters: $f) { totalCount } }`,
  namespaces: `query($f: [String!]) { namespaces(filters: $f) { name } }`,
};

describe('parse errors on every field that takes filters', () => {
  for (const vector of vectors.filter_cases.filter((v: { expect: { ok: boolean } }) => !v.expect.ok)) {
    for (const [field, query] of Object.entries(FIELDS_TAKING_FILTERS)) {
      test(`${field}: ${vector.id}`, async () => {
        const result = await server.gql(query, { f: ['', ...vector.filters] }, { namespace: NS });
        assert.equal(result.errors?.[0]?.extensions?.code, 'INVALID_ARGUMENT');
        assert.equal(result.errors?.[0]?.message, vector.expect.parse_error);
      });
    }
  }
  test('an invalid regex is INVALID_ARGUMENT (a deliberate deviation: containerd matches nothing)', async () => {
    const result = await server.gql(FIELDS_TAKING_FILTERS.containers, { f: ['image~=[unclosed'] }, { namespace: NS });
    assert.equal(result.errors?.[0]?.extensions?.code, 'INVALID_ARGUMENT');
    assert.match(result.errors?.[0]?.message ?? '', /\[unclosed/);
  });
});

test('namespaces filter on name and labels', async () => {
  const byLabel = await server.gql(FIELDS_TAKING_FILTERS.namespaces, { f: ['labels.env==prod'] });
  assert.deepEqual(byLabel.data.namespaces, [{ name: 'labelled' }]);
  const byName = await server.gql(FIELDS_TAKING_FILTERS.namespaces, { f: ['name~=^filt', 'name==labelled'] });
  assert.deepEqual(byName.data.namespaces, [{ name: 'filters' }, { name: 'labelled' }]);
  const all = await server.gql(FIELDS_TAKING_FILTERS.namespaces, { f: [] });
  assert.deepEqual(all.data.namespaces, [{ name: 'filters' }, { name: 'labelled' }]);
});
