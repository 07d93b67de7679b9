import { invalidArgument } from '../resolvers/errors.ts';
import { identifierProblem } from '../resolvers/validate.ts';

/**
 * The namespace a request names: the `berth-namespace` header (graphql-ws connectionParams
 * `namespace` arrive as that header too), or null when it names none. It must be an identifier.
 */
export function requestedNamespace(header: string | null | undefined): string | null {
  if (header == null) return null;
  const problem = identifierProblem(header);
  if (problem) throw invalidArgument(`namespace validation: ${problem}`);
  return header;
}
