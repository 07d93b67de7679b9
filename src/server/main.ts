import { createServer } from 'node:net';
import type { Logger } from 'pino';
import type { App } from './app.ts';
import { createAuthenticator } from './auth.ts';
import { type Config, loadConfig } from './config.ts';
import { ensureConsoleBuilt } from './console-build.ts';
import type { Database } from './database.ts';
import { createLogger } from './log.ts';
import { startShutdownWatchdog } from './shutdown-watchdog.ts';
import { StartupError, startupFailure } from './startup-error.ts';

/** Requests get 10 s to drain and the pool 5 s more (app.ts, database.ts); then the watchdog acts. */
const SHUTDOWN_DEADLINE_MS = 30_000;

/**
 * `npm start` / `berth serve`: migrate, serve, and stop cleanly on SIGINT or SIGTERM, exiting 0.
 * A start that fails prints one line naming the setting and the fix, and exits 1.
 */
export async function serve(): Promise<void> {
  let log: Logger | undefined;
  let app: App | undefined;
  let database: Database | undefined;
  const starting = (async () => {
    const config = loadConfig();
    // The server's modules take seconds to load through tsx on a busy machine: loaded while the
    // settings are checked, so that a bad one is reported at once.
    const modules = Promise.all([import('./database.ts'), import('./app.ts')]);
    log = createLogger(config.logLevel);
    refuseInsecureExposure(config);
    checkAuthentication(config);
    // Before Postgres starts, so a busy port fails at once and leaves nothing to stop.
    await checkPort(config.port, config.host);
    const [{ openDatabase }, { createApp }] = await modules;
    database = await openDatabase(config.databaseUrl, config.dataDir, log, config.limits.statementTimeoutMs);
    // After every check that can fail the start, which then prints its one line and nothing else.
    await buildConsoleIfNeeded(log);
    app = createApp({ db: database.sql, log, config });
    const address = await app.listen(config.port, config.host).catch((error: unknown) => {
      throw portProblem(error, config.port, config.host) ?? error;
    });
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    console.log(`Berth is serving GraphQL at http://${host}:${address.port}/graphql (the console at http://${host}:${address.port}/)`);
  })();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    startShutdownWatchdog(SHUTDOWN_DEADLINE_MS, database?.postgresPid);
    log?.info({ signal }, 'shutting down');
    await starting.catch(() => {});
    await app?.close();
    await database?.close();
    log?.info('stopped');
    process.exit(0);
  };
  // Listening from the first moment: a signal during start-up still stops the embedded Postgres.
  // A second signal during the drain is ignored rather than killing the process half-way.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  try {
    await starting;
  } catch (error) {
    await app?.close().catch(() => {});
    await database?.close().catch(() => {});
    process.stderr.write(startupFailure(error, process.env.BERTH_LOG_LEVEL) + '\n');
    process.exit(1);
  }
}

/**
 * `npm install` builds the console; this covers an install that skipped scripts or sources edited
 * since. The API does not depend on the console, so a failed build is logged and `/` says so.
 */
async function buildConsoleIfNeeded(log: Logger): Promise<void> {
  try {
    await ensureConsoleBuilt((line) => log.info(line));
  } catch (error) {
    log.error({ err: error }, 'the console could not be built; the API is served without it');
  }
}

/** Without authentication, anyone who can reach the port owns every namespace: loopback only. */
function refuseInsecureExposure(config: Config): void {
  const loopback = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(config.host);
  if (loopback || config.jwtSecret || config.jwksFile || config.insecure) return;
  throw new StartupError(`refusing to listen on HOST ${config.host} without authentication: set BERTH_JWT_SECRET or BERTH_JWKS_FILE, or BERTH_INSECURE=1`);
}

/** A JWKS file that cannot be read or parsed fails the start, not the first request. */
function checkAuthentication(config: Config): void {
  try {
    createAuthenticator({ jwtSecret: config.jwtSecret, jwksFile: config.jwksFile });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new StartupError(`BERTH_JWKS_FILE ${config.jwksFile}: ${reason}: point it at a readable JSON Web Key Set file`);
  }
}

function checkPort(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(portProblem(error, port, host) ?? error));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function portProblem(error: unknown, port: number, host: string): StartupError | undefined {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new StartupError(`PORT ${port} on ${host} is already in use: stop what listens there, or set PORT to a free port`);
    case 'EACCES':
      return new StartupError(`PORT ${port} on ${host} needs privileges this process lacks: set PORT to 1024 or above`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartupError(`HOST ${host} is not an address of this machine: set HOST to one (127.0.0.1 by default)`);
    default:
      return undefined;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await serve();
