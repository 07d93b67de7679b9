import postgres from 'postgres';
import { BerthError } from '../model/errors.ts';
import type { Scope } from '../model/scope.ts';
import type { Sql, TransactionSql } from './pool.ts';


export interface TransactionOptions {
  readonly readOnly?: boolean;
  /** One snapshot for every statement, so a page, its count and its watch cursor agree. */
  readonly snapshot?: boolean;
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
 */
export async function inScope<T>(sql: Sql, scope: Scope, work: (tx: TransactionSql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const mode = `${options.snapshot ? 'isolation level repeatable read ' : ''}${options.readOnly ? 'read only' : ''}`;
  active++;
  const tx = await sql.reserve();
  try {
    const opened = Promise.all([tx.unsafe(`begin ${mode}`), scopeStatement(tx, scope)]);
    opened.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled
    try {
      const result = await work(tx);
      await opened;
      await tx`commit`;
      return result;
    } catch (error) {
      await tx`rollback`.catch(() => {});
      throw error;
    }
  } catch (error) {
    throw asDomainError(error);
  } finally {
    tx.release();
    active--;
  }
}

/**
 * One read statement in scope, in one round trip: BEGIN, the scope, the statement and COMMIT are
 * all handed to the connection at once, in that order (Promise.all starts them in array order,
 * and a connection runs its queries first in, first out). A get costs four tiny statements and a
 * single round trip instead of three.
 */
export async function readInScope<R extends readonly postgres.MaybeRow[]>(sql: Sql, scope: Scope, statement: (tx: TransactionSql) => postgres.PendingQuery<R>): Promise<R> {
  active++;
  const tx = await sql.reserve();
  try {
    const [, , rows] = await Promise.all([tx`begin read only`, scopeStatement(tx, scope), statement(tx), tx`commit`]);
    return rows;
  } catch (error) {
    await tx`rollback`.catch(() => {});
    throw asDomainError(error);
  } finally {
    tx.release();
    active--;
  }
}

function scopeStatement(tx: TransactionSql, scope: Scope) {
  return tx`select set_config('role', 'berth_app', true),
                   set_config('berth.namespace', ${scope.namespace}, true),
                   set_config('berth.readable', ${scope.readable === '*' ? '*' : scope.readable.join(',')}, true)`;
}

let active = 0;

/** Request transactions in progress, holding or awaiting a pooled connection (a metrics gauge reads it). */
export function activeTransactions(): number {
  return active;
}

/** Postgres failures a client can act on get their code here; the rest stay INTERNAL. */
function asDomainError(error: unknown): unknown {
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

/** A transaction as the login user, for schema changes only (migrations). */
export function asOwner<T>(sql: Sql, work: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(work) as Promise<T>;
}
