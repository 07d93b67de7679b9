import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StartupError } from './startup-error.ts';

export interface DataDirLock {
  release(): void;
}

/**
 * One Berth server per BERTH_DATA_DIR: `<dataDir>/server.pid` names the server that owns it. A
 * second server is told which process holds the folder; a file left by a server that died
 * (kill -9) names a process that is gone, and is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = join(dataDir, 'server.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => releaseIfOurs(file) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (holder > 0 && holder !== process.pid && (await isNodeProcess(holder))) {
      throw new StartupError(
        `BERTH_DATA_DIR ${dataDir} is in use by another Berth server (pid ${holder}): stop that server, or set BERTH_DATA_DIR to another folder (or DATABASE_URL to share a Postgres server)`,
      );
    }
    await unlink(file).catch(() => {});
  }
  throw new StartupError(
    `BERTH_DATA_DIR ${dataDir}: could not take ${file}: another server is starting on it; stop it, or set BERTH_DATA_DIR to another folder`,
  );
}

/** Synchronous, so that it also runs in an exit handler. */
function releaseIfOurs(file: string): void {
  try {
    if (Number(readFileSync(file, 'utf8').trim()) === process.pid) unlinkSync(file);
  } catch {
    // Already gone.
  }
}

/** Alive, and a Node process: a pid reused by something else after a reboot does not count. */
async function isNodeProcess(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  // Without /proc (macOS), a live pid is taken at its word.
  return commandLine === undefined || /node/.test(commandLine);
}
