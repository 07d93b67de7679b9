import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { startEmbeddedPostgres } from '../src/server/embedded-postgres.ts';

/**
 * `npm test`: runs every test/**\/*.test.ts (or the files given) with node's test runner. Each
 * file makes its own fresh database on DATABASE_URL's server; when DATABASE_URL is unset, one
 * embedded Postgres is started for the run, so the suite also proves the embedded path.
 */
const root = join(import.meta.dirname, '..');
const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : await testFiles(join(root, 'test'));

let stopEmbedded: (() => Promise<void>) | undefined;
const env = { ...process.env };
if (!env.DATABASE_URL) {
  const dataDir = await mkdtemp(join(tmpdir(), 'berth-test-pg-'));
  const embedded = await startEmbeddedPostgres(dataDir, () => {});
  env.DATABASE_URL = embedded.url;
  stopEmbedded = async () => {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  console.log(`# no DATABASE_URL: testing against an embedded Postgres in ${dataDir}`);
}

const concurrency = process.env.BERTH_TEST_CONCURRENCY ?? '2';
// A terminal gets the readable spec report; CI (no terminal, or CI set) keeps TAP. Both end with
// the runner's summary (tests, pass, fail, duration).
const interactive = process.stdout.isTTY && !process.env.CI;
const reporter = process.env.BERTH_TEST_REPORTER ?? (interactive ? 'spec' : 'tap');
// Every test file has a deadline: node 20's runner applies --test-timeout to each file as a whole
// (a test's own `timeout` option still bounds that test). A file that hangs, or whose tests are done
// but something it started still holds its event loop, fails at the deadline, named, instead of
// holding CI. No --test-force-exit: it ended a file's process before that process had written all its
// results, so the tail of a file's results, and any failure in it, could vanish from the report.
const timeout = process.env.BERTH_TEST_TIMEOUT_MS ?? '600000';
// Tests that measure latency under load (the overload test's /healthz probe, the chaos test's
// writes while a replica is frozen) run after the others, one at a time: beside another test file
// on a two-core machine they would measure that file's CPU use as much as the server's.
const ALONE = new Set(['test/integration/overload.test.ts', 'test/chaos/faults.test.ts']);
const isAlone = (file: string) => ALONE.has(relative(root, resolve(root, file)));
let current: ChildProcess | undefined;
// Ctrl-C or a SIGTERM ends the test run, then the embedded Postgres (in a process group of its own,
// so the terminal's signal does not reach it) is stopped below rather than left running.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = true;
    current?.kill(signal);
  });
}
let code = 0;
for (const [batch, batchConcurrency] of [
  [files.filter((file) => !isAlone(file)), concurrency],
  [files.filter(isAlone), '1'],
] as const) {
  if (batch.length === 0 || interrupted) continue;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${batchConcurrency}`, `--test-timeout=${timeout}`, `--test-reporter=${reporter}`, ...batch],
    { cwd: root, env, stdio: 'inherit' },
  );
  current = child;
  const status = await new Promise<number>((resolve) => child.on('exit', (exit) => resolve(exit ?? 1)));
  if (status !== 0) code = status;
}
await stopEmbedded?.();
process.exit(code);

/** Every test file, the chaos test (test/chaos/, also run alone by `npm run test:chaos`) among them. */
async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}
