import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { BerthError, ERROR_CODES, isErrorCode } from '../model/errors.ts';

/**
 * Every error a client sees carries a code from the table in src/model/errors.ts. Domain
 * errors (BerthError) become GraphQL errors here and nowhere else. GraphQL's own request errors
 * (syntax, validation, variable coercion) are the client's fault: INVALID_ARGUMENT. Anything else
 * is a bug or an outage: it is logged with an id and masked as INTERNAL, so no SQL text or stack
 * ever leaves the server.
 */
export function maskError(log: Logger) {
  return (error: unknown): Error => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (original instanceof BerthError) return toGraphQLError(original, error instanceof GraphQLError ? error : undefined);
    // graphql-jit's request errors (variable coercion) are GraphQLErrors without extensions.
    const code = original instanceof GraphQLError ? original.extensions?.code : undefined;
    if (statusOf(code) !== undefined) return error instanceof GraphQLError ? withCode(error, code as string) : (original as Error);
    if (error instanceof GraphQLError && !error.originalError) return withCode(error, 'INVALID_ARGUMENT');
    const deep = nestedTooDeeply(original);
    if (deep) return deep;
    const errorId = randomUUID();
    log.error({ err: original, errorId }, 'internal error');
    return new GraphQLError(`internal error, logged with id ${errorId}`, {
      ...(error instanceof GraphQLError ? { nodes: error.nodes, path: error.path } : {}),
      extensions: { code: 'INTERNAL', errorId },
    });
  };
}

/**
 * Yoga reports its own request errors (parse, validation, bad variables) with codes of its own;
 * here they get Berth's. A result with no `data` is a request error, and its HTTP status comes
 * from the code table: this is the one place that sets a status from a code (GraphQL over HTTP
 * asks for 4xx there under application/graphql-response+json). A result with data is 200.
 */
export function requestErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors) return;
      const errors = result.errors.map(requestError);
      if ('data' in result && result.data !== undefined) return setResult({ ...result, errors });
      const status = errors.map((error) => statusOf(error.extensions.code)).find((found) => found !== undefined) ?? 400;
      setResult({ ...result, errors, extensions: { ...result.extensions, http: { status } } });
    },
  };
}

/**
 * Apollo's automatic persisted queries: its link recognises these codes by name and answers
 * PERSISTED_QUERY_NOT_FOUND by sending the query along, so they keep their names and the
 * statuses @graphql-yoga/plugin-apq gives them (404 is not one that makes Apollo give up on APQ).
 */
const PERSISTED_QUERY_CODES: Record<string, number> = { PERSISTED_QUERY_NOT_FOUND: 404, PERSISTED_QUERY_MISMATCH: 400 };

function statusOf(code: unknown): number | undefined {
  if (isErrorCode(code)) return ERROR_CODES[code].status;
  return typeof code === 'string' ? PERSISTED_QUERY_CODES[code] : undefined;
}

/** A request error (syntax, validation, variables) keeps its own code, or is the client's fault. */
export function requestError(error: { message: string; extensions?: Record<string, unknown> }): GraphQLError {
  if (error instanceof BerthError) return toGraphQLError(error);
  const deep = nestedTooDeeply(error);
  if (deep) return deep;
  const code = error.extensions?.code;
  return withCode(asGraphQLError(error), statusOf(code) !== undefined ? (code as string) : 'INVALID_ARGUMENT');
}

/**
 * The stack overflowed on some input: a document nested deeper than BERTH_MAX_TOKENS lets through
 * should not exist, but if one gets that far it is too big, not a fault of the server.
 */
function nestedTooDeeply(error: unknown): GraphQLError | null {
  if (!(error instanceof RangeError && /call stack/.test(error.message))) return null;
  return new GraphQLError('the request is nested too deeply', { extensions: { code: 'RESOURCE_EXHAUSTED' } });
}

/** A domain failure as a GraphQL error, located where `located` was: its code and details in extensions. */
export function toGraphQLError(error: BerthError, located?: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions: { ...error.details, code: error.code },
  });
}

/**
 * The error with a code of the table. Yoga's own `http` extension goes (the status is the
 * table's), and so does the original error of a request error: for malformed JSON it is the
 * parser's SyntaxError, whose text the message already carries.
 */
function withCode(error: GraphQLError, code: string): GraphQLError {
  const { http: _http, originalError: _original, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.path ? error.originalError : undefined,
    extensions: { ...extensions, code },
  });
}

function asGraphQLError(error: { message: string }): GraphQLError {
  return error instanceof GraphQLError ? error : new GraphQLError(error.message);
}
