import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { isErrorCode } from '../resolvers/errors.ts';

/**
 * Every error a client sees carries a code from the table in src/resolvers/errors.ts. Domain
 * errors already do. GraphQL's own request errors (syntax, validation, variable coercion) are the
 * client's fault: INVALID_ARGUMENT. Anything else is a bug or an outage: it is logged with an id
 * and masked as INTERNAL, so no SQL text or stack ever leaves the server.
 */
export function maskError(log: Logger) {
  return (error: unknown): Error => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (original instanceof GraphQLError && isErrorCode(original.extensions.code)) {
      return error instanceof GraphQLError ? withCode(error, original.extensions.code) : original;
    }
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

/** Yoga reports its own request errors (parse, validation, bad variables) with codes of its own. */
export function requestErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors) return;
      setResult({ ...result, errors: result.errors.map(requestError) });
    },
  };
}

/** A request error (syntax, validation, variables) keeps its own code, or is the client's fault. */
export function requestError(error: { message: string; extensions?: Record<string, unknown> }): GraphQLError {
  const deep = nestedTooDeeply(error);
  if (deep) return deep;
  return isErrorCode(error.extensions?.code) ? asGraphQLError(error) : withCode(asGraphQLError(error), 'INVALID_ARGUMENT');
}

/**
 * The stack overflowed on some input: a document nested deeper than BERTH_MAX_TOKENS lets through
 * should not exist, but if one gets that far it is too big, not a fault of the server.
 */
function nestedTooDeeply(error: unknown): GraphQLError | null {
  if (!(error instanceof RangeError && /call stack/.test(error.message))) return null;
  return new GraphQLError('the request is nested too deeply', { extensions: { code: 'RESOURCE_EXHAUSTED' } });
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

function asGraphQLError(error: { message: string }): GraphQLError {
  return error instanceof GraphQLError ? error : new GraphQLError(error.message);
}
