import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startBerth } from '../helpers/cli.ts';
import { freshDatabase } from '../helpers/database.ts';
import { relay } from '../helpers/ports.ts';
import { startServerProcess } from '../helpers/process.ts';
import { postGraphQL } from '../helpers/server.ts';

/**
 * `berth events` outlives a server restart: graphql-ws reconnects, and the CLI resumes after the
 * last event it printed, so nothing is missed and nothing is printed twice. The CLI keeps one
 * address, a relay the test holds, which forwards to whichever server is running.
 */
test('a restarted server: the stream resumes after the last printed event', async () => {
  const db = await freshDatabase();
  const address = await relay();
  const url = `http://127.0.0.1:${address.port}/graphql`;
  const create = (id: string) =>
    postGraphQL(url, `mutation($c: ContainerInput!) { createContainer(input: { container: $c }) { container { containerId } } }`, {
      c: { containerId: id, runtime: { name: 'rt' }, spec: { typeUrl: 't', json: {} } },
    });
  try {
    const first = await startServerProcess({ DATABASE_URL: db.url });
    address.target(Number(new URL(first.url).port));
    assert.equal((await create('before')).errors, undefined);
    const events = startBerth(['events', '--after', '0000000000000000'], { BERTH_ADDRESS: url });
    await events.lines(2);
    address.target(null);
    assert.equal(await first.stop('SIGTERM'), 0);

    const second = await startServerProcess({ DATABASE_URL: db.url });
    address.target(Number(new URL(second.url).port));
    try {
      assert.equal((await create('after')).errors, undefined);
      await events.lines(3);
      // A fence: a duplicate of an earlier event, replayed on resume, would print before it.
      assert.equal((await create('fence')).errors, undefined);
      const stdout = await events.lines(4);
      const stopped = await events.stop();
      assert.equal(stopped.stdout, stdout, 'nothing after the fence');
      assert.deepEqual(
        stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => line.split(' ').slice(5).join(' ')),
        [
          '/namespaces/create {"name":"default"}',
          '/containers/create {"id":"before","runtime":{"name":"rt"}}',
          '/containers/create {"id":"after","runtime":{"name":"rt"}}',
          '/containers/create {"id":"fence","runtime":{"name":"rt"}}',
        ],
        'every event once, in order',
      );
      assert.equal(stopped.status, 0);
    } finally {
      await second.stop();
    }
  } finally {
    await address.close();
    await db.drop();
  }
});
