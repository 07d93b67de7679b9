import assert from 'node:assert/strict';
import { test } from 'node:test';
import postgres from 'postgres';
import { freshDatabase } from '../helpers/database.ts';
import { startServerProcess } from '../helpers/process.ts';
import { postGraphQL } from '../helpers/server.ts';

/**
 * SIGTERM under load: the server stops accepting, finishes what it accepted and exits 0. Every
 * mutation it acknowledged is stored, and no mutation is half-applied (a container without its
 * create event, or an event without its container).
 */
test('SIGTERM while 16 clients create containers', { timeout: 120_000 }, async () => {
  const db = await freshDatabase();
  const server = await startServerProcess({ DATABASE_URL: db.url });
  const acknowledged: string[] = [];
  let stopping = false;
  const client = async (n: number) => {
    for (let i = 0; ; i++) {
      const id = `c${n}-${i}`;
      try {
        const result = await postGraphQL(server.url, `mutation($id: String!) { createContainer(input: { container: { containerId: $id, runtime: { name: "rt" }, spec: { typeUrl: "t", value: "" } } }) { container { containerId } } }`, { id });
        if (result.data?.createContainer) acknowledged.push(id);
        else if (!stopping) assert.fail(`unexpected failure before SIGTERM: ${JSON.stringify(result)}`);
      } catch {
        if (stopping) return; // refused or reset: the server has stopped accepting
        throw new Error(`request failed before SIGTERM`);
      }
      if (stopping && i > 1000) return;
    }
  };
  const clients = Array.from({ length: 16 }, (_, n) => client(n));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  stopping = true;
  const exitCode = server.stop('SIGTERM');
  await Promise.all(clients);
  assert.equal(await exitCode, 0);
  assert.ok(acknowledged.length > 0);

  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    const containers = new Set((await sql<{ id: string }[]>`select id from containers where namespace = 'default'`).map((r) => r.id));
    const created = (await sql<{ id: string }[]>`select payload->>'id' as id from events where topic = '/containers/create'`).map((r) => r.id);
    for (const id of acknowledged) assert.ok(containers.has(id), `acknowledged ${id} is stored`);
    assert.deepEqual(new Set(created), containers, 'each stored container has its create event and no event lacks its container');
    assert.equal(created.length, containers.size, 'no event twice');
  } finally {
    await sql.end();
    await db.drop();
  }
});
