import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createBenchDatabase, postgresServer, postgresVersion } from './database.ts';
import { LoadProcess } from './load.ts';
import { parseOptions, USAGE, UsageError, type Options } from './options.ts';
import { Progress } from './progress.ts';
import { type BenchReport, operationsTable, resultFileName, table, writeReport } from './report.ts';
import { runScenarios } from './runner.ts';
import { migrateAndSeed } from './seed.ts';
import { ServerProcess } from './server.ts';

/**
 * `npm run bench`: seed a fresh database, start the server and a separate load process, run the
 * scenarios, print a table and write bench/results/<timestamp>.json. Whatever happens, the child
 * processes are stopped and the bench database is dropped.
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Undo steps, run last-in first-out, once, on success, failure or a signal. */
const cleanups: (() => Promise<void> | void)[] = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`bench: cleanup step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return cleaning;
}
const interrupted = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, cleaning up`);
    interrupted.abort();
    void cleanUp().then(() => process.exit(130));
  });
}
// While tearing down, clients of the dropped database and the stopped server may fail loudly: that is expected.
process.on('uncaughtException', (error) => {
  if (interrupted.signal.aborted) return;
  console.error(error);
  void cleanUp().then(() => process.exit(1));
});

async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }

  const startedAt = new Date();
  const progress = new Progress();
  const postgres = await postgresServer();
  cleanups.push(() => postgres.stop());
  const database = await createBenchDatabase(postgres.url);
  cleanups.push(() => database.drop());
  progress.done('setup', `database ${database.name} on ${postgres.embedded ? 'an embedded Postgres' : 'DATABASE_URL'}`);

  const seed = await migrateAndSeed(database.url, options.n, (done, total) => progress.update('seed', `${done}/${total} containers`));
  progress.done('seed', `${seed.rows} containers in ${seed.seconds.toFixed(1)} s (${Math.round(seed.rowsPerSec)} rows/s)`);

  const server = await ServerProcess.start(database.url);
  cleanups.push(() => server.stop());
  const load = LoadProcess.start();
  cleanups.push(() => load.stop());
  progress.done('server', `pid ${server.pid} at ${server.url}, RSS ${(server.memory().rss / 1024 ** 2).toFixed(0)} MiB`);

  const scenarios = await runScenarios({
    options,
    server,
    load,
    databaseUrl: database.url,
    progress,
    tag: randomBytes(3).toString('hex'),
    signal: interrupted.signal,
  });
  const memory = server.alive ? server.memory() : { rss: 0, hwm: 0 };

  const report: BenchReport = {
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    options: { ...options },
    environment: {
      node: process.version,
      cpus: cpus().length,
      totalMemoryBytes: totalmem(),
      loadAverageAtStart: loadavg(),
      postgres: await postgresVersion(database.url),
      embeddedPostgres: postgres.embedded,
      commit: gitCommit(),
    },
    seed: { ...seed, seconds: Math.round(seed.seconds * 10) / 10, rowsPerSec: Math.round(seed.rowsPerSec) },
    server: { peakRssBytes: memory.hwm, finalRssBytes: memory.rss },
    scenarios,
  };
  const path = options.out ?? `${ROOT}bench/results/${resultFileName(startedAt)}`;
  await writeReport(report, path);
  console.log(`\n${table(report)}\n`);
  const operations = operationsTable(report);
  if (operations) console.log(`${operations}\n`);
  for (const s of scenarios.filter((s) => s.firstError)) console.log(`first error in ${s.scenario}: ${s.firstError!.split('\n')[0]!.slice(0, 300)}`);
  console.log(`report written to ${path}`);
  return 0;
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

main()
  .catch((error: unknown) => {
    if (!interrupted.signal.aborted) console.error(error instanceof UsageError ? error.message : error);
    return 1;
  })
  .then(async (code) => {
    await cleanUp();
    process.exit(interrupted.signal.aborted ? 130 : code);
  });
