import type { Logger } from 'pino';
import type { Sql } from '../db/pool.ts';
import type { Scope } from '../db/transaction.ts';

/** What every resolver gets: the pool, and the scope that the transport settled for this request. */
export interface RequestContext {
  readonly db: Sql;
  readonly scope: Scope;
  readonly log: Logger;
}
