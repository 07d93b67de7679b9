import { randomUUID } from 'node:crypto';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { type DocumentNode, getOperationAST } from 'graphql';
import { useAPQ } from '@graphql-yoga/plugin-apq';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { type CORSOptions, createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { Sql } from '../db/pool.ts';
import type { RequestContext } from '../resolvers/context.ts';
import type { EventHub } from '../resolvers/event-hub.ts';
import { BerthError, isErrorCode } from '../model/errors.ts';
import { schema } from '../schema/index.ts';
import { type Authenticator, scopeFor } from './auth.ts';
import type { Limits } from '../model/limits.ts';
import { maskError, requestErrorCodes } from './error-codes.ts';
import { queryLimitPlugins } from './limits.ts';
import { sharedSubscriptionEvents } from './shared-subscription-events.ts';
import { byteResponses } from './byte-responses.ts';
import { compressedHtmlPages } from './compressed-pages.ts';
import { storableTextInputs } from './text-inputs.ts';
import type { Metrics } from './metrics.ts';
import { requestedNamespace } from './request-scope.ts';

export interface HttpDeps {
  readonly db: Sql;
  readonly log: Logger;
  readonly defaultNamespace: string;
  readonly auth: Authenticator;
  readonly limits: Limits;
  readonly metrics: Metrics;
  readonly events: EventHub;
  /** Which other origins get CORS headers (src/server/origins.ts); Yoga's default allows all. */
  readonly cors: CORSOptions;
}

export type BerthYoga = YogaServerInstance<Record<string, unknown>, RequestContext>;

/** The query GraphiQL opens with: what Berth is and a first query to run. */
const GRAPHIQL_WELCOME = `# Welcome to Berth: containerd's container metadata as a GraphQL API.
#
# Write a query or mutation on the left and run it with the play button (Ctrl-Enter);
# the Docs panel lists every type and field. Requests go to the namespace in the
# berth-namespace header (the Headers pane below), or to a field's namespace argument.
#
# The containers of this namespace, with the cursor to watch them from:
{
  containers(first: 10) {
    nodes { containerId image labels { key value } }
    watchCursor
  }
}
`;

/** GraphQL over HTTP (and SSE) at /graphql, GraphiQL for browsers. */
export function createHttpHandler(deps: HttpDeps): BerthYoga {
  return createYoga<Record<string, unknown>, RequestContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    cors: deps.cors,
    graphiql: { title: 'Berth GraphiQL', defaultQuery: GRAPHIQL_WELCOME, headers: JSON.stringify({ 'berth-namespace': deps.defaultNamespace }) },
    // GraphiQL's page and scripts served by Berth itself, not fetched from a CDN: it works offline.
    renderGraphiQL,
    maskedErrors: { maskError: maskError(deps.log) },
    logging: false,
    batching: { limit: 10 },
    // app.ts refuses a POST without Content-Length or over BERTH_MAX_BODY_BYTES before Yoga sees it,
    // and Node's parser reads exactly Content-Length bytes, so Yoga's own counting stream (a
    // TransformStream per request) would only repeat that check.
    maxRequestBodySize: false,
    plugins: [
      browserCsrfPrevention(),
      // Apollo's automatic persisted queries, in memory per process: a replica that has not seen a
      // hash answers PersistedQueryNotFound and the client sends the query once more.
      useAPQ(),
      ...queryLimitPlugins(deps.limits),
      storableTextInputs(),
      // Compiles each validated query or mutation once into plain JavaScript (graphql-jit): a page
      // of 100 containers resolves its few thousand fields without the generic executor's
      // overhead. Subscriptions keep graphql-js: with graphql-jit's subscribe path the exactly-once
      // event tests hung.
      useGraphQlJit({}, { enableIf: (args) => !isSubscription(args.document, args.operationName) }),
      sharedSubscriptionEvents(),
      requestErrorCodes(),
      byteResponses(),
      requestMetrics(deps.metrics),
      compressedHtmlPages(),
    ],
    context: async ({ request }) => {
      const identity = await deps.auth.identify(request.headers.get('authorization'));
      const namespace = requestedNamespace(request.headers.get('berth-namespace'));
      const requestId = request.headers.get('x-request-id') ?? randomUUID();
      return {
        db: deps.db,
        identity,
        scope: scopeFor(identity, namespace, deps.defaultNamespace),
        limits: deps.limits,
        log: deps.log.child({ requestId }),
        events: deps.events,
      };
    },
  });
}

function isSubscription(document: DocumentNode, operationName: string | null | undefined): boolean {
  return getOperationAST(document, operationName)?.operation === 'subscription';
}

/**
 * Yoga's CSRF prevention, for requests a browser sends (they carry Origin or Sec-Fetch-*): a
 * cross-site page cannot add the custom header without a CORS preflight. Programs that are not
 * browsers (the CLI, curl, conformance tools) are not forced to send it. A refusal is
 * PERMISSION_DENIED, whose status (403) is the one Yoga gives it: the request is well formed, it
 * is just not allowed from a page of another site.
 */
function browserCsrfPrevention(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'berth-namespace', 'authorization'] });
  return {
    onRequestParse(payload) {
      const headers = payload.request.headers;
      if (!headers.has('origin') && !headers.has('sec-fetch-mode')) return;
      try {
        return csrf.onRequestParse?.(payload);
      } catch (error) {
        throw new BerthError('PERMISSION_DENIED', error instanceof Error ? error.message : String(error));
      }
    },
  };
}

/** Requests by operation and code, and their latency. */
function requestMetrics(metrics: Metrics): Plugin {
  const started = new WeakMap<Request, { at: number; operation: string }>();
  return {
    onRequest({ request }) {
      started.set(request, { at: performance.now(), operation: 'unknown' });
    },
    onParams({ params, request }) {
      const entry = started.get(request);
      if (entry) entry.operation = params.operationName ?? /^\s*(?:query|mutation|subscription)?\s*\{?\s*(\w+)/.exec(params.query ?? '')?.[1] ?? 'anonymous';
    },
    onResultProcess({ request, result }) {
      const entry = started.get(request);
      if (!entry || Array.isArray(result) || !('errors' in result || 'data' in result)) return;
      const code = result.errors?.map((e) => e.extensions?.code).find(isErrorCode) ?? (result.errors?.length ? 'INTERNAL' : 'OK');
      metrics.requests.inc({ operation: entry.operation, code });
      metrics.latency.observe({ operation: entry.operation }, (performance.now() - entry.at) / 1000);
    },
  };
}
