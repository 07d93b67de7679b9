import type { Logger } from 'pino';
import type { Sql } from '../db/pool.ts';
import type { Scope } from '../db/transaction.ts';
import type { Limits } from '../server/config.ts';
import type { EventHub } from './event-hub.ts';

export type Role = 'reader' | 'writer' | 'admin';

/** Who is calling: the claims of their token, or an admin of everything when auth is off. */
export interface Identity {
  readonly namespaces: '*' | readonly string[];
  readonly role: Role;
  /** Milliseconds since the epoch, or null when the credentials never expire. */
  readonly expiresAt: number | null;
}

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
