import { after, before, test } from 'node:test';
import { exactlyOnceScenario } from '../helpers/event-workload.ts';
import { seededRandom } from '../helpers/random.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * The exactly-once workload of events-exactly-once-ws.test.ts, with a Server-Sent Events
 * subscriber (Yoga's SSE: POST /graphql with Accept: text/event-stream) that aborts its request at
 * seeded random points and resumes from its last cursor, and the LISTEN connection killed once.
 */
let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

test('SSE: every committed event exactly once, in order, across disconnects and a LISTEN kill', { timeout: 600_000 }, async (t) => {
  const { seed } = seededRandom();
  t.diagnostic(`seed ${seed}: BERTH_SEED=${seed} replays this run`);
  const summary = await exactlyOnceScenario({
    writeUrls: [server.url],
    subscribers: [{ transport: 'sse', urls: [server.url] }],
    sql: server.sql,
    databaseUrl: server.databaseUrl,
    writers: 8,
    mutationsPerWriter: 150,
    heldTransactions: 100,
    meanEventsBetweenDisconnects: 60,
    killListenAt: [0.5],
    servers: 1,
    seed,
  });
  t.diagnostic(summary);
});
