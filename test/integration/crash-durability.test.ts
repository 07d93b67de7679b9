import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { appendStatement } from '../../src/db/events.ts';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../src/server/embedded-postgres.ts';
import { attempt } from '../helpers/attempt.ts';
import { pollUntil } from '../helpers/bounded.ts';
import { collectUntil, subscribeEvents } from '../helpers/events.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { insertBareContainer } from '../helpers/raw-writes.ts';

/**
 * Writers commit without waiting for the disk, so that commits queued on the event clock share
 * disk flushes, and are answered only after a flush barrier; readers of the event log flush
 * before they answer (src/db/transaction.ts flushAfterUnlock, src/db/events.ts). Each test here
 * crashes Postgres (an immediate stop: no checkpoint, and WAL still in Postgres's buffers is gone)
 * and checks that nothing acknowledged or delivered was taken back.
 *
 * So that a missing barrier shows rather than by chance, the WAL writer is told to wait 10 s
 * between its rounds: a commit made without waiting for the disk then stays in Postgres's memory
 * until something flushes it, and the crash takes it back unless a barrier did.
 */
const WRITERS = 8;
const WRITE_MS = 2000;

let dataDir: string;
let pg: EmbeddedDatabase;
let owner: postgres.Sql;
let server: ServerProcess;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'berth-crash-'));
  pg = await startEmbeddedPostgres(dataDir, () => {});
  owner = postgres(pg.url, { max: 2, onnotice: () => {} });
  await owner`alter system set wal_writer_delay = '10s'`;
  await owner`select pg_reload_conf()`;
  server = await startServerProcess({ DATABASE_URL: pg.url, BERTH_LOG_LEVEL: 'error' });
});

after(async () => {
  await server?.stop();
  await owner?.end({ timeout: 1 });
  await pg?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Crashes Postgres and waits until it has recovered and answers again. */
async function crash(): Promise<void> {
  await pg.restart('immediate');
  await pollUntil(
    () =>
      owner`select 1`.then(
        () => true,
        () => undefined,
      ),
    'Postgres to answer after crash recovery',
  );
}

test('a crash right after the acknowledgements takes back no acknowledged write', { timeout: 240_000 }, async () => {
  const acknowledged: string[] = [];
  let firstFailure: unknown;
  let writing = true;
  const writers = Array.from({ length: WRITERS }, async (_, writer) => {
    for (let k = 0; writing && firstFailure === undefined; k++) {
      const id = `w${writer}-${k}`;
      const answer = await attempt(
        server.url,
        `mutation { createContainer(input: { container: { containerId: "${id}", runtime: { name: "rt" }, spec: { typeUrl: "types.containerd.io/opencontainers/runtime-spec/1/Spec", json: {} } } }) { container { containerId } } }`,
        20_000,
      );
      if (answer.status === 200 && answer.code === undefined) acknowledged.push(id);
      else firstFailure ??= answer;
    }
  });
  await sleep(WRITE_MS);
  writing = false;
  await Promise.all(writers);
  assert.equal(firstFailure, undefined, `a write failed before the crash: ${JSON.stringify(firstFailure)}`);
  assert.ok(acknowledged.length > 0, 'no write was acknowledged');

  // Every answer is in: the last commits are the ones a missing barrier would leave in memory.
  await crash();
  const present = new Set((await owner<{ id: string }[]>`select id from containers where namespace = 'default'`).map((row) => row.id));
  const lost = acknowledged.filter((id) => !present.has(id));
  assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged creates were lost in the crash`);
});

test('a crash right after a delivery takes back no delivered event', { timeout: 240_000 }, async () => {
  await pollUntil(async () => {
    const answer = await attempt(server.url, '{ containers(first: 1) { watchCursor } }');
    return answer.code === undefined && answer.data ? answer.data.containers.watchCursor : undefined;
  }, 'the server to serve again after the first crash');
  const start = await attempt(server.url, '{ containers(first: 1) { watchCursor } }');
  const subscription = subscribeEvents('ws', server.url, { after: start.data.containers.watchCursor });
  try {
    // A commit the test makes itself, without waiting for the disk and without a barrier: only
    // the reader's own flush can make it durable before the subscriber is given its event.
    await owner.begin(async (tx) => {
      await tx`set local synchronous_commit = off`;
      await tx`insert into namespaces (name, labels) values ('default', '{}') on conflict do nothing`;
      const event = await insertBareContainer(tx, 'default', 'unflushed');
      await appendStatement(tx, [event]);
    });
    const [message] = await collectUntil(subscription, () => true, 'the event of the unflushed commit');
    assert.ok(message && 'event' in message, `expected an event, got ${JSON.stringify(message)}`);
    assert.equal(message.event.payload.containerId, 'unflushed');

    await crash();
    const [row] = await owner<{ id: string }[]>`select payload->>'id' as id from events where topic = '/containers/create' and payload->>'id' = 'unflushed'`;
    assert.equal(row?.id, 'unflushed', 'the delivered event is gone after the crash');
  } finally {
    await subscription.close(true);
  }
});
