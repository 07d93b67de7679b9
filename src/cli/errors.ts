import { CommanderError } from 'commander';

/**
 * How the berth command fails. Every failure is one line on stderr that starts with `berth: `,
 * and the exit status says whose fault it was (documented in `berth --help`):
 *   0  success
 *   1  the operation failed: the server reported an error (`berth: <CODE>: <message>`), the server
 *      could not be reached, or a local step failed
 *   2  the command line is wrong (`berth: <message>`), like a missing argument or unknown flag
 */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitStatus: typeof EXIT_FAILED | typeof EXIT_USAGE = EXIT_FAILED,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, EXIT_USAGE);

export function requiredRef(ref: string | undefined): string {
  if (!ref) throw usageError('ref must be provided');
  return ref;
}

/** A GraphQL error the server sent, with its extensions.code (docs/api.md "Errors"). */
export class ServerError extends CliError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export function printError(message: string): void {
  process.stderr.write(`berth: ${message}\n`);
}

/**
 * Runs `work` on each item in turn, as ctr's delete verbs do: a server error is printed and the
 * rest still run, and the command then fails. Anything else (the server unreachable) stops at once.
 */
export async function eachReportingFailures<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  for (const item of items) {
    await work(item).catch((error: unknown) => {
      if (!(error instanceof ServerError)) throw error;
      printError(error.message);
      process.exitCode = EXIT_FAILED;
    });
  }
}

/** Prints a failure and says which exit status it earns. */
export function report(error: unknown): number {
  // commander has already printed its own message (see configureOutput in main.ts), or help.
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
  if (error instanceof CliError) {
    printError(error.message);
    return error.exitStatus;
  }
  printError(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return EXIT_FAILED;
}
