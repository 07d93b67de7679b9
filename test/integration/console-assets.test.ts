import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ensureConsoleBuilt } from '../../src/server/console-build.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** The console's files and the GraphiQL page: compressed when the client accepts it, cached by kind. */

let server: TestServer;
let origin: string;
before(async () => {
  await ensureConsoleBuilt();
  server = await startServer();
  origin = server.url.replace(/\/graphql$/, '');
});
after(() => server.close());

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http, not fetch: fetch would decompress and hide what was sent. */
function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(`${origin}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

test('GET / is the console page, brotli for a browser, revalidated on each load', async () => {
  const page = await get('/', { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-encoding'], 'br');
  assert.equal(page.headers['cache-control'], 'no-cache');
  assert.match(String(page.headers['content-type']), /^text\/html/);
  const html = brotliDecompressSync(page.body).toString();
  assert.match(html, /<title>Berth Console<\/title>/);
  assert.doesNotMatch(html, /https?:\/\//, 'the page loads nothing from elsewhere');

  const identity = await get('/');
  assert.equal(identity.headers['content-encoding'], undefined);
  assert.equal(identity.body.toString(), html);
  const again = await get('/', { 'if-none-match': String(page.headers.etag) });
  assert.equal(again.status, 304);
});

test('hashed assets are immutable, gzip when brotli is not accepted, and unknown ones are 404', async () => {
  const html = (await get('/')).body.toString();
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(script, `index.html names its script: ${html}`);
  const js = await get(script, { 'accept-encoding': 'gzip' });
  assert.equal(js.status, 200);
  assert.equal(js.headers['content-encoding'], 'gzip');
  assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(js.headers.vary, 'accept-encoding');
  const raw = gunzipSync(js.body);
  assert.ok(js.body.length < raw.length / 2, `gzip shrinks the script (${js.body.length} of ${raw.length} bytes)`);
  assert.equal(Number(js.headers['content-length']), js.body.length);
  const refused = await get(script, { 'accept-encoding': 'br;q=0, gzip;q=0' });
  assert.equal(refused.headers['content-encoding'], undefined);
  assert.deepEqual(refused.body, raw);
  assert.equal((await get('/assets/nothing-here.js')).status, 404);
});

test('the GraphiQL page is compressed too', async () => {
  const plain = await get('/graphql', { accept: 'text/html' });
  const page = await get('/graphql', { accept: 'text/html', 'accept-encoding': 'br' });
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-encoding'], 'br');
  assert.deepEqual(brotliDecompressSync(page.body), plain.body);
  assert.ok(page.body.length * 4 < plain.body.length, `brotli: ${page.body.length} of ${plain.body.length} bytes`);
  const gzipped = await get('/graphql', { accept: 'text/html', 'accept-encoding': 'gzip' });
  assert.deepEqual(gunzipSync(gzipped.body), plain.body);
});

test('GraphQL responses themselves are not compressed (streams must not wait for a compressor)', async () => {
  const response = await get('/graphql?query=%7B__typename%7D', { accept: 'application/json', 'accept-encoding': 'br' });
  assert.equal(response.status, 200);
  assert.equal(response.headers['content-encoding'], undefined);
  assert.deepEqual(JSON.parse(response.body.toString()), { data: { __typename: 'Query' } });
});
