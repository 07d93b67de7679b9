import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { within } from './bounded.ts';
import { ROOT } from './process.ts';

/** Runs the real `berth` binary (bin/berth.js) as a child process, as a user would. */

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `env` is added to a clean environment: the BERTH_* variables of the test process are removed
 * so that only what a test sets reaches the CLI.
 */
export function berth(args: readonly string[], env: Record<string, string> = {}, stdin?: string): Promise<CliResult> {
  const child = spawn(process.execPath, ['bin/berth.js', ...args], { cwd: ROOT, env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('BERTH_')));
  return { ...clean, ...env };
}

/** ctr's documented tables mark trailing spaces with `·`; tests write tables the same way. */
/** The stdout of a run that must succeed: status 0 and nothing on stderr. */
export function succeeded(result: CliResult): string {
  assert.equal(result.stderr, '');
  assert.equal(result.status, 0);
  return result.stdout;
}

export const dots = (text: string) => text.replaceAll('·', ' ');

export interface RunningCli {
  /** Resolves with stdout once it holds `count` lines; fails, showing what it printed, if it never does. */
  lines(count: number): Promise<string>;
  /** Sends `signal` and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<CliResult>;
}

/** Starts `berth` and leaves it running, for verbs that stream (`events`). */
export function startBerth(args: readonly string[], env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, ['bin/berth.js', ...args], { cwd: ROOT, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    waiters.forEach((wake) => wake());
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    lines: (count) =>
      within(
        new Promise<string>((resolve, reject) => {
          const check = () => {
            if (stdout.split('\n').length - 1 >= count) resolve(stdout);
          };
          waiters.push(check);
          void exited.then((status) => reject(new Error(`berth exited with ${status} before printing ${count} lines:\n${stdout}${stderr}`)));
          check();
        }),
        `berth ${args.join(' ')} to print ${count} lines`,
      ).catch((error: Error) => {
        child.kill('SIGKILL'); // a failed test must not leave a follower running
        throw new Error(`${error.message}; it printed ${stdout.split('\n').length - 1}:\n${stdout}${stderr}`);
      }),
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal);
      return { status: await exited, stdout, stderr };
    },
  };
}
