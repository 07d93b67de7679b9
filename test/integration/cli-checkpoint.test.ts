import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { berth, succeeded } from '../helpers/cli.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** `berth containers checkpoint|restore` (docs/behaviour.md §7) through the real binary and server. */
let server: TestServer;
const run = (...args: string[]) => berth(args, { BERTH_ADDRESS: server.url });

before(async () => {
  server = await startServer();
});
after(() => server.close());

test('checkpoint, delete, restore under a new id: the same record with its own snapshot key', async () => {
  succeeded(
    await run(
      'c',
      'create',
      '--snapshotter',
      'overlayfs',
      '--label',
      'app=web',
      '--sandbox',
      'pod-1',
      'docker.io/library/nginx:1',
      'web',
      'nginx',
      '-g',
      'daemon off;',
    ),
  );
  // The CLI cannot set extensions; the API can.
  const extended = await server.gql(
    `mutation($c: ContainerInput!) { updateContainer(input: { container: $c, fieldPaths: ["extensions.ext"] }) { container { revision } } }`,
    { c: { containerId: 'web', extensions: [{ name: 'ext', value: { typeUrl: 'example.com/Ext', value: 'AQI=' } }] } },
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
  assert.deepEqual(await run('c', 'restore', 'web-2', 'web-cp'), {
    status: 1,
    stdout: '',
    stderr: 'berth: ALREADY_EXISTS: container "web-2": already exists\n',
  });
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

test('checkpoints list, info and delete: filters, a table, JSON, and per-ref failures', async () => {
  succeeded(await run('-n', 'cps', 'c', 'create', '--label', 'tier=db', 'docker.io/library/redis:7', 'r1'));
  succeeded(await run('-n', 'cps', 'c', 'checkpoint', 'r1', 'r1-a'));
  succeeded(await run('-n', 'cps', 'c', 'checkpoint', 'r1', 'r1-b'));
  assert.equal(succeeded(await run('-n', 'cps', 'cp', 'ls', '-q')), 'r1-a\nr1-b\n');
  assert.equal(succeeded(await run('-n', 'cps', 'cp', 'ls', '-q', 'ref==r1-b')), 'r1-b\n');
  assert.equal(succeeded(await run('-n', 'cps', 'cp', 'ls', '-q', 'labels.tier==web')), '');

  const table = succeeded(await run('-n', 'cps', 'checkpoints', 'list')).split('\n');
  assert.match(table[0]!, /^CHECKPOINT\s+CONTAINER\s+IMAGE\s+CREATED\s*$/);
  assert.match(table[1]!, /^r1-a\s+r1\s+docker\.io\/library\/redis:7\s+\d{4}-\d\d-\d\dT/);

  const info = JSON.parse(succeeded(await run('-n', 'cps', 'cp', 'info', 'r1-a')));
  const container = JSON.parse(succeeded(await run('-n', 'cps', 'c', 'info', 'r1')));
  assert.deepEqual(Object.keys(info), ['Ref', 'ContainerID', 'Labels', 'Image', 'Runtime', 'Spec', 'Snapshotter', 'CreatedAt', 'Extensions']);
  assert.deepEqual(
    { ref: info.Ref, from: info.ContainerID, labels: info.Labels, image: info.Image, runtime: info.Runtime, spec: info.Spec },
    { ref: 'r1-a', from: 'r1', labels: container.Labels, image: container.Image, runtime: container.Runtime, spec: container.Spec },
  );
  assert.deepEqual(await run('-n', 'cps', 'cp', 'info', 'nosuch'), { status: 1, stdout: '', stderr: 'berth: NOT_FOUND: checkpoint "nosuch": not found\n' });

  // As `containers rm`: each failure is reported, the rest still go, and the command fails.
  assert.deepEqual(await run('-n', 'cps', 'cp', 'rm', 'r1-a', 'nosuch', 'r1-b'), {
    status: 1,
    stdout: '',
    stderr: 'berth: NOT_FOUND: checkpoint "nosuch": not found\n',
  });
  assert.equal(succeeded(await run('-n', 'cps', 'cp', 'ls', '-q')), '');
  assert.deepEqual(await run('cp', 'rm'), { status: 2, stdout: '', stderr: 'berth: must specify at least one checkpoint to delete\n' });
});
