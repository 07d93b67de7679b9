/**
 * A start-up failure the operator can fix. Its message names the setting and the fix, and the
 * server prints it as one line (startupFailure), without a stack unless BERTH_LOG_LEVEL=debug.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** The line a failed start prints on stderr; other errors than StartupError still fit on it. */
export function startupFailure(error: unknown, logLevel: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = error instanceof StartupError ? `berth: ${message}` : `berth: could not start: ${message.split('\n')[0]}`;
  const verbose = logLevel === 'debug' || logLevel === 'trace';
  return verbose && error instanceof Error && error.stack ? `${line}\n${error.stack}` : line;
}
