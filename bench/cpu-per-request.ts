import { parseArgs } from 'node:util';
import { createPool } from '../src/db/pool.ts';
import { EventHub } from '../src/resolvers/event-hub.ts';
import { createAuthenticator } from '../src/server/auth.ts';
import { loadConfig } from '../src/server/config.ts';
import { createHttpHandler } from '../src/server/http.ts';
import { createLogger } from '../src/server/log.ts';
import { createMetrics } from '../src/server/metrics.ts';
import { createBenchDatabase, postgresServer } from './database.ts';
import { LIST_FILTER, randomStableId } from './fixtures.ts';
import { body, CREATE, containerInput, GET, LIST, SET_LABELS } from './scenarios/documents.ts';
import { migrateAndSeed } from './seed.ts';

/**
 * `npx tsx bench/cpu-per-request.ts [--op get|list|create|labels] [--n N] [--seconds S] [--loops L]`: the
 * server's own JavaScript CPU per request, with no HTTP and no client in the way: Yoga's handler
 * is called in-process (`yoga.fetch`) against a seeded database, and process.cpuUsage() is divided
 * by the requests served. `create` makes new containers like the seeded ones; `labels` sets one
 * label on a seeded container, as the update scenario does. On a shared machine this is steadier than throughput, which also
 * depends on how much CPU the other processes leave: run two trees alternately and compare.
 */
const { values } = parseArgs({
  options: {
    op: { type: 'string', default: 'get' },
    n: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '5' },
    loops: { type: 'string', default: '16' },
  },
});
const OPS = ['get', 'list', 'create', 'labels'] as const;
const op = OPS.find((name) => name === values.op) ?? 'get';
const n = Number(values.n);

const server = await postgresServer();
const database = await createBenchDatabase(server.url);
try {
  await migrateAndSeed(database.url, n, () => {});
  const db = createPool(database.url, { confined: true });
  const config = loadConfig({ ...process.env, DATABASE_URL: database.url });
  const log = createLogger('warn');
  const events = new EventHub(db, { subscriberBuffer: 100, log, onRead: () => {} });
  const yoga = createHttpHandler({
    db,
    log,
    defaultNamespace: 'default',
    auth: createAuthenticator({}),
    limits: config.limits,
    metrics: createMetrics({ activeSubscriptions: () => 0 }),
    events,
    cors: {},
  });
  let sent = 0;
  const requests = {
    get: () => body(GET, { id: randomStableId(n) }),
    list: () => body(LIST, { filters: [LIST_FILTER], first: 100 }),
    create: () => body(CREATE, { c: containerInput(`cpu-${process.pid}-${sent}`, sent++) }),
    labels: () => body(SET_LABELS, { id: randomStableId(n), labels: [{ key: 'bench.updated', value: String(sent++) }] }),
  };
  const request = requests[op];
  const once = async () => {
    const response = await yoga.fetch('http://bench/graphql', { method: 'POST', body: request(), headers: { 'content-type': 'application/json' } });
    // The body as bytes, as the server's socket takes it: a string body is encoded here, as it
    // would be on the way out, and a byte body is taken as it is.
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.includes('"errors"')) throw new Error(bytes.subarray(0, 500).toString());
  };
  const run = async (seconds: number) => {
    let served = 0;
    const end = performance.now() + seconds * 1000;
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: Number(values.loops) }, async () => {
        while (performance.now() < end) {
          await once();
          served++;
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    return { perSecond: served / ((performance.now() - started) / 1000), cpuMs: (used.user + used.system) / 1000 / served };
  };
  await run(2); // warm-up: connections, prepared statements, compiled queries
  const result = await run(Number(values.seconds));
  console.log(`${op}: ${result.cpuMs.toFixed(3)} ms of server JS CPU per request (${result.perSecond.toFixed(0)} requests/s in-process)`);
  await events.close();
  await db.end({ timeout: 5 });
} finally {
  await database.drop();
  await server.stop();
}
