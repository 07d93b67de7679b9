import { readFileSync } from 'node:fs';

/** What /proc says about a process (Linux only, like the rest of the harness's measurements). */

export interface Memory {
  /** Resident set size now (VmRSS), in bytes. */
  readonly rss: number;
  /** The process's peak resident set size so far (VmHWM), in bytes. */
  readonly hwm: number;
}

export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** Clock ticks per second for /proc/<pid>/stat; 100 on every Linux this runs on (USER_HZ). */
const TICKS_PER_SECOND = 100;

/**
 * User + system CPU seconds the process has used so far. On a shared machine, CPU used per
 * operation says more than wall-clock throughput, and it tells whether the load process itself
 * was the bottleneck.
 */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis don't.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, so 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
