import { loadConfig } from './config.ts';
import { openDatabase } from './database.ts';
import { createLogger } from './log.ts';
import { startupFailure } from './startup-error.ts';

/** `berth migrate`: apply the migrations (under the advisory lock) and exit. */
export async function migrateOnly(): Promise<void> {
  try {
    const config = loadConfig();
    const database = await openDatabase(config.databaseUrl, config.dataDir, createLogger(config.logLevel));
    await database.close();
    console.log('migrations are up to date');
  } catch (error) {
    process.stderr.write(startupFailure(error, process.env.BERTH_LOG_LEVEL) + '\n');
    process.exitCode = 1;
  }
}
