import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { serverAudits } from 'graphql-http';
import { startServer, type TestServer } from '../helpers/server.ts';

/** GraphQL over HTTP conformance: graphql-http's audits against the live server. */
let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

test('every MUST audit of graphql-http passes', async (t) => {
  const audits = serverAudits({ url: () => server.url, fetchFn: fetch });
  const failedShould: string[] = [];
  for (const audit of audits) {
    const result = await audit.fn();
    if (audit.name.startsWith('MUST')) assert.equal(result.status, 'ok', `${audit.name}: ${'reason' in result ? result.reason : ''}`);
    else if (result.status !== 'ok') failedShould.push(`${audit.name}: ${'reason' in result ? result.reason : ''}`);
  }
  t.diagnostic(`SHOULD/MAY audits not passed: ${failedShould.length}\n${failedShould.join('\n')}`);
});

/** A response with no `data` is a request error: its status is the error table's, never 200. */
test('request errors are 4xx with the status from the error table; a field error with data is 200', async () => {
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body,
    });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors: { message: string; extensions: Record<string, unknown> }[] } };
  };
  const cases: [string, string, Record<string, string>, number, string][] = [
    ['malformed JSON', '{"query": "{ __typename }"', {}, 400, 'INVALID_ARGUMENT'],
    ['a body without a query', '{}', {}, 400, 'INVALID_ARGUMENT'],
    ['a document that does not validate', JSON.stringify({ query: '{ nope }' }), {}, 400, 'INVALID_ARGUMENT'],
    [
      'a variable that does not coerce (graphql-jit)',
      JSON.stringify({
        query: 'mutation($c: ContainerInput!) { createContainer(input: { container: $c }) { container { id } } }',
        variables: { c: { id: 'x' } },
      }),
      {},
      400,
      'INVALID_ARGUMENT',
    ],
    ['an invalid berth-namespace header', JSON.stringify({ query: '{ __typename }' }), { 'berth-namespace': 'not a name' }, 400, 'INVALID_ARGUMENT'],
    ['a page size over the limit', JSON.stringify({ query: '{ containers(first: 5000) { totalCount } }' }), {}, 200, 'RESOURCE_EXHAUSTED'],
  ];
  for (const [what, body, headers, status, code] of cases) {
    const result = await post(body, headers);
    assert.equal(result.status, status, what);
    assert.equal(result.body.errors[0]?.extensions.code, code, what);
    assert.deepEqual(Object.keys(result.body.errors[0]!.extensions), ['code'], `${what}: no originalError or other internals`);
  }
  const malformed = await post('{"query": ');
  assert.equal(malformed.body.errors.length, 1);
  assert.doesNotMatch(JSON.stringify(malformed.body), /originalError|SyntaxError/);
});

/**
 * Answers are written as bytes (src/server/byte-responses.ts), except a batch, which Yoga joins
 * into one array itself: both must reach the client as the same JSON, with a Content-Length that
 * counts bytes, not characters.
 */
test('a single answer and a batch: byte-exact bodies, lengths in bytes', async () => {
  const post = async (body: unknown) => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(response.headers.get('content-length'), String(bytes.length));
    return JSON.parse(bytes.toString('utf8')) as unknown;
  };
  const labels = [{ key: 'text', value: 'é — 😀' }];
  const create = `mutation { createContainer(input: { container: { containerId: "bytes", image: "i", runtime: { name: "r" }, spec: { typeUrl: "t", value: "e30=" }, labels: ${JSON.stringify(labels).replace(/"(\w+)":/g, '$1:')} } }) { container { labels { key value } } } }`;
  assert.deepEqual(await post({ query: create }), { data: { createContainer: { container: { labels } } } });
  const query = '{ container(containerId: "bytes") { labels { key value } } }';
  const single = await post({ query });
  assert.deepEqual(single, { data: { container: { labels } } });
  const batch = await post([{ query }, { query: '{ __typename }' }]);
  assert.deepEqual(batch, [single, { data: { __typename: 'Query' } }]);
});
