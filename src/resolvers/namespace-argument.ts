import { requireNamespace } from './authorize.ts';
import type { RequestContext } from './context.ts';
import { invalidArgument } from '../model/errors.ts';
import { identifierProblem } from './validate.ts';

/**
 * A field's `namespace` argument: it overrides the request namespace (the header, or graphql-ws
 * connectionParams) for that field alone, with the same validation and authorization, so one
 * document may read several namespaces. Absent, the request's own scope stands.
 */
export function inNamespace(ctx: RequestContext, namespace: string | null | undefined): RequestContext {
  if (namespace == null || namespace === ctx.scope.namespace) return ctx;
  assertNamespaceName(namespace);
  requireNamespace(ctx.identity, namespace);
  return { ...ctx, scope: { namespace, readable: ctx.scope.readable } };
}

/** The rule for a namespace named by a client, wherever it names one. */
export function assertNamespaceName(namespace: string): void {
  const problem = identifierProblem(namespace);
  if (problem) throw invalidArgument(`namespace validation: ${problem}`);
}
