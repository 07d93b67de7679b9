import { assertNamespaceName } from '../resolvers/namespace-argument.ts';

/**
 * The namespace a request names: the `berth-namespace` header (graphql-ws connectionParams
 * `namespace` arrive as that header too), or null when it names none. It must be an identifier.
 */
export function requestedNamespace(header: string | null | undefined): string | null {
  if (header == null) return null;
  assertNamespaceName(header);
  return header;
}
