import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { StartupError } from './startup-error.ts';

const run = promisify(execFile);

/** The user the embedded Postgres runs as, when Berth runs as root (Postgres refuses root). */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/**
 * As root, where Berth keeps what the `postgres` user must reach and a private folder of root's
 * would hide: a copy of the Postgres binaries, and clusters whose BERTH_DATA_DIR it cannot enter.
 */
export const SYSTEM_DIR = '/var/lib/berth';

/** Undefined when Berth is not root: then Postgres runs as Berth's own user. */
export async function postgresUser(): Promise<RunAs | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const existing = await lookUp('postgres');
  if (existing) return existing;
  try {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  } catch (error) {
    throw new StartupError(
      `running as root, the embedded Postgres needs a "postgres" system user and creating one failed (${firstLine(error)}): create it (useradd --system --user-group postgres), run as another user, or set DATABASE_URL`,
    );
  }
  const created = await lookUp('postgres');
  if (!created) throw new StartupError('running as root, the embedded Postgres needs a "postgres" system user: create one, or set DATABASE_URL');
  return created;
}

/** Whether `user` can reach `path` (search every folder on the way, and execute it if a file). */
export async function canReach(path: string, user: RunAs): Promise<boolean> {
  return run('test', ['-x', path], { uid: user.uid, gid: user.gid }).then(
    () => true,
    () => false,
  );
}

async function lookUp(name: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  } catch {
    return undefined;
  }
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
}
