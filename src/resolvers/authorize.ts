import type { Identity, Role } from '../model/scope.ts';
import type { RequestContext } from './context.ts';
import { BerthError } from '../model/errors.ts';

/**
 * Role and namespace checks of the service layer. They give clear errors early; row-level
 * security is what finally holds, since every transaction's read set is the token's namespaces.
 */
const RANK: Record<Role, number> = { reader: 0, writer: 1, admin: 2 };

export function requireRole(ctx: RequestContext, role: Role, action: string): void {
  if (RANK[ctx.identity.role] < RANK[role]) throw new BerthError('PERMISSION_DENIED', `${action} needs the ${role} role`);
}

export function requireNamespace(identity: Identity, namespace: string): void {
  const granted = identity.namespaces;
  if (granted !== '*' && !granted.includes(namespace)) {
    throw new BerthError('PERMISSION_DENIED', `the token does not grant namespace "${namespace}"`);
  }
}
