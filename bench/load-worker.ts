import { runBaseline } from './baseline.ts';
import type { FromWorker, Job, JobResult, ToWorker } from './protocol.ts';
import { runRaw } from './raw-baseline.ts';
import { runFanout } from './scenarios/fanout.ts';
import { runHttp } from './scenarios/http.ts';
import { runIdleSubscribers } from './scenarios/idle-subscribers.ts';

/**
 * The load process: spawned by bench/load.ts with an IPC channel, it runs one job at a time and
 * answers each with one result. Keeping load in its own process means the client's CPU and
 * memory are never counted as the server's, and the orchestrator stays responsive for progress.
 */
if (!process.send) throw new Error('bench/load-worker.ts runs as a child of bench/main.ts (it needs an IPC channel)');

const send = (message: FromWorker) => process.send!(message);
const progress = (text: string) => send({ type: 'progress', text });
let release: (() => void) | undefined;

process.on('message', (message: ToWorker) => {
  if (message.type === 'release') return release?.();
  run(message.job).then(
    (result) => send({ type: 'result', result }),
    (error: unknown) => send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
// The orchestrator is gone (even if it was killed): nothing left to do.
process.on('disconnect', () => process.exit(0));

function run(job: Job): Promise<JobResult> {
  switch (job.kind) {
    case 'http':
      return runHttp(job, progress);
    case 'baseline':
      return runBaseline(job, progress);
    case 'raw':
      return runRaw(job, progress);
    case 'fanout':
      return runFanout(job, progress);
    case 'idle-subscribers':
      return runIdleSubscribers(job, progress, () => {
        send({ type: 'ready' });
        return new Promise<void>((resolve) => (release = resolve));
      });
  }
}
