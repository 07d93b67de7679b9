import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Sql } from '../db/pool.ts';
import { createHttpHandler } from './http.ts';

export interface AppOptions {
  readonly db: Sql;
  readonly log: Logger;
  readonly defaultNamespace: string;
}

export interface App {
  readonly server: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

/** The HTTP server: liveness and readiness probes, then GraphQL. */
export function createApp(options: AppOptions): App {
  const yoga = createHttpHandler(options);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (path === '/readyz') {
      return void options.db`select 1`.then(
        () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ready\n'),
        () => res.writeHead(503, { 'content-type': 'text/plain' }).end('database unavailable\n'),
      );
    }
    void yoga(req, res);
  });
  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve(server.address() as AddressInfo));
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
