/**
 * One GraphQL request over HTTP as a client under faults sees it: an answer (with its status,
 * first error code and Retry-After), or the network error that stood in for one. Never throws.
 */
export interface Attempt {
  readonly status: number;
  readonly data?: any;
  readonly code?: string;
  readonly message?: string;
  readonly retryAfter?: string | null;
  /** Set when no answer came: the error's code (ECONNREFUSED: nothing was sent), or its name. */
  readonly networkError?: string;
}

export async function attempt(url: string, query: string, timeoutMs = 30_000, variables?: Record<string, unknown>): Promise<Attempt> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
    const error = body.errors?.[0];
    return {
      status: response.status,
      data: body.data,
      code: error?.extensions?.code,
      message: error?.message,
      retryAfter: response.headers.get('retry-after'),
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { status: 0, networkError: cause?.code ?? (error as Error).name };
  }
}
