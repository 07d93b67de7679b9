import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { berth, startBerth } from '../helpers/cli.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { TEST_SECRET, token } from '../helpers/tokens.ts';

/** `--token`/BERTH_TOKEN reach the server as `Authorization: Bearer`, over HTTP and over graphql-ws. */
let server: TestServer;
let writer: string;

before(async () => {
  server = await startServer({ BERTH_JWT_SECRET: TEST_SECRET });
  writer = await token({ namespaces: ['team'], role: 'writer' });
});
after(() => server.close());

test('without a token the server refuses: exit 1 with its code', async () => {
  const result = await berth(['c', 'ls'], { BERTH_ADDRESS: server.url });
  assert.equal(result.status, 1);
  assert.match(result.stderr, /^berth: UNAUTHENTICATED: /);
});

test('--token and BERTH_TOKEN authenticate; a namespace outside the token is PERMISSION_DENIED', async () => {
  const created = await berth(['--token', writer, '-n', 'team', 'c', 'create', 'img', 'c1'], { BERTH_ADDRESS: server.url });
  assert.deepEqual(created, { status: 0, stdout: '', stderr: '' });
  const listed = await berth(['c', 'ls', '-q', '-n', 'team'], { BERTH_ADDRESS: server.url, BERTH_TOKEN: writer });
  assert.deepEqual(listed, { status: 0, stdout: 'c1\n', stderr: '' });
  const denied = await berth(['c', 'ls', '-n', 'other'], { BERTH_ADDRESS: server.url, BERTH_TOKEN: writer });
  assert.equal(denied.status, 1);
  assert.match(denied.stderr, /^berth: PERMISSION_DENIED: /);
});

test('events sends the token in connectionParams and sees only the namespaces it grants', async () => {
  const reader = await token({ namespaces: ['team'], role: 'reader' });
  const admin = await token({ namespaces: ['*'], role: 'admin' });
  // Another namespace has events before and after the team's, in history and live: none may show.
  const other = (id: string) => berth(['-n', 'other', 'c', 'create', 'img', id], { BERTH_ADDRESS: server.url, BERTH_TOKEN: admin });
  assert.equal((await other('o1')).status, 0);
  // -n: the CLI always names a namespace (default `default`), and a named one must be granted.
  const events = startBerth(['events', '-n', 'team', '--after', '0000000000000000'], { BERTH_ADDRESS: server.url, BERTH_TOKEN: reader });
  await events.lines(2);
  assert.equal((await other('o2')).status, 0);
  assert.equal((await berth(['-n', 'team', 'c', 'create', 'img', 'c2'], { BERTH_ADDRESS: server.url, BERTH_TOKEN: writer })).status, 0);
  const lines = await events.lines(3);
  assert.deepEqual(
    lines
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ').slice(4, 6).join(' ')),
    ['team /namespaces/create', 'team /containers/create', 'team /containers/create'],
  );
  assert.equal((await events.stop()).status, 0);
  const refused = await berth(['events'], { BERTH_ADDRESS: server.url });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^berth: UNAUTHENTICATED: /);
});
