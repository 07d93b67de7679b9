import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { failedStart, noProcessLeft, startServerProcess } from '../helpers/process.ts';
import { postGraphQL } from '../helpers/server.ts';

/**
 * The embedded Postgres's life across server deaths, on one BERTH_DATA_DIR: a second server is
 * told which process holds the folder; a server killed with SIGKILL leaves its Postgres running,
 * and the next start recovers it (saying so) and serves the data.
 */
test('embedded Postgres: a held data dir is refused, an orphaned Postgres is recovered', { timeout: 300_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'berth-embedded-'));
  const env = { DATABASE_URL: undefined, BERTH_DATA_DIR: dataDir, BERTH_LOG_LEVEL: 'info' };
  try {
    const first = await startServerProcess(env);
    const created = await postGraphQL(first.url, `mutation { createNamespace(input: { name: "survivor" }) { namespace { name } } }`);
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));

    const second = await failedStart(env);
    assert.equal(second.code, 1);
    assert.equal(
      second.output,
      `berth: BERTH_DATA_DIR ${dataDir} is in use by another Berth server (pid ${first.child.pid}): stop that server, or set BERTH_DATA_DIR to another folder (or DATABASE_URL to share a Postgres server)\n`,
    );

    const orphan = Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    assert.equal(await first.stop('SIGKILL'), null, 'SIGKILL ends the server without a code');
    assert.doesNotThrow(() => process.kill(orphan, 0), 'its Postgres outlives it');

    // Through `berth serve` this time: the same server, and SIGTERM to that pid stops it too.
    const third = await startServerProcess(env, { command: [process.execPath, 'bin/berth.js', 'serve'] });
    assert.match(third.output(), new RegExp(`recovering the embedded Postgres \\(pid ${orphan}\\) that a previous server left running`));
    const read = await postGraphQL(third.url, `{ namespace(name: "survivor") { name } }`);
    assert.deepEqual(read.data, { namespace: { name: 'survivor' } });
    assert.equal(await third.stop('SIGTERM'), 0);
    await noProcessLeft([join(dataDir, 'pg')], 'after SIGTERM');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
