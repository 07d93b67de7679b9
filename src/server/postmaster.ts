import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What `<cluster>/postmaster.pid` says: Postgres writes it when it starts, puts "ready" on its
 * eighth line once it accepts connections (what pg_ctl waits for), and removes it when it stops.
 */
export interface PostmasterStatus {
  readonly pid: number;
  readonly ready: boolean;
}

export async function postmasterStatus(cluster: string): Promise<PostmasterStatus | undefined> {
  const text = await readFile(join(cluster, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  return pid > 0 ? { pid, ready: lines[7]?.trim() === 'ready' } : undefined;
}

/** A postmaster.pid left behind by a Postgres that is still running: it outlived its server. */
export async function runningPostmaster(cluster: string): Promise<number | undefined> {
  const status = await postmasterStatus(cluster);
  if (!status || !alive(status.pid)) return undefined;
  const commandLine = await readFile(`/proc/${status.pid}/cmdline`, 'utf8').catch(() => undefined);
  return commandLine === undefined || commandLine.includes('postgres') ? status.pid : undefined;
}

/** Fast shutdown (SIGINT); immediate shutdown (SIGQUIT) if that takes longer than 20 s. */
export async function stopPostmaster(pid: number): Promise<void> {
  signal(pid, 'SIGINT');
  for (let waited = 0; alive(pid); waited += 100) {
    if (waited === 20_000) signal(pid, 'SIGQUIT');
    if (waited >= 40_000) throw new Error(`Postgres (pid ${pid}) did not stop`);
    await sleep(100);
  }
}

/** A zombie (exited, not yet reaped by its new parent) counts as stopped. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
}
