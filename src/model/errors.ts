/**
 * The code table: every failure a client sees carries one of these in `extensions.code`. The
 * HTTP status applies where a failure ends a whole request (a response without `data`);
 * src/server/error-codes.ts is the one edge that turns these errors into GraphQL errors.
 */
export const ERROR_CODES = {
  INVALID_ARGUMENT: { status: 400, meaning: 'the request is malformed or breaks a validation rule' },
  NOT_FOUND: { status: 404, meaning: 'the named object does not exist' },
  ALREADY_EXISTS: { status: 409, meaning: 'an object with that name exists' },
  FAILED_PRECONDITION: { status: 412, meaning: 'the system is not in the state the operation needs' },
  ABORTED: { status: 409, meaning: 'expectedRevision differs from the stored revision' },
  OUT_OF_RANGE: { status: 400, meaning: 'the event cursor is older than the retention window' },
  UNAUTHENTICATED: { status: 401, meaning: 'no valid credentials' },
  PERMISSION_DENIED: { status: 403, meaning: 'the credentials do not allow this namespace or operation' },
  RESOURCE_EXHAUSTED: { status: 429, meaning: 'a limit was hit: depth, cost, size, rate, page size' },
  INTERNAL: { status: 500, meaning: 'an unexpected failure; the message is masked and logged with an id' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/**
 * A domain failure: its message is meant for the client, its code for the client's program, and
 * its details (a revision, a cursor) travel beside the code in `extensions`. It knows nothing of
 * GraphQL, so every layer below the API may throw it.
 */
export class BerthError extends Error {
  override readonly name = 'BerthError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string) => new BerthError('INVALID_ARGUMENT', message);
export const notFound = (message: string) => new BerthError('NOT_FOUND', message);
export const alreadyExists = (message: string) => new BerthError('ALREADY_EXISTS', message);
export const failedPrecondition = (message: string) => new BerthError('FAILED_PRECONDITION', message);
