/** Who calls, and what a request may touch. Postgres enforces the scope through row-level security. */

export type Role = 'reader' | 'writer' | 'admin';

/** Who is calling: the claims of their token, or an admin of everything when auth is off. */
export interface Identity {
  readonly namespaces: '*' | readonly string[];
  readonly role: Role;
  /** Milliseconds since the epoch, or null when the credentials never expire. */
  readonly expiresAt: number | null;
}

/** What a request may touch. Postgres enforces it through the row-level security policies. */
export interface Scope {
  /** The namespace the request writes to and reads containers from. */
  readonly namespace: string;
  /** Namespaces whose events and names it may read: '*' for all. */
  readonly readable: '*' | readonly string[];
}

/**
 * The events_read / namespaces_read policy (berth_may_read(ns) OR ns = berth_namespace()), for
 * rows that never pass through a scoped query: the event hub reads every namespace once and hands
 * each subscriber only what its own scope could have read.
 */
export function mayRead(scope: Scope, namespace: string): boolean {
  return scope.readable === '*' || namespace === scope.namespace || scope.readable.includes(namespace);
}
