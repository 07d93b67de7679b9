import { type Logger, pino } from 'pino';

/** Past this much unwritten log output, new lines are dropped rather than held. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

/**
 * The server's logger, on stdout, never able to block the process. pino's own destinations
 * either write synchronously or flush synchronously at exit, and both wait forever, in a futex,
 * on a pipe whose reader stopped reading: a server in that state ignored SIGTERM for minutes.
 * process.stdout writes to a pipe asynchronously, so lines go through it; while the reader is
 * stuck they are dropped past MAX_PENDING_BYTES, and once it is gone (EPIPE) they are dropped.
 */
export function createLogger(level: string): Logger {
  process.stdout.on('error', () => {});
  return pino(
    { level },
    {
      write: (line: string) => {
        if (process.stdout.writable && process.stdout.writableLength <= MAX_PENDING_BYTES) process.stdout.write(line);
      },
    },
  );
}
