import type { Logger } from 'pino';
import type { Sql } from '../db/pool.ts';
import type { Identity, Scope } from '../model/scope.ts';
import type { Limits } from '../model/limits.ts';
import type { EventHub } from './event-hub.ts';

/** What every resolver gets: the pool, who calls, and the scope the transport settled. */
export interface RequestContext {
  readonly db: Sql;
  readonly identity: Identity;
  readonly scope: Scope;
  readonly limits: Limits;
  readonly log: Logger;
  /** The process's event hub: subscriptions join its live tail (src/resolvers/event-hub.ts). */
  readonly events: EventHub;
}
