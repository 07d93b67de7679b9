/**
 * One status line for long phases. On a terminal it is rewritten in place; elsewhere (CI, the
 * quick test) it prints at most one line every few seconds, so logs stay readable.
 */
export class Progress {
  private lastPrinted = 0;
  private open = false;
  private readonly tty = Boolean(process.stderr.isTTY);

  update(phase: string, text: string): void {
    const line = `[${phase}] ${text}`;
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 120) - 1)}`);
      this.open = true;
      return;
    }
    const now = performance.now();
    if (now - this.lastPrinted < 5000) return;
    this.lastPrinted = now;
    process.stderr.write(`${line}\n`);
  }

  /** Ends the current status line with a permanent one. */
  done(phase: string, text: string): void {
    if (this.tty && this.open) process.stderr.write('\r\x1b[2K');
    this.open = false;
    this.lastPrinted = 0;
    process.stderr.write(`[${phase}] ${text}\n`);
  }
}
