import postgres from 'postgres';
import { appendStatement, type NewEvent } from '../src/db/events.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPool, type Sql } from '../src/db/pool.ts';
import { createContainerStatement } from '../src/db/containers.ts';
import { inScope, writeScoped } from '../src/db/transaction.ts';
import { containerCreated, namespaceCreated } from '../src/model/events.ts';

/**
 * `npx tsx bench/commit-rate.ts`: event-writing commits per second at 8 writers, through the db
 * layer (inScope and the event append), three ways, alternating: the append awaited before
 * COMMIT, which holds the event_clock row lock across a client round trip; the append sent in the
 * same write as COMMIT (transaction.ts beforeCommit), which holds it through the disk flush; and
 * that plus flushAfterUnlock, as mutations do: the lock is freed before the flush, and the answer
 * waits for a flush shared with the other writers; and a container create that is one statement
 * appending its own events and committing by itself (transaction.ts writeScoped), as
 * createContainer does. Every event-writing commit queues on that lock,
 * so the span it is held for bounds the rate. On a scratch database created on DATABASE_URL's
 * server and dropped at the end.
 */
const WRITERS = 8;
const SECONDS = 5;
const ROUNDS = 3;
const MODES = ['awaited', 'with COMMIT', 'with COMMIT, flush after unlock', 'in one statement'] as const;

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) throw new Error('set DATABASE_URL to a Postgres server to create a scratch database on');
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const name = `berth_commit_rate_${Date.now()}`;
await admin.unsafe(`create database ${name}`);
try {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const owner = createPool(url.toString(), { max: 1 });
  await migrate(owner);
  await owner.end();
  const sql = createPool(url.toString(), { confined: true });
  await measure(sql, 'with COMMIT', 2); // warm-up: connections open, statements prepared
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of MODES) console.log(`append ${mode}: ${(await measure(sql, mode, SECONDS)).toFixed(0)} commits/s`);
  }
  await sql.end();
} finally {
  await admin.unsafe(`drop database ${name} with (force)`);
  await admin.end();
}

async function measure(sql: Sql, mode: (typeof MODES)[number], seconds: number): Promise<number> {
  const scope = { namespace: 'default', readable: ['default'] };
  const events: NewEvent[] = [{ namespace: 'default', topic: '/containers/update', payload: { id: 'bench' } }];
  const end = Date.now() + seconds * 1000;
  let commits = 0;
  const writer = async () => {
    while (Date.now() < end) {
      if (mode === 'in one statement') {
        const id = `c${commits}-${Math.random().toString(36).slice(2)}`;
        const container = {
          id,
          image: '',
          runtime: { name: 'rt', options: null },
          spec: null,
          snapshotter: '',
          snapshotKey: '',
          sandbox: '',
          labels: {},
          extensions: {},
        };
        await writeScoped(sql, scope, (tx, settings) =>
          createContainerStatement(tx, settings, container, {
            namespaceCreated: namespaceCreated('default', {}),
            containerCreated: containerCreated(container),
          }),
        );
      } else if (mode === 'awaited') {
        await inScope(sql, scope, async (tx) => {
          await tx`select 1`;
          await appendStatement(tx, events);
        });
      } else {
        await inScope(sql, scope, async (tx) => void (await tx`select 1`), {
          beforeCommit: (tx) => appendStatement(tx, events),
          flushAfterUnlock: mode !== 'with COMMIT',
        });
      }
      commits++;
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return commits / seconds;
}
