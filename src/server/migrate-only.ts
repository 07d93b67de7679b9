import { pino } from 'pino';
import { loadConfig } from './config.ts';
import { openDatabase } from './database.ts';

/** `berth migrate`: apply the migrations (under the advisory lock) and exit. */
export async function migrateOnly(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  const database = await openDatabase(config.databaseUrl, config.dataDir, log);
  await database.close();
  console.log('migrations are up to date');
}
