import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { berth, succeeded } from '../helpers/cli.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** Command-line conventions the README relies on: `--` ends the flags, and help shows every alias. */
let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

test('`--` ends the flags: an id that starts with a dash, and a command after it', async () => {
  // Taken as the id (which containerd's rules then refuse), not as a flag nor `--` as the id.
  const dashed = await berth(['c', 'create', 'docker.io/library/alpine:3', '--', '-bad'], { BERTH_ADDRESS: server.url });
  assert.match(dashed.stderr, /^berth: INVALID_ARGUMENT: .*identifier "-bad" must match/);
  assert.equal(dashed.status, 1);
  succeeded(await berth(['c', 'create', 'docker.io/library/alpine:3', 'good', '--', 'sh', '-c', 'true'], { BERTH_ADDRESS: server.url }));
  const { data } = await server.gql(`{ container(containerId: "good") { spec { json } } }`);
  assert.deepEqual(
    (data.container.spec.json as { process: { args: string[] } }).process.args,
    ['sh', '-c', 'true'],
    'the `--` before COMMAND is not part of it',
  );
  succeeded(await berth(['c', 'rm', '--', 'good'], { BERTH_ADDRESS: server.url }));
  assert.equal(succeeded(await berth(['c', 'ls', '-q'], { BERTH_ADDRESS: server.url })), '');
});

test('--help lists every alias of a command group', async () => {
  const help = succeeded(await berth(['--help']));
  for (const term of ['containers|container|c', 'checkpoints|checkpoint|cp', 'namespaces|namespace|ns']) assert.ok(help.includes(term), `${term} in:\n${help}`);
  assert.match(succeeded(await berth(['c', '--help'])), /delete\|del\|remove\|rm/);
});
