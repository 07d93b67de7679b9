import { pino } from 'pino';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './database.ts';

/** `npm start` / `berth serve`: migrate, serve, and stop cleanly on SIGINT or SIGTERM. */
export async function serve(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  const database = await openDatabase(config.databaseUrl, config.dataDir, log);
  const app = createApp({ db: database.sql, log, defaultNamespace: config.defaultNamespace });
  const address = await app.listen(config.port, config.host);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  console.log(`Berth is serving GraphQL at http://${host}:${address.port}/graphql`);

  const stop = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
