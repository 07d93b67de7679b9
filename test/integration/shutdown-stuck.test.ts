import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { freshDatabase } from '../helpers/database.ts';
import { ROOT, startServerProcess } from '../helpers/process.ts';
import { postGraphQL } from '../helpers/server.ts';

/**
 * The worst moment to be asked to stop: whoever read the server's stdout has gone (a supervisor
 * or terminal that died) and so has its database. SIGTERM must still end it, exit 0. The test's
 * timeout, well above the 30 s shutdown deadline, is the bound.
 */
test('SIGTERM stops a server whose stdout reader and database are gone', { timeout: 90_000 }, async () => {
  const db = await freshDatabase();
  const server = await startServerProcess({ DATABASE_URL: db.url, BERTH_LOG_LEVEL: 'debug' });
  const before = await postGraphQL(server.url, `{ namespaces { name } }`);
  assert.equal(before.errors, undefined, JSON.stringify(before.errors));

  server.child.stdout?.destroy();
  await db.drop();
  // No request after the drop: postgres.js 3.4.9 can crash the process on the next statement
  // (a write on a connection whose socket is gone), which is not what this test is about. The
  // shutdown's own log lines go to the dead stdout.
  assert.equal(await server.stop('SIGTERM'), 0, server.output());
});

/**
 * A reader still there but no longer reading: the pipe is full, and a synchronous log write waits
 * forever (servers in that state ignored SIGTERM for minutes). The server's stdout is a named pipe
 * that the test opens but never reads, and fills itself until the pipe refuses more.
 */
test('SIGTERM stops a server whose stdout pipe is full and whose database is gone', { timeout: 90_000 }, async () => {
  const db = await freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'berth-fifo-'));
  const fifo = join(dir, 'stdout');
  execFileSync('mkfifo', [fifo]);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const stdout = openSync(fifo, constants.O_WRONLY);
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), BERTH_LOG_LEVEL: 'debug' },
    stdio: ['ignore', stdout, 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await serving(`http://127.0.0.1:${port}/readyz`, () => stderr);
    const filler = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      for (;;) writeSync(filler, Buffer.alloc(4096, 10));
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'EAGAIN', 'the pipe is full');
    } finally {
      closeSync(filler);
    }
    await db.drop();
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  } finally {
    child.kill('SIGKILL');
    for (const fd of [reader, stdout]) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});

async function serving(url: string, output: () => string): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 200) {
    if (
      await fetch(url).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await sleep(200);
  }
  throw new Error(`${url} did not answer within 60 s:\n${output()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
