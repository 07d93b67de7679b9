import assert from 'node:assert/strict';
import { test } from 'node:test';
import postgres from 'postgres';
import { freshDatabase } from '../helpers/database.ts';
import { startServerProcess } from '../helpers/process.ts';
import { pollUntil } from '../helpers/bounded.ts';
import { changeKey, MutationLog } from '../helpers/mutation-log.ts';
import { postGraphQL } from '../helpers/server.ts';

/**
 * SIGTERM under load: the server stops accepting, finishes what it accepted and exits 0. Every
 * mutation it acknowledged is stored with exactly one event; a request whose answer was lost may or
 * may not have committed, one refused did not; and no mutation is half-applied (a container without
 * its create event, or an event without its container).
 */
test('SIGTERM while 16 clients create containers', { timeout: 120_000 }, async () => {
  const db = await freshDatabase();
  const server = await startServerProcess({ DATABASE_URL: db.url });
  const log = new MutationLog();
  const acknowledged = () => [...log.outcomes].filter(([, o]) => o === 'acknowledged').map(([key]) => key);
  let stopping = false;
  const client = async (n: number) => {
    for (let i = 0; i <= 100_000; i++) {
      const id = `c${n}-${i}`;
      const result = await log.send(changeKey('/containers/create', 'default', id), () =>
        postGraphQL(
          server.url,
          `mutation($id: String!) { createContainer(input: { container: { containerId: $id, runtime: { name: "rt" }, spec: { typeUrl: "t", value: "" } } }) { container { containerId } } }`,
          { id },
        ),
      );
      if (result?.errors === undefined && result?.data?.createContainer?.container?.containerId === id) continue;
      if (!stopping) assert.fail(`${id} failed before SIGTERM: ${JSON.stringify(result)}`);
      return; // refused, reset or lost: the server has stopped accepting
    }
  };
  const clients = Array.from({ length: 16 }, (_, n) => client(n));
  // Under load means: every client is mid-stream; 64 acknowledged creates, however long they take.
  await pollUntil(async () => (acknowledged().length >= 64 ? true : undefined), '64 acknowledged creates before SIGTERM');
  stopping = true;
  const exitCode = server.stop('SIGTERM');
  await Promise.all(clients);
  assert.equal(await exitCode, 0);

  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    const containers = (await sql<{ id: string }[]>`select id from containers where namespace = 'default'`).map((r) => r.id);
    const created = (await sql<{ id: string }[]>`select payload->>'id' as id from events where topic = '/containers/create'`).map((r) => r.id);
    const stored = new Set(containers);
    // Both ways: every acknowledged create is stored; every stored container was acknowledged or
    // may have committed, none was refused.
    log.assertExactlyOnce(
      'the stored containers',
      containers.map((id) => changeKey('/containers/create', 'default', id)),
    );
    log.assertExactlyOnce(
      'the create events',
      created.map((id) => changeKey('/containers/create', 'default', id)),
    );
    assert.deepEqual(new Set(created), stored, 'each stored container has its create event and no event lacks its container');
  } finally {
    await sql.end();
    await db.drop();
  }
});
