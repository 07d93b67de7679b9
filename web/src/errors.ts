import type { CombinedError } from '@urql/core';

/** Berth's error codes (extensions.code) and how the console reads them off urql's errors. */

export function errorCode(error: CombinedError | undefined | null): string | null {
  if (!error) return null;
  const coded = error.graphQLErrors.find((e) => typeof e.extensions?.code === 'string');
  if (coded) return coded.extensions.code as string;
  const status = (error.response as Response | undefined)?.status;
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  return null;
}

/** The server's own message, without urql's "[GraphQL] " prefix. */
export function errorMessage(error: CombinedError | undefined | null): string {
  if (!error) return '';
  if (error.graphQLErrors.length > 0) return error.graphQLErrors.map((e) => e.message).join('; ');
  return error.networkError ? `cannot reach Berth: ${error.networkError.message}` : error.message;
}
