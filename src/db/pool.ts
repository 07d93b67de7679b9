import postgres from 'postgres';

export type Sql = postgres.Sql;
/** A connection inside one of transaction.ts's transactions. */
export type TransactionSql = postgres.ISql;
export type Fragment = postgres.Fragment;

export interface PoolOptions {
  readonly max?: number;
  /** Called with Postgres notices (RAISE NOTICE from migrations, for example). */
  readonly onnotice?: (notice: postgres.Notice) => void;
  /** Every statement of the pool's sessions is cancelled after this long; 0 means never. */
  readonly statementTimeoutMs?: number;
  /**
   * A session idle inside a transaction this long is ended by Postgres; 0 means never. The
   * backstop for a process frozen mid-transaction (a GC pause, SIGSTOP, a VM freeze): its locks,
   * the event_clock row lock among them, are freed, and since its COMMIT never ran, the client
   * never got an acknowledgement, so nothing acknowledged is lost.
   */
  readonly idleInTransactionTimeoutMs?: number;
  /**
   * Run the sessions as berth_app with an empty scope, so that even a statement issued outside
   * transaction.ts sees no row. The request pool does; the migrations' pool (the owner) does not.
   */
  readonly confined?: boolean;
}

/**
 * The one postgres.js pool of a process. Sessions run in UTC, and timestamptz comes back as the
 * RFC 3339 text the API serves, with all six fractional digits: a JS Date would drop microseconds,
 * and then two updates in the same millisecond would show the same updatedAt.
 */
export function createPool(url: string, options: PoolOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: options.onnotice ?? (() => {}),
    // The driver's default waits up to 30 s for a connection, and after a run of refused ones
    // backs off up to 20 s between attempts: after an outage, the server would stay unready long
    // after Postgres came back. A short, jittered, constant delay reconnects within a second.
    connect_timeout: CONNECT_TIMEOUT_S,
    backoff: () => RECONNECT_DELAY_S * (0.5 + Math.random()),
    connection: {
      TimeZone: 'UTC',
      application_name: 'berth',
      statement_timeout: options.statementTimeoutMs ?? 0,
      idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 0,
      ...(options.confined ? { role: 'berth_app', 'berth.namespace': '', 'berth.readable': '' } : {}),
    },
    types: {
      timestamptz: {
        to: 1184,
        from: [1184],
        serialize: (value: string) => value,
        parse: rfc3339,
      },
    },
  });
}

const CONNECT_TIMEOUT_S = 5;
const RECONNECT_DELAY_S = 0.25;

/** '2026-11-28 06:10:29.1234+00' -> '2026-11-28T06:10:29.123400Z' */
export function rfc3339(text: string): string {
  const match = /^(\d{4,}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/.exec(text);
  if (!match) return text;
  return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(6, '0')}Z`;
}

/**
 * Whether the pool can run a statement within `withinMs` (the readiness probe). A statement that
 * waits longer (a connection that cannot be made, a Postgres that does not answer) counts as no.
 */
export function reachable(sql: Sql, withinMs = 500): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), withinMs)));
  const probe = sql`select 1`.then(
    () => true,
    () => false,
  );
  return Promise.race([probe, late]).finally(() => clearTimeout(timer));
}
