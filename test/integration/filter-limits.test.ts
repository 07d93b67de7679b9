import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * Filters with thousands of selectors. Each request used to leave its pooled connection stranded
 * "idle in transaction" (the driver overflowed its stack building a left-deep condition, and then
 * waited forever for the answer to a statement it never sent), so ten of them hung the server.
 */
const LIST = `query($f: [String!]) { containers(filters: $f) { totalCount nodes { containerId } } }`;
const andChain = (n: number) => [Array.from({ length: n }, (_, i) => `labels.k${i}==v`).join(',')];
const alternatives = (n: number) => Array.from({ length: n }, (_, i) => `id==c${i}`);

let server: TestServer;
before(async () => {
  server = await startServer({ BERTH_MAX_FILTER_SELECTORS: '20000' });
});
after(() => server.close());

test('thousands of selectors, more requests than the pool has connections: answered, and no connection stranded', async () => {
  for (let round = 0; round < 12; round++) {
    const filters = round % 2 === 0 ? andChain(5000) : alternatives(20_000);
    const response = await server.gql(LIST, { f: filters });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors)?.slice(0, 300));
    assert.equal(response.data.containers.totalCount, 0);
  }
  assert.deepEqual((await server.gql(`{ containers { totalCount } }`)).data, { containers: { totalCount: 0 } });
  const [stranded] = await server.sql<{ count: string }[]>`
    select count(*) from pg_stat_activity where datname = current_database() and state = 'idle in transaction'`;
  assert.equal(stranded?.count, '0');
});

test('past BERTH_MAX_FILTER_SELECTORS is RESOURCE_EXHAUSTED, on every filtered field', async () => {
  for (const query of [
    LIST,
    `query($f: [String!]) { namespaces(filters: $f) { name } }`,
    `query($f: [String!]) { checkpoints(filters: $f) { totalCount } }`,
    `query($f: [String!]) { events(filters: $f) { nodes { cursor } } }`,
  ]) {
    const response = await server.gql(query, { f: alternatives(20_001) });
    assert.equal(response.errors?.[0]?.extensions?.code, 'RESOURCE_EXHAUSTED', query);
    assert.match(response.errors?.[0]?.message ?? '', /20001 selectors; the limit is 20000 \(BERTH_MAX_FILTER_SELECTORS\)/);
  }
});

test('a regular expression too complex for Postgres is RESOURCE_EXHAUSTED, not INTERNAL', async () => {
  // Valid RE2, and small: Postgres's regex compiler gives up on it ("too complex").
  const response = await server.gql(LIST, { f: [`id~=${'a?'.repeat(3000)}${'a'.repeat(3000)}`] });
  assert.equal(response.errors?.[0]?.extensions?.code, 'RESOURCE_EXHAUSTED', JSON.stringify(response.errors));
  assert.match(response.errors?.[0]?.message ?? '', /too complex/);
});
