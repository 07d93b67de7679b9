import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How long a server may take to print its URL: an embedded Postgres's first initdb is slow on a loaded machine. */
const SERVING_TIMEOUT_MS = 120_000;

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Signals it (SIGTERM by default), then the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ProcessOptions {
  /** The program and its arguments; `node --import tsx src/server/main.ts` by default. */
  readonly command?: readonly string[];
  readonly cwd?: string;
}

/** Starts the server as its own process, as `npm start` does, and waits for its URL line. */
export function startServerProcess(env: Record<string, string | undefined>, options: ProcessOptions = {}): Promise<ServerProcess> {
  const [file, ...args] = options.command ?? [process.execPath, '--import', 'tsx', 'src/server/main.ts'];
  const child = spawn(file!, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server printed no URL within ${SERVING_TIMEOUT_MS / 1000} s:\n${output}`));
    }, SERVING_TIMEOUT_MS);
    const onData = () => {
      const match = /(http:\/\/\S+\/graphql)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({
        child,
        url: match[1],
        output: () => output,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before serving:\n${output}`));
    });
  });
}

/** A port free right now on 127.0.0.1, for a server that must come back on the same port after a restart. */
export function freePort(): Promise<number> {
  const probe = createServer();
  return new Promise((resolve) =>
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    }),
  );
}

/** Runs the server expecting it to fail at start: its exit code and what it printed. */
export function failedStart(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server neither failed nor exited within ${SERVING_TIMEOUT_MS / 1000} s:\n${output}`));
    }, SERVING_TIMEOUT_MS);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Processes whose command line mentions, or whose working folder is inside, one of `paths` (Linux /proc). */
export function processesUsing(paths: readonly string[]): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)) {
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      if (!commandLine || /^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) continue;
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (paths.some((path) => commandLine.includes(path) || cwd.startsWith(path))) found.push(`${pid}: ${commandLine}`);
    } catch {
      // Ended while being read.
    }
  }
  return found;
}

/** Waits (bounded) until no process uses `paths`; fails listing those still there. */
export async function noProcessLeft(paths: readonly string[], what: string): Promise<void> {
  for (let waited = 0; ; waited += 100) {
    const left = processesUsing(paths);
    if (left.length === 0) return;
    if (waited >= 15_000) throw new Error(`${what}: processes still running after 15 s:\n${left.join('\n')}`);
    await sleep(100);
  }
}
