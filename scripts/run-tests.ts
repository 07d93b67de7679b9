import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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
// Every test has a deadline, so a hang fails naming the test instead of holding CI for hours; tests
// that legitimately take longer set their own `timeout`. --test-force-exit ends a file whose tests
// are done even if something it started still holds the event loop.
const timeout = process.env.BERTH_TEST_TIMEOUT_MS ?? '180000';
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeout}`, '--test-force-exit', `--test-reporter=${reporter}`, ...files],
  { cwd: root, env, stdio: 'inherit' },
);
// Ctrl-C or a SIGTERM ends the test run, then the embedded Postgres (in a process group of its own,
// so the terminal's signal does not reach it) is stopped below rather than left running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
const code = await new Promise<number>((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
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
