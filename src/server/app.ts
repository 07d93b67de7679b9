import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { reachable, type Sql } from '../db/pool.ts';
import { admissionControl } from './admission.ts';
import { createAuthenticator } from './auth.ts';
import { consoleAssets } from './console-assets.ts';
import type { Config } from './config.ts';
import { fairDispatch } from './fair-dispatch.ts';
import { createHttpHandler } from './http.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { EventHub } from '../resolvers/event-hub.ts';
import { originPolicy } from './origins.ts';
import { startEventPruner } from './pruner.ts';
import { serveWebSockets } from './ws.ts';

/** How long admitted requests may hold the event loop before it polls again (src/server/fair-dispatch.ts). */
const DISPATCH_SLICE_MS = 5;

export interface AppOptions {
  readonly db: Sql;
  readonly log: Logger;
  readonly config: Config;
}

export interface App {
  readonly server: Server;
  readonly metrics: Metrics;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight requests finish (up to drainMs), then closes everything. */
  close(drainMs?: number): Promise<void>;
}

/** The HTTP server: probes, metrics, the console (web/), the body-size limit, admission control, then GraphQL. */
export function createApp(options: AppOptions): App {
  const { db, log, config } = options;
  // The hub and the metrics refer to each other: the hub's reads feed the lag histogram, and the
  // subscription gauge reads the hub when scraped.
  const events: EventHub = new EventHub(db, {
    subscriberBuffer: config.subscriberBuffer,
    log,
    onRead: (event) => metrics.deliveryLag.observe(Math.max(0, Date.now() - Date.parse(event.timestamp)) / 1000),
  });
  const metrics = createMetrics({ activeSubscriptions: () => events.subscribers });
  metrics.poolSize.set(Number(db.options.max));
  const auth = createAuthenticator({ jwtSecret: config.jwtSecret, jwksFile: config.jwksFile });
  const origins = originPolicy({ allowed: config.corsOrigins, loopbackOnly: !auth.enabled && !config.insecure });
  const admission = admissionControl(config.limits.maxRequestsInFlight);
  const yoga = createHttpHandler({ db, log, defaultNamespace: config.defaultNamespace, auth, limits: config.limits, metrics, events, cors: origins.cors });
  const webConsole = consoleAssets();
  const dispatcher = fairDispatch(DISPATCH_SLICE_MS);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    // First, before any other work: under overload the liveness probe must not queue behind it, and
    // it says nothing a foreign page could use.
    if (path === '/healthz') return void text(res, 200, 'ok');
    const forbidden = origins.refusal(req.headers);
    if (forbidden) return void graphQLError(res, 403, 'PERMISSION_DENIED', forbidden);
    if (path === '/readyz') return void reachable(db).then((ready) => (ready ? text(res, 200, 'ready') : text(res, 503, 'database unavailable')));
    if (path === '/metrics') {
      return void metrics.registry.metrics().then((body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body));
    }
    if (path && webConsole.owns(path)) return void webConsole.serve(req, res, path);
    const refusal = requestRefusal(req, config.limits.maxBodyBytes);
    if (refusal) return void graphQLError(res, refusal.status, refusal.code, refusal.message);
    if (admission.admit(req, res))
      dispatcher.dispatch(
        () => void yoga(req, res),
        () => req.socket.destroyed,
      );
  });
  const webSockets = serveWebSockets(server, yoga, { auth, origins, maxSubscriptionsPerConnection: config.limits.maxSubscriptionsPerConnection });
  const pruner = startEventPruner(db, config.eventRetentionSeconds, log);
  // Subscriptions never finish by themselves, so a drain ends them: WebSockets first, closed with
  // 1001 so clients know to reconnect (to another replica, or after the restart), then the rest
  // (SSE streams complete), then the LISTEN and the pruner.
  const endSubscriptions = async () => {
    await webSockets.close();
    await events.close();
    await pruner.stop();
  };
  return {
    server,
    metrics,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve(server.address() as AddressInfo));
      }),
    close: async (drainMs = 10_000) => {
      const drained = new Promise<void>((resolve) => {
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        const force = setTimeout(() => {
          log.warn('drain timed out, closing remaining connections');
          server.closeAllConnections();
        }, drainMs);
        server.close(() => {
          clearInterval(idle);
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      await endSubscriptions();
      await drained;
    },
  };
}

const GRAPHQL_BODY_TYPES = ['application/json', 'application/graphql-response+json', 'application/graphql+json', 'application/x-www-form-urlencoded'];

/**
 * Refuses what GraphQL over HTTP does not carry before anything reads the body: other methods,
 * other content types, and bodies over the limit. A POST must say its length: counting a chunked
 * body would mean reading it twice, and every client Berth knows sends Content-Length. The
 * refusal is a GraphQL error with a code, like every other failure.
 */
function requestRefusal(req: IncomingMessage, maxBytes: number): { status: number; code: string; message: string } | null {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return null;
  if (req.method !== 'POST') return { status: 405, code: 'INVALID_ARGUMENT', message: `method ${req.method} is not allowed; use GET or POST` };
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!GRAPHQL_BODY_TYPES.includes(type))
    return { status: 415, code: 'INVALID_ARGUMENT', message: `content type "${type}" is not supported; send application/json` };
  const length = req.headers['content-length'];
  if (length === undefined) return { status: 411, code: 'INVALID_ARGUMENT', message: 'a POST body needs a Content-Length header' };
  if (Number(length) > maxBytes) {
    return { status: 413, code: 'RESOURCE_EXHAUSTED', message: `the request body is ${length} bytes; the limit is ${maxBytes} (BERTH_MAX_BODY_BYTES)` };
  }
  return null;
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(body + '\n');
}

function graphQLError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
