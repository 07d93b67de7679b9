import { after, before, test } from 'node:test';
import { exactlyOnceScenario } from '../helpers/event-workload.ts';
import { seededRandom } from '../helpers/random.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * docs/architecture.md "Events": concurrent writers, transactions held open (some rolled back) so that
 * transactions commit in another order than they began, the LISTEN connection killed twice
 * mid-stream, and a graphql-ws subscriber that disconnects at seeded random points and resumes from
 * its last cursor. It must receive every committed event exactly once, in order.
 */
let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

test('graphql-ws: every committed event exactly once, in order, across disconnects and LISTEN kills', { timeout: 600_000 }, async (t) => {
  const { seed } = seededRandom();
  t.diagnostic(`seed ${seed}: BERTH_SEED=${seed} replays this run`);
  const summary = await exactlyOnceScenario({
    writeUrls: [server.url],
    subscribers: [{ transport: 'ws', urls: [server.url] }],
    sql: server.sql,
    databaseUrl: server.databaseUrl,
    writers: 8,
    mutationsPerWriter: 250,
    heldTransactions: 150,
    meanEventsBetweenDisconnects: 60,
    killListenAt: [0.3, 0.6],
    servers: 1,
    seed,
  });
  t.diagnostic(summary);
});
