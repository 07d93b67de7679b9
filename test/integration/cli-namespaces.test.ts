import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { berth, dots, succeeded } from '../helpers/cli.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** `berth namespaces …` against a real server, compared byte for byte with ctr's formats (docs/behaviour.md §5). */
let server: TestServer;
const run = (...args: string[]) => berth(args, { BERTH_ADDRESS: server.url });

before(async () => {
  server = await startServer();
});
after(() => server.close());

test('create and create|c take labels k=v; a bare k means k=true', async () => {
  assert.equal(succeeded(await run('namespaces', 'create', 'team-a', 'owner=alice', 'a=2', 'a.b=1', 'flag')), '');
  assert.equal(succeeded(await run('ns', 'c', 'team-b')), '');
  const created = await run('namespace', 'create', 'team-b');
  assert.deepEqual(created, { status: 1, stdout: '', stderr: 'berth: ALREADY_EXISTS: namespace "team-b": already exists\n' });
  assert.deepEqual(await run('ns', 'create'), { status: 2, stdout: '', stderr: 'berth: please specify a namespace\n' });
});

test('list: NAME LABELS, labels as k=v sorted as whole strings, tabwriter padding 1 with trailing spaces', async () => {
  assert.equal(
    succeeded(await run('ns', 'list')),
    dots('NAME   LABELS··························\n' + 'team-a a.b=1,a=2,flag=true,owner=alice·\n' + 'team-b ································\n'),
  );
  assert.equal(succeeded(await run('ns', 'ls', '-q')), 'team-a\nteam-b\n');
});

test('label sets and clears silently, as ctr; with no pairs it prints the labels', async () => {
  assert.equal(succeeded(await run('ns', 'label', 'team-a', 'a=', 'a.b=', 'flag=', 'tier=gold')), '');
  assert.equal(succeeded(await run('ns', 'label', 'team-a')), 'owner=alice,tier=gold\n');
  assert.equal(succeeded(await run('ns', 'label', 'team-b')), '\n');
  assert.deepEqual(await run('ns', 'label', 'nope', 'a=b'), { status: 1, stdout: '', stderr: 'berth: NOT_FOUND: namespace "nope": not found\n' });
  assert.deepEqual(await run('ns', 'label', 'nope'), { status: 1, stdout: '', stderr: 'berth: NOT_FOUND: namespace "nope": not found\n' });
});

test('remove|rm prints each removed name, counts an unknown one as removed, and reports the rest', async () => {
  assert.equal(succeeded(await run('-n', 'busy', 'c', 'create', 'img', 'c1')), '');
  assert.deepEqual(await run('ns', 'rm', 'team-b', 'nosuch', 'busy', 'team-a'), {
    status: 1,
    stdout: 'team-b\nnosuch\nteam-a\n',
    stderr: 'berth: FAILED_PRECONDITION: namespace "busy" must be empty, but it still has containers\n',
  });
  assert.equal(succeeded(await run('ns', 'ls', '-q')), 'busy\n');
  assert.equal(succeeded(await run('-n', 'busy', 'c', 'rm', 'c1')), '');
  assert.equal(succeeded(await run('ns', 'remove', 'busy')), 'busy\n');
  assert.equal(succeeded(await run('ns', 'ls')), dots('NAME LABELS·\n'));
});
