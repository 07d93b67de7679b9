import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The console (web/) is built by Vite into web/dist: at `npm install` (the `prepare` script) and,
 * when that did not happen or the sources changed since, at server start. The built files are
 * never committed. A stamp in web/dist holds a hash of everything the build reads, so a start
 * with current files costs one hash of a few dozen small files.
 */
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));
export const CONSOLE_DIST = join(WEB_ROOT, 'dist');
const STAMP = 'build-hash.txt';
const LOCKFILE = fileURLToPath(new URL('../../package-lock.json', import.meta.url));

/** A hash of the console's sources and of the locked dependency versions that go into the bundle. */
export async function consoleSourceHash(): Promise<string> {
  const entries = await readdir(WEB_ROOT, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !relative(WEB_ROOT, file).startsWith('dist'))
    .sort();
  const hash = createHash('sha256');
  for (const file of [...files, LOCKFILE])
    hash
      .update(relative(WEB_ROOT, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  return hash.digest('hex');
}

export async function consoleIsCurrent(): Promise<boolean> {
  const stamp = await readFile(join(CONSOLE_DIST, STAMP), 'utf8').catch(() => null);
  return stamp === (await consoleSourceHash());
}

/** Builds web/dist unless it is current. Returns whether it built. */
export async function ensureConsoleBuilt(say: (line: string) => void = () => {}): Promise<boolean> {
  if (await consoleIsCurrent()) return false;
  say('building the console (web/ → web/dist)');
  const hash = await consoleSourceHash();
  // Built beside, then moved into place: a server reading web/dist never sees half a build.
  const staging = join(WEB_ROOT, `dist.building-${process.pid}`);
  // Vite is needed only here, so a start with a current build never loads it.
  const { build } = await import('vite');
  await build({ root: WEB_ROOT, configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
  await writeFile(join(staging, STAMP), hash);
  await rm(CONSOLE_DIST, { recursive: true, force: true });
  try {
    await rename(staging, CONSOLE_DIST);
  } catch (error) {
    // Another process (a second server, a parallel test) built the same sources and moved first.
    await rm(staging, { recursive: true, force: true });
    if (!(await consoleIsCurrent())) throw error;
  }
  return true;
}
