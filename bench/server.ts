import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpuSecondsOf, type Memory, memoryOf } from './proc.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The server under test, as its own process started the way `npm start` starts it (node with the
 * tsx loader, src/server/main.ts), on a free port (PORT=0), so its memory can be read from /proc.
 */
export class ServerProcess {
  private sampler: NodeJS.Timeout | undefined;
  private windowPeak = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly log: { text: string },
  ) {}

  static start(databaseUrl: string): Promise<ServerProcess> {
    // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server alone.
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, BERTH_LOG_LEVEL: process.env.BERTH_LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = { text: '' };
    // Keep draining both pipes for the server's whole life, or a chatty server would block.
    const keep = (chunk: Buffer) => (log.text = (log.text + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    if (process.env.BENCH_SERVER_OUTPUT) child.stderr?.pipe(process.stderr);
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null) => reject(new Error(`the server exited (${signal ?? code}) before serving:\n${log.text}`));
      const onData = () => {
        const match = /(http:\/\/\S+\/graphql)/.exec(log.text);
        if (!match?.[1]) return;
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve(new ServerProcess(child, match[1], log));
      };
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** What the server printed lately, for error messages. */
  get recentOutput(): string {
    return this.log.text;
  }

  memory(): Memory {
    return memoryOf(this.pid);
  }

  cpuSeconds(): number {
    return cpuSecondsOf(this.pid);
  }

  /** Starts a window in which VmRSS is sampled every 100 ms; endWindow returns its peak. */
  beginWindow(): void {
    this.endWindow();
    this.windowPeak = this.memory().rss;
    this.sampler = setInterval(() => {
      try {
        this.windowPeak = Math.max(this.windowPeak, this.memory().rss);
      } catch {
        // The process is gone; exit handling reports that.
      }
    }, 100);
  }

  endWindow(): number {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = undefined;
    try {
      this.windowPeak = Math.max(this.windowPeak, this.memory().rss);
    } catch {
      // As above.
    }
    return this.windowPeak;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM (the server drains), then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.endWindow();
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** SIGSTOP and SIGCONT, for the freeze scenario. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    if (this.alive) this.child.kill(signal);
  }

  /** For exit handlers that cannot wait. */
  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }
}
