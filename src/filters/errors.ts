/**
 * Errors raised while parsing filters. Both map to gRPC/GraphQL
 * INVALID_ARGUMENT; callers can rely on `code` instead of the class.
 */

export type FilterErrorCode = 'INVALID_ARGUMENT';

/**
 * A filter string that containerd's parser would reject, or (a Berth
 * deviation) one whose ~= operand is not a regex Berth can run. The message
 * is containerd's Parse error text, without ParseAll's ": invalid argument".
 */
export class FilterParseError extends Error {
  readonly code: FilterErrorCode = 'INVALID_ARGUMENT';
  override readonly name = 'FilterParseError';

  constructor(
    message: string,
    readonly input: string,
    readonly position: number, // byte offset into the UTF-8 input
    readonly reason: string, // the part after "]: "
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An RE2 pattern that RE2 rejects, or that Berth cannot translate. */
export class RegexError extends Error {
  readonly code: FilterErrorCode = 'INVALID_ARGUMENT';
  override readonly name = 'RegexError';

  constructor(
    readonly pattern: string,
    readonly reason: string,
    readonly unsupported: boolean, // true: valid RE2, but outside Berth's subset
  ) {
    super(`invalid regular expression ${JSON.stringify(pattern)}: ${reason}`);
  }
}
