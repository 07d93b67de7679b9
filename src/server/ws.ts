import type { Server } from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { BerthError, invalidArgument, isErrorCode } from '../model/errors.ts';
import { requestError, toGraphQLError } from './error-codes.ts';
import type { Authenticator } from './auth.ts';
import type { OriginPolicy } from './origins.ts';
import type { BerthYoga } from './http.ts';

export interface WebSocketTransport {
  /** Closes every socket with 1001 (going away); their subscriptions end with them. */
  close(): Promise<void>;
}

/** What Yoga's envelop hands each operation to run with: its plugins wrap both. */
interface EnvelopedRoot {
  execute(args: ExecutionArgs): unknown;
  subscribe(args: ExecutionArgs): unknown;
}

/**
 * graphql-transport-ws (graphql-ws) at /graphql on the HTTP server's port, wired through Yoga's
 * envelop as Yoga's docs show: each operation runs with the same plugins (limits, error masking)
 * and the same context factory as over HTTP. A WebSocket cannot carry headers, so its
 * connectionParams stand in for them (docs/api.md): `namespace` for berth-namespace, `authorization`
 * for Authorization. They become the headers of the Request the context factory reads, so both
 * transports settle identity and scope by the same code.
 */
export interface WebSocketOptions {
  readonly auth: Authenticator;
  /** Browsers open WebSockets to any site, without CORS: the handshake is where pages are refused. */
  readonly origins: OriginPolicy;
  readonly maxSubscriptionsPerConnection: number;
}

/** graphql-ws's close code for a refused connection; Berth also uses it when a token expires. */
const FORBIDDEN = 4403;

export function serveWebSockets(server: Server, yoga: BerthYoga, options: WebSocketOptions): WebSocketTransport {
  const expiries = new WeakMap<object, NodeJS.Timeout>();
  // noServer, with the upgrade routed here: given the HTTP server itself, ws would re-emit its
  // errors (a port in use, say) as WebSocket server errors, which graphql-ws reports as its own.
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://upgrade').pathname !== yoga.graphqlEndpoint) return void socket.destroy();
    const forbidden = options.origins.refusal(request.headers);
    if (forbidden) return void socket.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${forbidden}\n`);
    sockets.handleUpgrade(request, socket, head, (websocket) => sockets.emit('connection', websocket, request));
  });
  const { dispose } = useServer(
    {
      // Internal errors close a socket with a fixed reason, never the error's own text.
      isProd: true,
      // With auth on, the token is checked once at connection_init (a refusal closes with 4403),
      // and the socket is closed with 4403 when the token expires. Each operation still settles
      // its scope through the context factory, like an HTTP request.
      onConnect: async (ctx) => {
        if (!options.auth.enabled) return true;
        const authorization = ctx.connectionParams?.authorization;
        let identity;
        try {
          identity = await options.auth.identify(typeof authorization === 'string' ? authorization : null);
        } catch {
          return false;
        }
        if (identity.expiresAt !== null) {
          const timer = setTimeout(() => ctx.extra.socket.close(FORBIDDEN, 'token expired'), Math.max(0, identity.expiresAt - Date.now()));
          timer.unref();
          expiries.set(ctx.extra.socket, timer);
        }
        return true;
      },
      onClose: (ctx) => clearTimeout(expiries.get(ctx.extra.socket)),
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        // graphql-ws has already entered this operation in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerConnection) {
          const limit = options.maxSubscriptionsPerConnection;
          return [
            toGraphQLError(new BerthError('RESOURCE_EXHAUSTED', `this connection already has ${limit} subscriptions (BERTH_MAX_SUBSCRIPTIONS_PER_CONNECTION)`)),
          ];
        }
        const headers = connectionHeaders(ctx.connectionParams);
        if (headers instanceof BerthError) return [toGraphQLError(headers)];
        const request = new Request(`http://websocket${yoga.graphqlEndpoint}`, { headers });
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
          request,
        });
        let document;
        try {
          document = parse(params.query);
        } catch (error) {
          return [requestError(error as GraphQLError)];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors.map(requestError);
        let contextValue;
        try {
          contextValue = await contextFactory();
        } catch (error) {
          // UNAUTHENTICATED, PERMISSION_DENIED, a bad namespace (already masked, so coded): the
          // operation fails and the socket stays.
          if (error instanceof BerthError) return [toGraphQLError(error)];
          if (error instanceof GraphQLError && isErrorCode(error.extensions.code)) return [error];
          throw error;
        }
        return { schema, operationName: params.operationName, document, variableValues: params.variables, contextValue, rootValue: { execute, subscribe } };
      },
    },
    sockets,
  );
  return { close: async () => void (await dispose()) };
}

const PARAM_HEADERS = [
  ['namespace', 'berth-namespace'],
  ['authorization', 'authorization'],
] as const;

function connectionHeaders(params: Readonly<Record<string, unknown>> | undefined): Headers | BerthError {
  const headers = new Headers();
  for (const [param, header] of PARAM_HEADERS) {
    const value = params?.[param];
    if (value == null) continue;
    if (typeof value !== 'string') return invalidArgument(`connectionParams.${param} must be a string`);
    try {
      headers.set(header, value);
    } catch {
      return invalidArgument(`connectionParams.${param} holds characters a header cannot`);
    }
  }
  return headers;
}
