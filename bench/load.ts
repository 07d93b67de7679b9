import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromWorker, Job, JobResult, ToWorker } from './protocol.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface LoadHooks {
  progress(text: string): void;
  /** idle-subscribers: called once all subscribers are connected; resolve to let them go. */
  ready?(): Promise<void>;
}

/** The orchestrator's handle on the load process (bench/load-worker.ts). */
export class LoadProcess {
  private constructor(private readonly child: ChildProcess) {}

  static start(): LoadProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load-worker.ts'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new LoadProcess(child);
  }

  run(job: Job, hooks: LoadHooks): Promise<JobResult> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        reject(new Error(`the load process exited (${signal ?? code}) during a ${job.kind} job`));
      };
      const onMessage = (message: FromWorker) => {
        switch (message.type) {
          case 'progress':
            return hooks.progress(message.text);
          case 'ready':
            return void (hooks.ready ?? (async () => {}))().then(() => this.send({ type: 'release' }));
          case 'result':
            cleanup();
            return resolve(message.result);
          case 'failed':
            cleanup();
            return reject(new Error(`load process: ${message.message}`));
        }
      };
      const cleanup = () => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.send({ type: 'job', job });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
  }

  private send(message: ToWorker): void {
    this.child.send(message);
  }
}
