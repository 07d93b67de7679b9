import { readFileSync } from 'node:fs';
import { createLocalJWKSet, errors as joseErrors, type JWTPayload, jwtVerify } from 'jose';
import type { Scope } from '../model/scope.ts';
import { requireNamespace } from '../resolvers/authorize.ts';
import { BerthError } from '../model/errors.ts';
import type { Identity, Role } from '../model/scope.ts';

/**
 * Bearer tokens (docs/api.md "Namespace and identity"), verified with jose: HS256 with
 * BERTH_JWT_SECRET, or the keys of BERTH_JWKS_FILE. Claims: `namespaces` (names, or ["*"]) and
 * `role` (reader | writer | admin). Without either setting, every caller is an admin of everything.
 */
export interface Authenticator {
  readonly enabled: boolean;
  /** The identity of an `Authorization` header value (or connectionParams.authorization). */
  identify(authorization: string | null | undefined): Promise<Identity>;
}

const ROLES: readonly Role[] = ['reader', 'writer', 'admin'];
const OPEN: Identity = { namespaces: '*', role: 'admin', expiresAt: null };

export function createAuthenticator(options: { jwtSecret?: string; jwksFile?: string }): Authenticator {
  const key = options.jwtSecret
    ? { secret: new TextEncoder().encode(options.jwtSecret), algorithms: ['HS256'] }
    : options.jwksFile
      ? { jwks: createLocalJWKSet(JSON.parse(readFileSync(options.jwksFile, 'utf8'))), algorithms: undefined }
      : null;
  if (!key) return { enabled: false, identify: async () => OPEN };
  return {
    enabled: true,
    identify: async (authorization) => {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (!token) throw unauthenticated('a bearer token is required');
      try {
        const { payload } = 'secret' in key ? await jwtVerify(token, key.secret!, { algorithms: key.algorithms }) : await jwtVerify(token, key.jwks!);
        return identityOf(payload);
      } catch (error) {
        if (error instanceof BerthError) throw error;
        if (error instanceof joseErrors.JWTExpired) throw unauthenticated('the token has expired');
        throw unauthenticated('the token is not valid');
      }
    },
  };
}

function identityOf(payload: JWTPayload): Identity {
  const { namespaces, role } = payload as { namespaces?: unknown; role?: unknown };
  if (!Array.isArray(namespaces) || !namespaces.every((n) => typeof n === 'string')) throw unauthenticated('the token has no namespaces claim');
  if (!ROLES.includes(role as Role)) throw unauthenticated('the token has no valid role claim');
  return {
    namespaces: namespaces.includes('*') ? '*' : namespaces,
    role: role as Role,
    expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : null,
  };
}

/**
 * The scope of a request by `identity`; the claims become the RLS read set. A request that names
 * no namespace works in the default one, or, when the token does not grant that, in the first
 * namespace it does grant (so `berth events` with a team's token needs no -n).
 */
export function scopeFor(identity: Identity, requested: string | null, defaultNamespace: string): Scope {
  const granted = identity.namespaces;
  const namespace = requested ?? (granted === '*' || granted.includes(defaultNamespace) ? defaultNamespace : (granted[0] ?? defaultNamespace));
  requireNamespace(identity, namespace);
  return { namespace, readable: granted };
}

function unauthenticated(message: string): BerthError {
  return new BerthError('UNAUTHENTICATED', message);
}
