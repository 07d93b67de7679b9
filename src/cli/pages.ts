import { type Connection, request } from './client.ts';

/** The largest page the API serves (docs/api.md); listings walk pages until the end. */
const PAGE_SIZE = 1000;

interface Page<T> {
  readonly nodes: T[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

/**
 * Every node of a connection field (`containers`, `checkpoints`) matching the filters, page after
 * page in the server's key order. `query` takes $filters, $first and $after.
 */
export async function listAll<T>(connection: Connection, query: string, field: string, filters: readonly string[]): Promise<T[]> {
  const all: T[] = [];
  let after: string | null = null;
  for (;;) {
    const result: Record<string, Page<T>> = await request<Record<string, Page<T>>>(connection, query, { filters, first: PAGE_SIZE, after });
    const page = result[field]!;
    all.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return all;
    after = page.pageInfo.endCursor;
  }
}
