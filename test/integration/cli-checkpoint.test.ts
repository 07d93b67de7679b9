import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { berth, succeeded } from '../helpers/cli.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** `berth containers checkpoint|restore` (SPEC §7) through the real binary and server. */
let server: TestServer;
const run = (...args: string[]) => berth(args, { BERTH_ADDRESS: server.url });

before(async () => {
  server = await startServer();
});
after(() => server.close());

test('checkpoint, delete, restore under a new id: the same record with its own snapshot key', async () => {
  succeeded(await run('c', 'create', '--snapshotter', 'overlayfs', '--label', 'app=web', '--sandbox', 'pod-1', 'docker.io/library/nginx:1', 'web', 'nginx', '-g', 'daemon off;'));
  // The CLI cannot set extensions; the API can.
  const extended = await server.gql(
    `mutation($c: ContainerInput!) { updateContainer(input: { container: $c, fieldPaths: ["extensions.ext"] }) { container { revision } } }`,
    { c: { id: 'web', extensions: [{ name: 'ext', value: { typeUrl: 'example.com/Ext', value: 'AQI=' } }] } },
  );
  assert.equal(extended.errors, undefined);
  const source = JSON.parse(succeeded(await run('c', 'info', 'web')));

  assert.equal(succeeded(await run('c', 'checkpoint', 'web', 'web-cp')), '');
  assert.deepEqual(JSON.parse(succeeded(await run('c', 'info', 'web'))), source, 'the container is unchanged');
  assert.equal(succeeded(await run('c', 'rm', 'web')), '');
  assert.equal(succeeded(await run('c', 'restore', 'web-2', 'web-cp')), '');

  const restored = JSON.parse(succeeded(await run('c', 'info', 'web-2')));
  assert.deepEqual(
    { ...restored, CreatedAt: undefined, UpdatedAt: undefined },
    { ...source, ID: 'web-2', SnapshotKey: 'web-2', SandboxID: '', CreatedAt: undefined, UpdatedAt: undefined },
  );
  assert.deepEqual(restored.Extensions, { ext: { type_url: 'example.com/Ext', value: 'AQI=' } });
  assert.equal(succeeded(await run('c', 'ls', '-q')), 'web-2\n');
});

test('a ref that is taken is ALREADY_EXISTS; an unknown ref or container is NOT_FOUND', async () => {
  assert.deepEqual(await run('c', 'checkpoint', 'web-2', 'web-cp'), {
    status: 1,
    stdout: '',
    stderr: 'berth: ALREADY_EXISTS: checkpoint "web-cp": already exists\n',
  });
  assert.deepEqual(await run('c', 'restore', 'other', 'nosuch'), { status: 1, stdout: '', stderr: 'berth: NOT_FOUND: checkpoint "nosuch": not found\n' });
  assert.deepEqual(await run('c', 'restore', 'web-2', 'web-cp'), { status: 1, stdout: '', stderr: 'berth: ALREADY_EXISTS: container "web-2": already exists\n' });
  assert.deepEqual(await run('c', 'checkpoint', 'nope', 'cp'), {
    status: 1,
    stdout: '',
    stderr: 'berth: NOT_FOUND: container "nope" in namespace "default": not found\n',
  });
});

test("missing arguments are usage errors with ctr's texts", async () => {
  assert.deepEqual(await run('c', 'checkpoint'), { status: 2, stdout: '', stderr: 'berth: container id must be provided\n' });
  assert.deepEqual(await run('c', 'checkpoint', 'web-2'), { status: 2, stdout: '', stderr: 'berth: ref must be provided\n' });
  assert.deepEqual(await run('c', 'restore', 'x'), { status: 2, stdout: '', stderr: 'berth: ref must be provided\n' });
});

test('a namespace that holds only a checkpoint cannot be removed', async () => {
  succeeded(await run('-n', 'keep', 'c', 'create', 'img', 'c1'));
  succeeded(await run('-n', 'keep', 'c', 'checkpoint', 'c1', 'cp'));
  succeeded(await run('-n', 'keep', 'c', 'rm', 'c1'));
  assert.deepEqual(await run('ns', 'rm', 'keep'), {
    status: 1,
    stdout: '',
    stderr: 'berth: FAILED_PRECONDITION: namespace "keep" must be empty, but it still has checkpoints\n',
  });
  assert.equal(succeeded(await run('ns', 'ls', '-q')), 'default\nkeep\n');
});
