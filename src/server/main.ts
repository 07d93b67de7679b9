import { pino } from 'pino';
import { createApp } from './app.ts';
import { type Config, loadConfig } from './config.ts';
import { openDatabase } from './database.ts';

const SHUTDOWN_DEADLINE_MS = 30_000;

/** `npm start` / `berth serve`: migrate, serve, and stop cleanly on SIGINT or SIGTERM. */
export async function serve(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  refuseInsecureExposure(config);
  const database = await openDatabase(config.databaseUrl, config.dataDir, log, config.limits);
  const app = createApp({ db: database.sql, log, config });
  const address = await app.listen(config.port, config.host);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  console.log(`Berth is serving GraphQL at http://${host}:${address.port}/graphql`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // The drain gives requests 10 s and the pool 5 s more; something still waiting after that
    // (a connection the driver lost track of, say) must not keep the process from ever exiting.
    setTimeout(() => {
      log.error({ signal }, `shutdown did not finish within ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await app.close();
    await database.close();
    log.info('stopped');
    process.exit(0);
  };
  // A second signal during the drain is ignored rather than killing the process half-way.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** Without authentication, anyone who can reach the port owns every namespace: loopback only. */
function refuseInsecureExposure(config: Config): void {
  const loopback = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(config.host);
  if (loopback || config.jwtSecret || config.jwksFile || config.insecure) return;
  throw new Error(`refusing to listen on ${config.host} without authentication: set BERTH_JWT_SECRET or BERTH_JWKS_FILE, or BERTH_INSECURE=1`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
