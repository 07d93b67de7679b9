import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Sql } from '../db/pool.ts';
import type { RequestContext } from '../resolvers/context.ts';
import { schema } from '../schema/index.ts';
import { maskError, requestErrorCodes } from './error-codes.ts';
import { requestScope } from './request-scope.ts';

export interface HttpDeps {
  readonly db: Sql;
  readonly log: Logger;
  readonly defaultNamespace: string;
}

export type BerthYoga = YogaServerInstance<Record<string, unknown>, RequestContext>;

/** GraphQL over HTTP (and SSE) at /graphql, GraphiQL for browsers. */
export function createHttpHandler(deps: HttpDeps): BerthYoga {
  return createYoga<Record<string, unknown>, RequestContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'Berth', headers: JSON.stringify({ 'berth-namespace': deps.defaultNamespace }) },
    maskedErrors: { maskError: maskError(deps.log) },
    logging: false,
    plugins: [requestErrorCodes()],
    context: ({ request }) => ({
      db: deps.db,
      log: deps.log,
      scope: requestScope(request.headers.get('berth-namespace'), deps.defaultNamespace),
    }),
  });
}
