import postgres from 'postgres';
import { BerthError } from '../model/errors.ts';
import type { Scope } from '../model/scope.ts';
import type { Sql, TransactionSql } from './pool.ts';

export interface TransactionOptions {
  readonly readOnly?: boolean;
  /** One snapshot for every statement, so a page, its count and its watch cursor agree. */
  readonly snapshot?: boolean;
  /**
   * A last statement, sent in the same write as COMMIT, with no answer awaited in between: the
   * event append (events.ts), whose event_clock row lock would otherwise be held for a client
   * round trip, and by every writer of every replica waiting behind it if this process froze
   * there. Should it fail, Postgres turns the COMMIT behind it into a ROLLBACK.
   */
  readonly beforeCommit?: (tx: TransactionSql) => postgres.PendingQuery<postgres.Row[]> | null;
  /**
   * Release the transaction's locks before its commit reaches the disk, and make it durable
   * before returning. The COMMIT runs with synchronous_commit off, so Postgres frees the row locks
   * (the event_clock row among them) once the commit record is in the WAL buffers instead of
   * holding them through the disk flush: commits that queue on the clock no longer take one flush
   * each. In the same write follows a flush barrier (flushBarrier below), and the caller is
   * answered only after it, so an acknowledged change is on disk, as before. What changes is that
   * other sessions may see the change up to that flush earlier (docs/architecture.md, "Events").
   */
  readonly flushAfterUnlock?: boolean;
}

/**
 * The only place that opens request transactions. The transaction runs as berth_app, a role that
 * cannot bypass row-level security even when the login user is a superuser, and its scope lives in
 * transaction-local settings, so it ends with the transaction and never leaks to the next user of
 * the pooled connection.
 *
 * BEGIN and the scope are not awaited: postgres.js pipelines the statements issued on one
 * connection, so they travel with the first statement of `work` and cost no round trip of their
 * own (a get is one round trip plus COMMIT, not four). Postgres runs them in order, and a failure
 * in either aborts the transaction, so no statement of `work` can run outside the scope. BEGIN's
 * text is one of four constants.
 *
 * The price of pipelining: a statement that fails while postgres.js builds it (its stack overflows
 * on deeply nested fragments, or it has 65,534 parameters or more) strands the connection, which
 * then waits forever for the answer to a statement it never sent. So statements are kept shallow
 * and bounded: filter-sql.ts joins conditions as a balanced tree, and filters, labels and
 * extensions have count limits (BERTH_MAX_FILTER_SELECTORS, BERTH_MAX_LABELS, BERTH_MAX_EXTENSIONS).
 *
 * A lost session (Postgres restarted, the backend terminated, a network reset) is where
 * postgres.js 3.4 is dangerous, and where this function is careful. The driver keeps a reserved
 * connection pinned after its socket closed: a statement sent on it then throws from a timer, out
 * of reach of any catch, and ends the process (upstream issues #1208 and #1154, no fixed release),
 * and a reserved connection released after its socket closed goes back to the pool's idle list,
 * where the next statement of any request does the same. So once a statement of the transaction
 * failed because the session is gone (sessionLost), nothing more is sent on it, not even ROLLBACK
 * (Postgres rolled the transaction back when the session ended), and it is not released: the
 * driver has moved it to its closed list, from which the pool reconnects it when needed. Every
 * other statement is sent in the continuation of the answer to the one before, before the event
 * loop can run the driver's close handler, so the driver cannot declare the session dead between
 * an answer and the next statement without that statement being rejected too.
 *
 * sql.begin() does not avoid this: it sends ROLLBACK on the dead connection just the same.
 */
export function inScope<T>(sql: Sql, scope: Scope, work: (tx: TransactionSql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const mode = `${options.snapshot ? 'isolation level repeatable read ' : ''}${options.readOnly ? 'read only' : ''}`;
  return onReservedConnection(sql, async (tx, lost) => {
    const opened = Promise.all([tx.unsafe(`begin ${mode}`), scopeStatement(tx, scope, options.flushAfterUnlock ?? false)]);
    opened.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled
    let result: T;
    try {
      // On a fresh connection the first statement of `work` waits in the driver until the
      // scope's statement is prepared, and if the session ends meanwhile only BEGIN and the scope
      // are rejected: racing them keeps that wait from lasting forever.
      result = await Promise.race([work(tx), opened.then(() => UNSETTLED as Promise<T>)]);
      await opened;
    } catch (error) {
      const failures = [
        error,
        await opened.then(
          () => null,
          (openError: unknown) => openError,
        ),
      ];
      if (failures.some(sessionLost)) lost();
      else await tx`rollback`.catch((rollbackError: unknown) => void (sessionLost(rollbackError) && lost()));
      throw error;
    }
    const [last, commit, flushed] = await Promise.allSettled([
      options.beforeCommit?.(tx) ?? null,
      tx`commit`,
      options.flushAfterUnlock ? flushBarrier(tx) : null,
    ]);
    if (commit.status === 'rejected' && sessionLost(commit.reason)) {
      lost();
      throw new BerthError('INTERNAL', `the database session ended during COMMIT: ${UNKNOWN_OUTCOME}`);
    }
    if (last.status === 'rejected') throw last.reason;
    if (commit.status === 'rejected') throw commit.reason;
    if (flushed.status === 'rejected') throw notFlushed(flushed.reason, lost);
    return result;
  });
}

/**
 * A statement that makes the transaction it runs in (or, outside one, itself) commit only once the
 * WAL is on disk up to its commit record, so also every commit before it, including every commit
 * it could see. When the WAL is already on disk as far as it was written, there is nothing to wait
 * for, and it writes nothing: an idle server's reads cost no flush. Otherwise it writes a logical
 * decoding message, a WAL record that nothing reads unless someone decodes the WAL, and that works
 * at every wal_level and in read-only transactions. Taking a transaction id alone would not do:
 * Postgres commits a transaction that wrote no WAL asynchronously, whatever synchronous_commit
 * says. Concurrent flushes are shared (Postgres's group commit).
 */
export function flushBarrier(tx: TransactionSql) {
  return tx`select case when pg_current_wal_flush_lsn() < pg_current_wal_insert_lsn()
                        then pg_logical_emit_message(true, 'berth.flush', '') end`;
}

/** A promise that never settles: the losing side of a race that must not end it. */
const UNSETTLED: Promise<never> = new Promise(() => {});

/**
 * One read statement in scope, in one round trip: BEGIN, the scope, the statement and COMMIT are
 * all handed to the connection at once, in that order (Promise.all starts them in array order,
 * and a connection runs its queries first in, first out). A read costs four tiny statements and a
 * single round trip instead of three (a container get needs only one: readScoped). A failure of any of them turns the COMMIT into a ROLLBACK
 * in Postgres, so nothing is sent afterwards; on a live session all four are answered before the
 * connection goes back, and a connection whose session was lost does not go back (see inScope).
 */
export function readInScope<R extends readonly postgres.MaybeRow[]>(
  sql: Sql,
  scope: Scope,
  statement: (tx: TransactionSql) => postgres.PendingQuery<R>,
): Promise<R> {
  return onReservedConnection(sql, async (tx) => {
    const sent = [tx`begin read only`, scopeStatement(tx, scope), statement(tx), tx`commit`] as const;
    try {
      return (await Promise.all(sent))[2];
    } catch (error) {
      // A lost session may leave the statements behind the failed one waiting in the driver
      // forever; a live one answers them all (the COMMIT as a ROLLBACK) before it goes back.
      if (!sessionLost(error)) await Promise.allSettled(sent);
      throw error;
    }
  });
}

/** The scope as its transaction-local settings hold it (berth.namespace, berth.readable). */
export interface ScopeSettings {
  readonly namespace: string;
  readonly readable: string;
}

/**
 * One read that Postgres scopes by itself: `statement` calls a SQL function (migration 0006) that
 * sets the role and the scope for the statement's own implicit transaction, then reads. So it is
 * one statement on any pooled connection, with no reserved connection and no BEGIN or COMMIT, and
 * nothing outlives it: settings made with set_config(..., true) end with its transaction. A lost
 * session needs no care here: the driver's hazard concerns reserved connections only.
 */
export async function readScoped<R extends readonly postgres.MaybeRow[]>(
  sql: Sql,
  scope: Scope,
  statement: (sql: Sql, settings: ScopeSettings) => postgres.PendingQuery<R>,
): Promise<R> {
  active++;
  try {
    return await statement(sql, settingsOf(scope));
  } catch (error) {
    throw asDomainError(error);
  } finally {
    active--;
  }
}

/**
 * One write that is a whole transaction by itself: `statement` calls a SQL function (migration
 * 0007) that scopes itself as readScoped's do, writes, and appends its events last, and its
 * implicit transaction commits as it returns, without waiting for the disk. The flush barrier
 * follows in the same write on the same connection, and the caller is answered after it, so an
 * acknowledged change is on disk (flushAfterUnlock above explains why). One round trip and two
 * statements, where inScope needs two and seven for the same create.
 *
 * Both statements are handed to the reserved connection before anything is awaited, so the
 * driver cannot declare the session dead between them (the hazard inScope describes). A session
 * lost before the answer to the write leaves it unknown whether the write committed; a session
 * lost at the connection's reservation means nothing was sent.
 */
export function writeScoped<R extends readonly postgres.MaybeRow[]>(
  sql: Sql,
  scope: Scope,
  statement: (tx: TransactionSql, settings: ScopeSettings) => postgres.PendingQuery<R>,
): Promise<R> {
  return onReservedConnection(sql, async (tx, lost) => {
    const written = statement(tx, settingsOf(scope));
    const flushed = flushBarrier(tx);
    // The driver sends a query when it is first awaited: started here, in this order, so the
    // barrier runs after the write's commit. Each is awaited below.
    Promise.all([written, flushed]).catch(() => {});
    let rows: R;
    try {
      rows = await written;
    } catch (error) {
      if (sessionLost(error)) {
        lost();
        throw new BerthError('INTERNAL', `the database session ended during the write: ${UNKNOWN_OUTCOME}`);
      }
      await flushed.catch(() => {});
      throw error;
    }
    await flushed.catch((error: unknown) => {
      throw notFlushed(error, lost);
    });
    return rows;
  });
}

/**
 * Runs `use` on a reserved connection, counted in activeTransactions, and gives the connection
 * back afterwards, unless its session was lost: `use` calls `lost()` when it knows, and a failure
 * that says so counts too. Such a connection must not be used or released again (inScope).
 * Failures leave as domain errors (asDomainError).
 */
async function onReservedConnection<T>(sql: Sql, use: (tx: postgres.ReservedSql, lost: () => void) => Promise<T>): Promise<T> {
  active++;
  let tx: postgres.ReservedSql | undefined;
  let alive = true;
  try {
    tx = await sql.reserve();
    return await use(tx, () => void (alive = false));
  } catch (error) {
    if (sessionLost(error)) alive = false;
    throw asDomainError(error);
  } finally {
    if (alive) tx?.release();
    active--;
  }
}

/** A commit that succeeded but whose flush barrier failed: a crash of Postgres now would take it back. */
function notFlushed(error: unknown, lost: () => void): BerthError {
  if (sessionLost(error)) lost();
  return new BerthError('INTERNAL', `the change was committed but the database failed before it was flushed to disk: ${UNKNOWN_OUTCOME}`);
}

/** What a client is told when a write's outcome cannot be known. */
const UNKNOWN_OUTCOME = 'the change may or may not have been made; read it back before retrying';

function settingsOf(scope: Scope): ScopeSettings {
  return { namespace: scope.namespace, readable: scope.readable === '*' ? '*' : scope.readable.join(',') };
}

/**
 * Whether a failure means the Postgres session is gone, so nothing may be sent on its connection
 * again: the driver's connection errors (CONNECTION_CLOSED, CONNECTION_DESTROYED, CONNECT_TIMEOUT:
 * they carry an errno, like the socket's own errors such as ECONNRESET), and Postgres errors that
 * end the session (severity FATAL or PANIC: a terminated backend, a shutdown, the idle-in-
 * transaction timeout; class 08, connection exception).
 */
export function sessionLost(error: unknown): boolean {
  if (error instanceof postgres.PostgresError) {
    return error.severity === 'FATAL' || error.severity === 'PANIC' || error.code.startsWith('08') || error.code.startsWith('57P');
  }
  return typeof error === 'object' && error !== null && 'errno' in error;
}

/** The scope's settings; with asyncCommit, also this transaction's synchronous_commit (see flushAfterUnlock). */
function scopeStatement(tx: TransactionSql, scope: Scope, asyncCommit = false) {
  const settings = settingsOf(scope);
  return tx`select set_config('role', 'berth_app', true),
                   set_config('berth.namespace', ${settings.namespace}, true),
                   set_config('berth.readable', ${settings.readable}, true)
                   ${asyncCommit ? tx`, set_config('synchronous_commit', 'off', true)` : tx``}`;
}

let active = 0;

/** Request transactions in progress, holding or awaiting a pooled connection (a metrics gauge reads it). */
export function activeTransactions(): number {
  return active;
}

/** Postgres failures a client can act on get their code here; the rest stay INTERNAL. */
function asDomainError(error: unknown): unknown {
  if (sessionLost(error)) {
    // Not masked as an unexplained INTERNAL: the client's program should retry later, knowing
    // that nothing was changed (a lost COMMIT says otherwise, before reaching here).
    return new BerthError('INTERNAL', `the database is unavailable, so nothing was changed; retry later (${describe(error)})`);
  }
  if (!(error instanceof postgres.PostgresError)) return error;
  switch (error.code) {
    case '57014':
      return new BerthError('RESOURCE_EXHAUSTED', 'the statement took longer than the statement timeout (BERTH_STATEMENT_TIMEOUT_MS)');
    case '40001':
    case '40P01':
      return new BerthError('ABORTED', 'the transaction conflicted with a concurrent one; retry it');
    case '23503':
      return new BerthError('FAILED_PRECONDITION', 'the namespace was deleted concurrently');
    case '2201B':
      // Only filters reach Postgres as regular expressions, and the RE2 subset they were parsed
      // into is valid there; what remains is Postgres's own size limit ("too complex").
      return new BerthError('RESOURCE_EXHAUSTED', `a filter's regular expression is beyond what Postgres can evaluate: ${error.message}`);
    default:
      // Class 54, program limit exceeded (a statement too complex, too many arguments): too big.
      if (error.code.startsWith('54')) return new BerthError('RESOURCE_EXHAUSTED', `the request exceeds a Postgres limit: ${error.message}`);
      return error;
  }
}

function describe(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? code : String(message);
}

/** A transaction as the login user, for schema changes only (migrations). */
export function asOwner<T>(sql: Sql, work: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(work) as Promise<T>;
}
