import type { Sql, TransactionSql } from './pool.ts';

/** What a request may touch. Postgres enforces it through the row-level security policies. */
export interface Scope {
  /** The namespace the request writes to and reads containers from. */
  readonly namespace: string;
  /** Namespaces whose events and names it may read: '*' for all. */
  readonly readable: '*' | readonly string[];
}

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
 */
export function inScope<T>(sql: Sql, scope: Scope, work: (tx: TransactionSql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const mode = [options.snapshot ? 'isolation level repeatable read' : '', options.readOnly ? 'read only' : '']
    .filter(Boolean)
    .join(' ');
  const readable = scope.readable === '*' ? '*' : scope.readable.join(',');
  return sql.begin(mode, async (tx) => {
    await tx`select set_config('role', 'berth_app', true),
                    set_config('berth.namespace', ${scope.namespace}, true),
                    set_config('berth.readable', ${readable}, true)`;
    return work(tx);
  }) as Promise<T>;
}

/** A transaction as the login user, for schema changes only (migrations). */
export function asOwner<T>(sql: Sql, work: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(work) as Promise<T>;
}
