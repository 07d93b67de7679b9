import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * Documents built to exhaust the stack rather than the limits: thousands of nested selections, a
 * long chain of fragment spreads, nesting just under the token limit. Each is RESOURCE_EXHAUSTED
 * (too big) and never INTERNAL, and the server goes on serving.
 */
let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

/** Three tokens a level (`a`, `{`, `}`): the most levels a token budget can buy. */
const bare = (levels: number) => `{ ${'a { '.repeat(levels)}b${' }'.repeat(levels)} }`;
const nested = (levels: number) => `{ ${'container(containerId: "x") { labels { '.repeat(levels)}key${' } }'.repeat(levels)} }`;
const fragmentChain = (length: number) =>
  `{ ...F0 } ${Array.from({ length }, (_, i) => `fragment F${i} on Query { ...F${i + 1} }`).join(' ')} fragment F${length} on Query { __typename }`;

const cases: [string, string][] = [
  ['5,000 nested selections', nested(5000)],
  ['a chain of 3,000 fragment spreads', fragmentChain(3000)],
  ['nesting just under BERTH_MAX_TOKENS', nested(Math.floor(2900 / 14))],
  ['bare nesting just under BERTH_MAX_TOKENS', bare(Math.floor(2990 / 3))],
  ['bare nesting far past BERTH_MAX_TOKENS', bare(5000)],
  ['a chain of fragments just under BERTH_MAX_TOKENS', fragmentChain(Math.floor(2900 / 9))],
  ['60,000 tokens of one flat selection', `{ ${'__typename '.repeat(60_000)}}`],
];

for (const [name, query] of cases) {
  test(`${name}: RESOURCE_EXHAUSTED (besides other complaints), never INTERNAL`, async () => {
    const response = await server.gql(query);
    assert.equal(response.data ?? null, null);
    const codes = response.errors?.map((e) => e.extensions?.code) ?? [];
    const detail = JSON.stringify(response.errors).slice(0, 500);
    assert.ok(codes.includes('RESOURCE_EXHAUSTED'), detail);
    assert.ok(!codes.includes('INTERNAL'), detail);
  });
}

test('over WebSocket too: a deep document is RESOURCE_EXHAUSTED', async () => {
  const client = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
  try {
    for (const query of [bare(5000), bare(Math.floor(2990 / 3))]) {
      const errors = await new Promise<unknown>((resolve) => client.subscribe({ query }, { next: () => {}, error: resolve, complete: () => resolve(null) }));
      const codes = (errors as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code);
      assert.ok(codes.includes('RESOURCE_EXHAUSTED') && !codes.includes('INTERNAL'), JSON.stringify(errors).slice(0, 300));
    }
  } finally {
    await client.dispose();
  }
});

test('the token limit names itself, and the server still answers afterwards', async () => {
  const response = await server.gql(nested(5000));
  assert.match(response.errors?.[0]?.message ?? '', /more than 3000 tokens \(BERTH_MAX_TOKENS\)/);
  assert.deepEqual((await server.gql('{ __typename }')).data, { __typename: 'Query' });
});
