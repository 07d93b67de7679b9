import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { loadConfig } from '../../src/server/config.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * Web pages in a visitor's browser (src/server/origins.ts): a page of another origin gets no
 * answer and no WebSocket, and a page reached through a re-pointed DNS name (a Host that is not
 * loopback) is refused while authentication is off. Requests are sent with node:http, which lets a
 * test set Origin and Host as a browser would.
 */
interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function raw(url: string, method: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const CREATE_NAMESPACE = (name: string) => JSON.stringify({ query: `mutation { createNamespace(input: { name: "${name}" }) { namespace { name } } }` });
const JSON_POST = { 'content-type': 'application/json' };

/** Resolves with the handshake's HTTP status: 101 when the socket opened. */
function handshake(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', () => {});
  });
}

describe('without BERTH_CORS_ORIGINS', () => {
  let server: TestServer;
  let own: string;
  before(async () => {
    server = await startServer();
    own = new URL(server.url).origin;
  });
  after(() => server.close());

  test('a POST from another origin is PERMISSION_DENIED and writes nothing', async () => {
    const res = await raw(server.url, 'POST', { ...JSON_POST, origin: 'https://evil.example', 'berth-namespace': 'default' }, CREATE_NAMESPACE('from-evil'));
    assert.equal(res.status, 403);
    assert.equal(JSON.parse(res.body).errors[0].extensions.code, 'PERMISSION_DENIED');
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    const [row] = await server.sql<{ count: string }[]>`select count(*) from namespaces where name = 'from-evil'`;
    assert.equal(row?.count, '0');
  });

  test('a preflight from another origin is refused without CORS headers', async () => {
    const res = await raw(server.url, 'OPTIONS', {
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  test('an opaque origin ("null": a sandboxed frame or a file) is refused', async () => {
    const res = await raw(server.url, 'POST', { ...JSON_POST, origin: 'null' }, JSON.stringify({ query: '{ __typename }' }));
    assert.equal(res.status, 403);
  });

  test('the server’s own origin (GraphiQL) and requests without an Origin are served', async () => {
    const own1 = await raw(server.url, 'POST', { ...JSON_POST, origin: own }, CREATE_NAMESPACE('from-graphiql'));
    assert.equal(own1.status, 200, own1.body);
    assert.deepEqual(JSON.parse(own1.body).data.createNamespace.namespace, { name: 'from-graphiql' });
    const plain = await raw(server.url, 'POST', JSON_POST, JSON.stringify({ query: '{ __typename }' }));
    assert.equal(plain.status, 200);
  });

  test('a WebSocket handshake from another origin is refused; its own origin and no origin connect', async () => {
    assert.equal(await handshake(server.url, { origin: 'https://evil.example' }), 403);
    assert.equal(await handshake(server.url, { origin: own }), 101);
    assert.equal(await handshake(server.url, {}), 101);
  });

  test('a Host that is not loopback (DNS rebinding) is refused while authentication is off', async () => {
    const port = new URL(server.url).port;
    const rebound = await raw(
      server.url,
      'POST',
      { ...JSON_POST, host: `attacker.example:${port}`, origin: `http://attacker.example:${port}` },
      CREATE_NAMESPACE('rebound'),
    );
    assert.equal(rebound.status, 403);
    assert.match(JSON.parse(rebound.body).errors[0].message, /not a loopback name/);
    assert.equal(await handshake(server.url, { host: `attacker.example:${port}` }), 403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      assert.equal((await raw(server.url, 'POST', { ...JSON_POST, host }, JSON.stringify({ query: '{ __typename }' }))).status, 200, host);
    }
  });
});

describe('with BERTH_CORS_ORIGINS and authentication on', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ BERTH_CORS_ORIGINS: 'https://ui.example.com', BERTH_JWT_SECRET: 'origins-test-secret-of-enough-length' });
  });
  after(() => server.close());

  test('a listed origin gets CORS headers on its preflight and its requests', async () => {
    const preflight = await raw(server.url, 'OPTIONS', {
      origin: 'https://ui.example.com',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, authorization, berth-namespace',
    });
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://ui.example.com');
    assert.match(String(preflight.headers['access-control-allow-headers']), /berth-namespace/);
    const res = await raw(server.url, 'POST', { ...JSON_POST, origin: 'https://ui.example.com' }, JSON.stringify({ query: '{ __typename }' }));
    assert.equal(res.headers['access-control-allow-origin'], 'https://ui.example.com');
    assert.equal(res.status, 401, 'past the origin check, the request still needs a token');
  });

  test('other origins are still refused; with authentication on, any Host is answered', async () => {
    assert.equal((await raw(server.url, 'POST', { ...JSON_POST, origin: 'https://evil.example' }, JSON.stringify({ query: '{ __typename }' }))).status, 403);
    const port = new URL(server.url).port;
    assert.equal((await raw(server.url, 'POST', { ...JSON_POST, host: `berth.internal:${port}` }, JSON.stringify({ query: '{ __typename }' }))).status, 401);
  });
});

test('BERTH_CORS_ORIGINS accepts origins and *, and refuses anything else', () => {
  assert.deepEqual(loadConfig({ BERTH_CORS_ORIGINS: 'https://a.example, http://localhost:3000/' }).corsOrigins, ['https://a.example', 'http://localhost:3000']);
  assert.equal(loadConfig({ BERTH_CORS_ORIGINS: '*' }).corsOrigins, '*');
  assert.deepEqual(loadConfig({}).corsOrigins, []);
  for (const bad of ['ui.example.com', 'https://a.example/path', 'file:///x'])
    assert.throws(() => loadConfig({ BERTH_CORS_ORIGINS: bad }), /BERTH_CORS_ORIGINS/, bad);
});
