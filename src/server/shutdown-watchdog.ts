import { Worker } from 'node:worker_threads';

/**
 * Enforces the shutdown deadline from a thread of its own: a timer on the main thread never fires
 * while that thread is stuck in a synchronous call, and servers stuck that way ignored SIGTERM
 * for minutes. After `deadlineMs` the worker asks the embedded Postgres (if any) to stop and kills
 * the process. The worker is unref'd, so a shutdown that finishes in time just exits.
 */
export function startShutdownWatchdog(deadlineMs: number, postgresPid: number | undefined): void {
  const worker = new Worker(WATCHDOG, { eval: true, workerData: { deadlineMs, pid: process.pid, postgresPid } });
  worker.unref();
}

const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
setTimeout(() => {
  try {
    writeSync(2, 'berth: shutdown did not finish within ' + workerData.deadlineMs / 1000 + ' s; killing the process\\n');
  } catch {}
  if (workerData.postgresPid) try { process.kill(workerData.postgresPid, 'SIGINT'); } catch {}
  process.kill(workerData.pid, 'SIGKILL');
}, workerData.deadlineMs);
`;
