import type { Logger } from 'pino';
import { migrate } from '../db/migrate.ts';
import { createPool, type Sql } from '../db/pool.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { StartupError } from './startup-error.ts';

export interface Database {
  readonly sql: Sql;
  readonly url: string;
  /** The embedded Postgres's pid; undefined with DATABASE_URL. */
  readonly postgresPid: number | undefined;
  close(): Promise<void>;
}

/** DATABASE_URL's server, or else an embedded Postgres under dataDir; migrated either way. */
export async function openDatabase(databaseUrl: string | undefined, dataDir: string, log: Logger, statementTimeoutMs = 0): Promise<Database> {
  const embedded = databaseUrl
    ? null
    : await startEmbeddedPostgres(dataDir, (level, message) => (level === 'debug' ? log.debug({ postgres: message }) : log[level]({ dataDir }, message)));
  const url = databaseUrl ?? embedded!.url;
  if (embedded) log.info({ dataDir, cluster: embedded.clusterDir }, 'embedded Postgres started');
  const owner = createPool(url, { max: 1, onnotice: (notice) => log.info({ notice: notice.message }, 'postgres notice') });
  try {
    const applied = await migrate(owner);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  } catch (error) {
    await embedded?.stop();
    throw databaseUrl ? unreachable(databaseUrl, error) : error;
  } finally {
    await owner.end();
  }
  // Only now does berth_app surely exist, and the request pool's sessions run as it.
  const sql = createPool(url, { statementTimeoutMs, confined: true });
  return {
    sql,
    url,
    postgresPid: embedded?.pid,
    close: async () => {
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}

/** Connection failures name DATABASE_URL (without its password) and what to do. */
const CONNECTION_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing accepts connections there',
  ENOTFOUND: 'its host name does not resolve',
  EAI_AGAIN: 'its host name does not resolve',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  CONNECT_TIMEOUT: 'the connection timed out',
  '28P01': 'the password was refused',
  '28000': 'the server refused the login',
  '3D000': 'that database does not exist',
};

function unreachable(databaseUrl: string, error: unknown): unknown {
  const code = String((error as { code?: unknown }).code ?? '');
  const reason = CONNECTION_FAILURES[code];
  if (!reason) return error;
  return new StartupError(
    `DATABASE_URL ${withoutPassword(databaseUrl)}: ${reason} (${code}): start that Postgres or correct DATABASE_URL, or unset it to use the embedded Postgres`,
    { cause: error },
  );
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}
