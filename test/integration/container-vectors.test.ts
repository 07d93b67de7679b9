import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  berthMessage,
  CODE_OF_KIND,
  comparable,
  containerInput,
  CREATE,
  DELETE,
  expectedComparable,
  GET,
  LIST,
  UPDATE,
  type VectorAny,
  type VectorContainer,
} from '../helpers/containers.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** containerd's metadata-store vectors (test/data/container-cases.json), through the GraphQL API. */
const cases = JSON.parse(readFileSync(new URL('../data/container-cases.json', import.meta.url), 'utf8'));
const specs: Record<string, VectorAny> = cases.spec_placeholders;
const NS = 'testing';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

const gql = (query: string, variables: Record<string, unknown>) => server.gql(query, variables, { namespace: NS });

function assertError(response: { errors?: { message: string; extensions?: { code?: string } }[] }, kind: string, goMessage: string) {
  assert.ok(response.errors, `expected ${kind}, got success`);
  assert.equal(response.errors[0]?.extensions?.code, CODE_OF_KIND[kind]);
  assert.equal(response.errors[0]?.message, berthMessage(goMessage));
}

describe('create_update_delete_cases', () => {
  for (const vector of cases.create_update_delete_cases) {
    test(vector.name, async () => {
      const id = vector.name;
      const original: VectorContainer = { ...vector.original, id };
      const created = await gql(CREATE, { c: containerInput(original, specs) });
      if (vector.create_error_kind) {
        assertError(created, vector.create_error_kind, vector.create_error_message);
        assert.equal((await gql(GET, { id })).data.container, null, 'a failed create stores nothing');
        return;
      }
      assert.equal(created.errors, undefined);
      const c = created.data.createContainer.container;
      assert.deepEqual(comparable(c), expectedComparable(original, specs));
      assert.equal(c.createdAt, c.updatedAt);

      const input: VectorContainer = { ...vector.input, id: vector.input.id ?? id };
      const updated = await gql(UPDATE, { c: containerInput(input, specs), paths: vector.fieldpaths });
      const stored = (await gql(GET, { id })).data.container;
      if (vector.error_kind) {
        assertError(updated, vector.error_kind, vector.error_message);
        assert.deepEqual(stored, c, 'a failed update changes nothing');
        return;
      }
      assert.equal(updated.errors, undefined);
      const u = updated.data.updateContainer.container;
      const expected = expectedComparable({ ...vector.expected, id }, specs);
      assert.deepEqual(comparable(u), expected);
      assert.equal(u.createdAt, c.createdAt);
      assert.ok(u.updatedAt > c.updatedAt, 'updatedAt strictly increases');
      assert.equal(u.revision, c.revision + 1);
      assert.deepEqual(stored, u);
    });
  }
});

describe('list', () => {
  before(async () => {
    for (const c of cases.list.containers) {
      const created = await gql(CREATE, { c: containerInput(c, specs) });
      assert.equal(created.errors, undefined);
      assert.equal(created.data.createContainer.container.createdAt, created.data.createContainer.container.updatedAt);
    }
  });
  for (const vector of cases.list.cases) {
    test(vector.name, async () => {
      const listed = await gql(LIST, { f: vector.filters });
      assert.equal(listed.errors, undefined);
      const ids = listed.data.containers.nodes.map((n: { containerId: string }) => n.containerId).filter((id: string) => id.startsWith('container-'));
      assert.deepEqual(ids, vector.expected_ids);
    });
  }
  test('teardown: delete each, then deleting again is NOT_FOUND', async () => {
    for (const c of cases.list.containers) {
      assert.deepEqual((await gql(DELETE, { id: c.id })).data, { deleteContainer: { containerId: c.id } });
      assertError(await gql(DELETE, { id: c.id }), 'NotFound', `container ${c.id}: not found`);
    }
  });
});

const expand = (s: string) => s.replace(/^a x (\d+)$/, (_m, n) => 'a'.repeat(Number(n)));
const minimal = (id: string, extra: Record<string, unknown> = {}) => ({
  containerId: id,
  runtime: { name: 'rt' },
  spec: { typeUrl: 't', value: '' },
  ...extra,
});

describe('identifier_validation', () => {
  for (const raw of cases.identifier_validation.valid) {
    test(`valid: ${raw}`, async () => {
      const id = expand(raw);
      assert.equal((await gql(CREATE, { c: minimal(id) })).errors, undefined);
      const ns = await server.gql(`mutation($n: String!) { createNamespace(input: { name: $n }) { namespace { name } } }`, { n: id });
      assert.ok(!ns.errors || ns.errors[0]?.extensions?.code === 'ALREADY_EXISTS', JSON.stringify(ns.errors));
    });
  }
  for (const raw of cases.identifier_validation.invalid) {
    test(`invalid: ${JSON.stringify(raw)}`, async () => {
      const id = expand(raw);
      const created = await gql(CREATE, { c: minimal(id) });
      assert.equal(created.errors?.[0]?.extensions?.code, 'INVALID_ARGUMENT');
      assert.match(created.errors?.[0]?.message ?? '', /^create container failed validation: container\.ID: identifier /);
      assert.equal((await gql(GET, { id })).data.container, null);
      const ns = await server.gql(`mutation($n: String!) { createNamespace(input: { name: $n }) { namespace { name } } }`, { n: id });
      assert.equal(ns.errors?.[0]?.extensions?.code, 'INVALID_ARGUMENT');
      const header = await server.gql(`{ containers { totalCount } }`, {}, { namespace: id || ' ' });
      assert.equal(header.errors?.[0]?.extensions?.code, 'INVALID_ARGUMENT');
    });
  }
});

describe('label_validation', () => {
  cases.label_validation.cases.forEach((vector: { key_len: number; value_len: number; valid: boolean }, index: number) => {
    test(`key ${vector.key_len} + value ${vector.value_len} bytes: ${vector.valid ? 'valid' : 'invalid'}`, async () => {
      const id = `label-case-${index}`;
      const key = 'k'.repeat(vector.key_len);
      const created = await gql(CREATE, { c: minimal(id, { labels: [{ key, value: 'v'.repeat(vector.value_len) }] }) });
      if (vector.valid) {
        assert.equal(created.errors, undefined);
        return;
      }
      assert.equal(created.errors?.[0]?.extensions?.code, 'INVALID_ARGUMENT');
      assert.equal(
        created.errors?.[0]?.message,
        `create container failed validation: containers.Labels: label key and value length (${vector.key_len + vector.value_len} bytes) ` +
          `greater than maximum size (4096 bytes), key: ${key.slice(0, 64)}`,
      );
      assert.equal((await gql(GET, { id })).data.container, null);
    });
  });
});

describe('namespace_cases', () => {
  const createNs = `mutation($n: String!) { createNamespace(input: { name: $n }) { namespace { name } } }`;
  const deleteNs = `mutation($n: String!) { deleteNamespace(input: { name: $n }) { name } }`;
  test('empty', async () => {
    assert.equal((await server.gql(createNs, { n: 'empty' })).errors, undefined);
    assert.deepEqual((await server.gql(deleteNs, { n: 'empty' })).data, { deleteNamespace: { name: 'empty' } });
    assert.equal((await server.gql(`{ namespace(name: "empty") { name } }`)).data.namespace, null);
  });
  test('not-empty', async () => {
    assert.equal((await server.gql(createNs, { n: 'not-empty' })).errors, undefined);
    const c = await server.gql(CREATE, { c: { containerId: 'c1', runtime: { name: 'rt' }, spec: { typeUrl: '', value: '' } } }, { namespace: 'not-empty' });
    assert.equal(c.errors, undefined);
    const deleted = await server.gql(deleteNs, { n: 'not-empty' });
    assert.equal(deleted.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
    assert.equal(deleted.errors?.[0]?.message, 'namespace "not-empty" must be empty, but it still has containers');
    assert.equal((await server.gql(`{ namespace(name: "not-empty") { name } }`)).data.namespace.name, 'not-empty');
  });
});
