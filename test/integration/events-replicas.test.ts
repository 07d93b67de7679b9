import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { collectUntil, subscribeEvents } from '../helpers/events.ts';
import { lastCursor } from '../helpers/event-log.ts';
import { exactlyOnceScenario } from '../helpers/event-workload.ts';
import { startServerProcess, type ServerProcess } from '../helpers/process.ts';
import { seededRandom } from '../helpers/random.ts';
import { postGraphQL, startServer, type TestServer } from '../helpers/server.ts';

/**
 * docs/architecture.md "Scaling out": two server processes on one database (this one, and `npm start`'s
 * entry point as a child process), each with its own LISTEN and hub. Writes go through both;
 * subscribers on A, on B, and one that hops between them on every reconnect each get every event
 * exactly once, in order, while both LISTEN connections are killed mid-stream.
 */
let a: TestServer;
let b: ServerProcess;
before(async () => {
  a = await startServer();
  b = await startServerProcess({ DATABASE_URL: a.databaseUrl, BERTH_LOG_LEVEL: 'warn' });
});
after(async () => {
  await b.stop();
  await a.close();
});

test('two replicas: every subscriber gets every event once, in order, whichever replica wrote it', { timeout: 600_000 }, async (t) => {
  const { seed } = seededRandom();
  t.diagnostic(`seed ${seed}: BERTH_SEED=${seed} replays this run`);
  const summary = await exactlyOnceScenario({
    writeUrls: [b.url, a.url],
    subscribers: [
      { transport: 'ws', urls: [a.url] },
      { transport: 'sse', urls: [b.url] },
      { transport: 'ws', urls: [a.url, b.url] },
    ],
    sql: a.sql,
    databaseUrl: a.databaseUrl,
    writers: 8,
    mutationsPerWriter: 100,
    heldTransactions: 60,
    meanEventsBetweenDisconnects: 60,
    killListenAt: [0.5],
    servers: 2,
    seed,
  });
  t.diagnostic(summary);
});

test('SIGTERM drains a replica: its WebSocket closes with 1001, the process exits 0, and the client resumes on the other', async () => {
  const from = await lastCursor(a.sql);
  const onB = subscribeEvents('ws', b.url, { after: from, allNamespaces: true });
  const created = await postGraphQL(b.url, `mutation { createNamespace(input: { name: "drained" }) { namespace { name } } }`);
  assert.equal(created.errors, undefined);
  const first = (await collectUntil(onB, (m) => 'error' in m || m.event.payload.name === 'drained', 'the create of namespace drained on B')).at(-1);
  assert.ok(first && 'event' in first, JSON.stringify(first));
  const exitCode = b.stop();
  const closing = (await collectUntil(onB, (m) => 'error' in m, 'B to close the WebSocket on SIGTERM')).at(-1);
  assert.deepEqual(closing && 'error' in closing ? closing.error.closeCode : closing, 1001);
  assert.equal(await exitCode, 0);

  await postGraphQL(a.url, `mutation { createNamespace(input: { name: "after-drain" }) { namespace { name } } }`);
  const onA = subscribeEvents('ws', a.url, { after: first.event.cursor, allNamespaces: true });
  const resumed = await collectUntil(onA, (m) => 'error' in m || m.event.payload.name === 'after-drain', 'the create of namespace after-drain on A');
  await onA.close();
  assert.ok(
    resumed.every((m) => 'event' in m && m.event.cursor > first.event.cursor),
    'resumed after the last event B delivered',
  );
  assert.deepEqual(resumed.map((m) => ('event' in m ? m.event.topic : m)).at(-1), '/namespaces/create');
});
