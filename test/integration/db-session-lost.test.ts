import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { freshDatabase } from '../helpers/database.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { postGraphQL } from '../helpers/server.ts';

/**
 * A request transaction whose Postgres backend is terminated in the middle: its connection is
 * reserved, and postgres.js 3.4 ends the process when anything is sent on a reserved connection
 * after its backend died (src/db/transaction.ts). The server runs as its own process, so a crash
 * shows as an exit rather than taking the test runner down. To catch a request mid-transaction
 * deterministically, the test holds a lock the request needs; the request's session then waits
 * inside its transaction, where pg_stat_activity shows it, and is terminated there.
 */
let db: { url: string; drop: () => Promise<void> };
let server: ServerProcess;
let owner: postgres.Sql;
let exited: number | null | undefined;

before(async () => {
  db = await freshDatabase();
  server = await startServerProcess({ DATABASE_URL: db.url, BERTH_LOG_LEVEL: 'fatal' });
  server.child.once('exit', (code) => (exited = code));
  // Not named 'berth' like the server's sessions, so terminating those spares the test's own.
  owner = postgres(db.url, { max: 3, onnotice: () => {}, connection: { application_name: 'berth-test' } });
  assert.equal((await gql(`mutation { createNamespace(input: { name: "locked" }) { namespace { name } } }`)).errors, undefined);
});
after(async () => {
  await server.stop();
  await owner.end();
  await db.drop();
});

const gql = (query: string) => postGraphQL(server.url, query);

/** Waits until Berth has a session waiting on a lock, inside its transaction, and returns its pid. */
async function blockedBerthSession(): Promise<number> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const [row] = await owner<{ pid: number }[]>`
      select pid from pg_stat_activity
      where datname = current_database() and application_name = 'berth' and wait_event_type = 'Lock' and xact_start is not null`;
    if (row) return row.pid;
    await sleep(20);
  }
  throw new Error('no Berth session ever waited on the held lock');
}

/** Runs `request` while the test holds `lockStatement`, terminates Berth's waiting session, then lets go. */
async function terminatedMidTransaction(lockStatement: string, request: string) {
  const [pending] = await owner.begin(async (tx) => {
    await tx.unsafe(lockStatement);
    const answer = gql(request);
    const pid = await blockedBerthSession();
    await tx`select pg_terminate_backend(${pid})`;
    return [answer];
  });
  return pending!;
}

async function assertServes(after: string): Promise<void> {
  assert.equal(exited, undefined, `the server exited (code ${exited}) after ${after}`);
  const health = await fetch(server.url.replace('/graphql', '/healthz'));
  assert.equal(health.status, 200);
  const listed = await gql(`{ namespaces { name } }`);
  assert.equal(listed.errors, undefined, JSON.stringify(listed.errors));
  assert.ok(listed.data.namespaces.some((n: { name: string }) => n.name === 'locked'));
}

test('a mutation whose backend is terminated mid-transaction fails with a code, and the same process serves on', async () => {
  for (let round = 0; round < 3; round++) {
    const answer = await terminatedMidTransaction(
      `select * from namespaces where name = 'locked' for update`,
      `mutation { updateNamespace(input: { name: "locked", labels: [{ key: "round", value: "${round}" }] }) { namespace { name } } }`,
    );
    assert.equal(answer.data?.updateNamespace ?? null, null);
    assert.equal(answer.errors?.[0]?.extensions?.code, 'INTERNAL', JSON.stringify(answer.errors));
    assert.match(answer.errors![0]!.message, /database is unavailable, so nothing was changed/);
    await assertServes(`terminated mutation ${round}`);
  }
  // Nothing of the terminated transactions was committed: no label, no event.
  const [row] = await owner<{ labels: Record<string, string> }[]>`select labels from namespaces where name = 'locked'`;
  assert.deepEqual(row!.labels, {});
  const [events] = await owner<{ n: number }[]>`select count(*)::int as n from events where topic = '/namespaces/update'`;
  assert.equal(events!.n, 0);
});

test('a one-round-trip read whose backend is terminated mid-statement fails with a code, and the same process serves on', async () => {
  const answer = await terminatedMidTransaction(`lock table namespaces in access exclusive mode`, `{ namespace(name: "locked") { name } }`);
  assert.equal(answer.errors?.[0]?.extensions?.code, 'INTERNAL', JSON.stringify(answer.errors));
  await assertServes('a terminated read');
});

test('a one-statement write whose backend is terminated mid-statement is reported as maybe made, and the same process serves on', async () => {
  // A create and a delete are each one statement that commits by itself (migration 0007): a lost
  // session cannot tell whether it committed, so the answer says so. Here it had not.
  const create = `mutation { createContainer(input: { namespace: "locked", container: { containerId: "doomed", runtime: { name: "rt" }, spec: { typeUrl: "t", json: {} } } }) { container { containerId } } }`;
  const created = await terminatedMidTransaction(`lock table containers in share mode`, create);
  assert.equal(created.errors?.[0]?.extensions?.code, 'INTERNAL', JSON.stringify(created.errors));
  assert.match(created.errors![0]!.message, /the database session ended during the write: the change may or may not have been made/);
  await assertServes('a terminated create');
  const [absent] = await owner<{ n: number }[]>`select count(*)::int as n from containers where id = 'doomed'`;
  assert.equal(absent!.n, 0);

  assert.equal((await gql(create)).errors, undefined, 'the same create succeeds once nothing holds the lock');
  const deleted = await terminatedMidTransaction(
    `lock table containers in access exclusive mode`,
    `mutation { deleteContainer(input: { namespace: "locked", containerId: "doomed" }) { containerId } }`,
  );
  assert.equal(deleted.errors?.[0]?.extensions?.code, 'INTERNAL', JSON.stringify(deleted.errors));
  assert.match(deleted.errors![0]!.message, /may or may not have been made/);
  await assertServes('a terminated delete');
  const [present] = await owner<{ n: number }[]>`select count(*)::int as n from containers where id = 'doomed'`;
  assert.equal(present!.n, 1, 'the terminated delete changed nothing');
  const topics = await owner<{ topic: string }[]>`select topic from events where namespace = 'locked' and topic like '/containers/%' order by seq`;
  assert.deepEqual(
    topics.map((row) => row.topic),
    ['/containers/create'],
    'one event: the create that committed',
  );
});

test('every Berth session terminated at once, the LISTEN among them: the same process serves on', async () => {
  const terminated = await owner`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'berth'`;
  assert.ok(terminated.count > 0, 'the server had sessions to terminate');
  // The pool reconnects on demand: the first request after may see the loss, the ones after must not.
  await gql(`{ namespaces { name } }`);
  await assertServes('every session was terminated');
});
