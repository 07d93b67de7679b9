import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { startBerth } from '../helpers/cli.ts';
import { freshDatabase } from '../helpers/database.ts';
import { startServerProcess } from '../helpers/process.ts';
import { postGraphQL } from '../helpers/server.ts';

/**
 * `berth events` outlives a server restart: graphql-ws reconnects, and the CLI resumes after the
 * last event it printed, so nothing is missed and nothing is printed twice.
 */
test('a restarted server: the stream resumes after the last printed event', async () => {
  const db = await freshDatabase();
  const port = String(await freePort());
  const create = (url: string, id: string) =>
    postGraphQL(url, `mutation($c: ContainerInput!) { createContainer(input: { container: $c }) { container { containerId } } }`, {
      c: { containerId: id, runtime: { name: 'rt' }, spec: { typeUrl: 't', json: {} } },
    });
  try {
    const first = await startServerProcess({ DATABASE_URL: db.url, PORT: port });
    assert.equal((await create(first.url, 'before')).errors, undefined);
    const events = startBerth(['events', '--after', '0000000000000000'], { BERTH_ADDRESS: first.url });
    await events.lines(2);
    assert.equal(await first.stop('SIGTERM'), 0);

    const second = await startServerProcess({ DATABASE_URL: db.url, PORT: port });
    try {
      assert.equal((await create(second.url, 'after')).errors, undefined);
      const stdout = await events.lines(3);
      assert.deepEqual(
        stdout.split('\n').filter(Boolean).map((line) => line.split(' ').slice(5).join(' ')),
        ['/namespaces/create {"name":"default"}', '/containers/create {"id":"before","runtime":{"name":"rt"}}', '/containers/create {"id":"after","runtime":{"name":"rt"}}'],
      );
      const stopped = await events.stop();
      assert.equal(stopped.stdout, stdout, 'nothing more, nothing twice');
      assert.equal(stopped.status, 0);
    } finally {
      await second.stop();
    }
  } finally {
    await db.drop();
  }
});

function freePort(): Promise<number> {
  const probe = createServer();
  return new Promise((resolve) =>
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    }),
  );
}
