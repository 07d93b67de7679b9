import { appendStatement, type NewEvent } from '../db/events.ts';
import type { TransactionSql } from '../db/pool.ts';
import type { EventMessage } from '../model/events.ts';
import { inScope } from '../db/transaction.ts';
import { requireNamespace, requireRole } from './authorize.ts';
import type { RequestContext } from './context.ts';

export type Emit = (event: EventMessage) => void;

/**
 * Runs one mutation as one transaction scoped to `namespace`. The events it emits are written
 * last, in the same transaction and the same write as its COMMIT, so an event exists if and only if its change committed.
 * The commit frees the event clock's lock before its flush to disk, and the answer waits for that
 * flush (flushAfterUnlock), so writers share disk flushes instead of queueing one flush each.
 * Readers never get this far; writers only in the namespaces their token grants.
 */
export async function mutation<T>(ctx: RequestContext, namespace: string, work: (tx: TransactionSql, emit: Emit) => Promise<T>): Promise<T> {
  authorizeWrite(ctx, namespace);
  const events: NewEvent[] = [];
  return inScope(ctx.db, { ...ctx.scope, namespace }, (tx) => work(tx, ({ topic, message }) => events.push({ namespace, topic, payload: message })), {
    beforeCommit: (tx) => appendStatement(tx, events),
    flushAfterUnlock: true,
  });
}

/** Writers only, and only in the namespaces their token grants: every mutation checks this first. */
export function authorizeWrite(ctx: RequestContext, namespace: string): void {
  requireRole(ctx, 'writer', 'a mutation');
  requireNamespace(ctx.identity, namespace);
}
