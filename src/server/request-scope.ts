import type { Scope } from '../db/transaction.ts';
import { invalidArgument } from '../resolvers/errors.ts';
import { identifierProblem } from '../resolvers/validate.ts';

/**
 * The namespace a request works in: the `berth-namespace` header (or graphql-ws connectionParams
 * `namespace`), else the configured default. Without authentication every namespace is readable.
 */
export function requestScope(requested: string | null | undefined, defaultNamespace: string): Scope {
  const namespace = requested ?? defaultNamespace;
  const problem = identifierProblem(namespace);
  if (problem) throw invalidArgument(`namespace validation: ${problem}`);
  return { namespace, readable: '*' };
}
