import type { Logger } from 'pino';
import { migrate } from '../db/migrate.ts';
import { createPool, type PoolOptions, type Sql } from '../db/pool.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

export interface Database {
  readonly sql: Sql;
  readonly url: string;
  close(): Promise<void>;
}

/** What the request pool's sessions are held to (BERTH_STATEMENT_TIMEOUT_MS, BERTH_IDLE_IN_TRANSACTION_TIMEOUT_MS). */
export type SessionLimits = Pick<PoolOptions, 'statementTimeoutMs' | 'idleInTransactionTimeoutMs'>;

/** DATABASE_URL's server, or else an embedded Postgres under dataDir; migrated either way. */
export async function openDatabase(databaseUrl: string | undefined, dataDir: string, log: Logger, sessions: SessionLimits = {}): Promise<Database> {
  const embedded = databaseUrl ? null : await startEmbeddedPostgres(dataDir, (line) => log.debug({ postgres: line }));
  const url = databaseUrl ?? embedded!.url;
  if (embedded) log.info({ dataDir }, 'embedded Postgres started');
  const owner = createPool(url, { max: 1, onnotice: (notice) => log.info({ notice: notice.message }, 'postgres notice') });
  try {
    const applied = await migrate(owner);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  } catch (error) {
    await embedded?.stop();
    throw error;
  } finally {
    await owner.end();
  }
  // Only now does berth_app surely exist, and the request pool's sessions run as it.
  const sql = createPool(url, { ...sessions, confined: true });
  return {
    sql,
    url,
    close: async () => {
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}
