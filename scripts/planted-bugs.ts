import { execFileSync, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * `npm run test:planted`: plants known bugs one at a time in a temporary copy of the repository
 * and checks that the tests meant to catch each one fail, naming the broken rule, within a bound.
 * A plant that no longer applies (its text is gone from the source) is an error too, so the list
 * cannot silently rot. Not run by CI: it exists to prove the suite can fail.
 */
interface PlantedBug {
  readonly name: string;
  readonly file: string;
  /** Text that must occur exactly once in `file`, and what replaces it. */
  readonly find: string;
  readonly replace: string;
  /** The tests that must catch it. */
  readonly tests: readonly string[];
  /** The failure output must say this: the rule's name or the assertion that guards it. */
  readonly expect: RegExp;
  readonly boundMs: number;
}

const BUGS: readonly PlantedBug[] = [
  {
    name: 'drop the "runtime name must be set" rule',
    file: 'src/resolvers/validate.ts',
    find: `  if (c.runtime.name === '') return 'container.Runtime.Name must be set';\n`,
    replace: '',
    tests: ['test/unit/validate.test.ts', 'test/integration/container-vectors.test.ts'],
    expect: /not ok \d+ - runtime name not set: container\.Runtime\.Name must be set/,
    boundMs: 240_000,
  },
  {
    name: 'drop the spec rule',
    file: 'src/resolvers/validate.ts',
    find: `  if (c.spec === null) return 'container.Spec must be set';\n`,
    replace: '',
    tests: ['test/unit/validate.test.ts', 'test/integration/container-vectors.test.ts'],
    expect: /not ok \d+ - spec not set: container\.Spec must be set/,
    boundMs: 240_000,
  },
  {
    name: 'remove the snapshotKey path alias',
    file: 'src/resolvers/field-mask.ts',
    find: `    case 'snapshotKey':\n`,
    replace: '',
    tests: ['test/unit/field-mask.test.ts'],
    expect: /not ok \d+ - snapshotKey replaces the snapshot key/,
    boundMs: 120_000,
  },
  {
    name: 'hasNextPage computed with >=',
    file: 'src/resolvers/paging.ts',
    find: 'hasNextPage = rows.length > (window.first ?? 0);',
    replace: 'hasNextPage = rows.length >= (window.first ?? 0);',
    tests: ['test/unit/paging.test.ts', 'test/integration/pagination.test.ts'],
    expect: /not ok \d+ - hasNextPage is false when the page ends exactly at the last row/,
    boundMs: 240_000,
  },
  {
    name: 'page size + 1',
    file: 'src/resolvers/paging.ts',
    find: 'nodes = rows.slice(0, window.first ?? 0);',
    replace: 'nodes = rows.slice(0, (window.first ?? 0) + 1);',
    tests: ['test/unit/paging.test.ts', 'test/integration/pagination.test.ts'],
    expect: /not ok \d+ - page size: a page holds first \(or last\) rows when more exist/,
    boundMs: 240_000,
  },
  {
    name: 'emit no /containers/delete event',
    file: 'src/resolvers/containers.ts',
    find: '    emit(containerDeleted(id));\n',
    replace: '',
    tests: ['test/integration/events-history.test.ts', 'test/integration/cli-events.test.ts', 'test/integration/events-exactly-once-ws.test.ts'],
    expect: /acknowledged changes have no event/,
    boundMs: 600_000,
  },
  {
    name: 'answer a mutation before its commit is flushed',
    file: 'src/db/transaction.ts',
    find: 'options.flushAfterUnlock ? flushBarrier(tx) : null,',
    replace: 'null,',
    tests: ['test/integration/crash-durability.test.ts'],
    expect: /acknowledged creates were lost in the crash/,
    boundMs: 300_000,
  },
  {
    name: 'hand out events before they are flushed',
    file: 'src/db/transaction.ts',
    find: "then pg_logical_emit_message(true, 'berth.flush', '') end",
    replace: 'then null end',
    tests: ['test/integration/crash-durability.test.ts'],
    expect: /the delivered event is gone after the crash/,
    boundMs: 300_000,
  },
];

const root = join(import.meta.dirname, '..');
const only = process.argv.slice(2);
const selected = only.length > 0 ? BUGS.filter((bug) => only.some((word) => bug.name.includes(word))) : BUGS;
const results: string[] = [];
let failures = 0;
for (const bug of selected) {
  const started = Date.now();
  const verdict = await plant(bug);
  const seconds = Math.round((Date.now() - started) / 1000);
  if (!verdict.startsWith('caught')) failures++;
  results.push(`${verdict.startsWith('caught') ? 'ok    ' : 'FAILED'} ${bug.name}: ${verdict} (${seconds} s)`);
  console.log(results.at(-1));
}
console.log(`\n# planted bugs\n${results.join('\n')}\n${selected.length - failures} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);

async function plant(bug: PlantedBug): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'berth-planted-'));
  try {
    await copyRepository(copy);
    const path = join(copy, bug.file);
    const source = await readFile(path, 'utf8');
    const occurrences = source.split(bug.find).length - 1;
    if (occurrences !== 1) return `the plant does not apply: its text occurs ${occurrences} times in ${bug.file}`;
    await writeFile(path, source.replace(bug.find, bug.replace));
    const run = await runTests(copy, bug.tests, bug.boundMs);
    if (run.timedOut) return `HUNG: the tests were still running after ${bug.boundMs / 1000} s`;
    if (run.status === 0) return 'MISSED: the tests passed';
    const failed = [...run.output.matchAll(/^\s*not ok \d+ - (.*)$/gm)].map((m) => m[1]).filter((name) => !/^test\//.test(name ?? ''));
    if (!bug.expect.test(run.output)) return `failed, but not naming the rule (${bug.expect}); failing tests: ${failed.join('; ')}`;
    return `caught by ${failed.length} failing tests, e.g. ${failed.slice(0, 3).join('; ')}`;
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/** The repository as it stands (tracked and new, unignored files), with node_modules linked. */
async function copyRepository(to: string): Promise<void> {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root }).toString().split('\0');
  // Regular files only: a deleted file is skipped, and so is a link (node_modules is linked below).
  for (const file of listed.filter((f) => f !== '' && existsSync(join(root, f)) && lstatSync(join(root, f)).isFile())) {
    await mkdir(dirname(join(to, file)), { recursive: true });
    await copyFile(join(root, file), join(to, file));
  }
  await symlink(join(root, 'node_modules'), join(to, 'node_modules'), 'dir');
}

/** Runs the tests with the project's runner; kills the whole process group at the bound. */
async function runTests(cwd: string, files: readonly string[], boundMs: number): Promise<{ status: number | null; output: string; timedOut: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/run-tests.ts', ...files], {
    cwd,
    detached: true,
    env: { ...process.env, BERTH_TEST_REPORTER: 'tap', BERTH_TEST_CONCURRENCY: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(-child.pid!, 'SIGKILL');
  }, boundMs);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { status, output, timedOut };
}
