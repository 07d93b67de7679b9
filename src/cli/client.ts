import { CliError, ServerError } from './errors.ts';

/** Where and as whom the CLI talks to a Berth server (the global flags, README "The CLI"). */
export interface Connection {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  readonly address: string;
  readonly namespace: string;
  readonly token?: string;
}

interface GraphQLResponse<T> {
  readonly data?: T | null;
  readonly errors?: readonly { readonly message: string; readonly extensions?: { readonly code?: unknown } }[];
}

/**
 * One GraphQL request over HTTP POST. The first error the server reports becomes a ServerError
 * with its code; a server that cannot be reached or does not answer GraphQL is a CliError.
 */
export async function request<T>(connection: Connection, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(connection.address, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        'berth-namespace': connection.namespace,
        ...(connection.token ? { authorization: `Bearer ${connection.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new CliError(`cannot reach ${connection.address}: ${causeOf(error)}`);
  }
  const body = (await response.json().catch(() => null)) as GraphQLResponse<T> | null;
  const [first] = body?.errors ?? [];
  if (first) throw new ServerError(typeof first.extensions?.code === 'string' ? first.extensions.code : 'UNKNOWN', first.message);
  if (!body?.data) throw new CliError(`${connection.address} answered HTTP ${response.status} without a GraphQL result`);
  return body.data;
}

/** fetch hides the reason (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
