import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * CSRF prevention for browser requests (src/server/http.ts), through Node's fetch, which sends
 * `Sec-Fetch-Mode` as a browser does. A simple request (a GET, or a POST a form could send) needs
 * one of the headers a page of another site cannot add without a CORS preflight; a refusal is
 * PERMISSION_DENIED, HTTP 403, from the code table.
 */

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

const QUERY = '{ namespaces { name } }';
const ACCEPT = { accept: 'application/graphql-response+json' };

async function get(headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}?query=${encodeURIComponent(QUERY)}`, { headers: { ...ACCEPT, ...headers } });
  return { status: response.status, body: await response.json() };
}

test('a GET without a CSRF header is PERMISSION_DENIED (403) and runs nothing', { timeout: 30_000 }, async () => {
  const refused = await get({});
  assert.equal(refused.status, 403);
  assert.equal(refused.body.data, undefined);
  assert.deepEqual(
    refused.body.errors.map((e: any) => e.extensions.code),
    ['PERMISSION_DENIED'],
  );
});

test('a GET with berth-namespace or x-graphql-yoga-csrf runs', { timeout: 30_000 }, async () => {
  for (const headers of [{ 'berth-namespace': 'default' }, { 'x-graphql-yoga-csrf': '1' }] as Record<string, string>[]) {
    const answered = await get(headers);
    assert.equal(answered.status, 200, JSON.stringify(headers));
    assert.deepEqual(answered.body, { data: { namespaces: [] } });
  }
});

test('a POST a form could send needs the header; a JSON POST (preflighted) does not', { timeout: 30_000 }, async () => {
  const form = await fetch(server.url, { method: 'POST', headers: ACCEPT, body: new URLSearchParams({ query: QUERY }) });
  assert.equal(form.status, 403);
  assert.equal(((await form.json()) as any).errors[0].extensions.code, 'PERMISSION_DENIED');
  const withHeader = await fetch(server.url, {
    method: 'POST',
    headers: { ...ACCEPT, 'berth-namespace': 'default' },
    body: new URLSearchParams({ query: QUERY }),
  });
  assert.equal(withHeader.status, 200);
  const json = await fetch(server.url, { method: 'POST', headers: { ...ACCEPT, 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
  assert.equal(json.status, 200);
});
