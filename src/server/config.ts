import { resolve } from 'node:path';
import type { Limits } from '../model/limits.ts';
import { parseAllowedOrigins } from './origins.ts';
import { StartupError } from './startup-error.ts';

/** Everything the server reads from its environment (README "Configuration"). */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Unset means: start an embedded Postgres under dataDir. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly defaultNamespace: string;
  readonly logLevel: string;
  /** BERTH_EVENT_RETENTION: events older than this are pruned; resuming before them is OUT_OF_RANGE. */
  readonly eventRetentionSeconds: number;
  /** BERTH_SUBSCRIBER_BUFFER: live events a subscriber may fall behind by before RESOURCE_EXHAUSTED. */
  readonly subscriberBuffer: number;
  /** HS256 secret, or a JWKS file: either turns authentication on (docs/api.md "Namespace and identity"). */
  readonly jwtSecret: string | undefined;
  readonly jwksFile: string | undefined;
  /** Allows listening on a non-loopback HOST without authentication. */
  readonly insecure: boolean;
  /** BERTH_CORS_ORIGINS: web origins besides the server's own that may call it (src/server/origins.ts). */
  readonly corsOrigins: '*' | readonly string[];
  readonly limits: Limits;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): Config {
  return {
    port: integer(env.PORT ?? '4000', 'PORT'),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.BERTH_DATA_DIR ?? '.berth'),
    defaultNamespace: env.BERTH_DEFAULT_NAMESPACE ?? 'default',
    logLevel: env.BERTH_LOG_LEVEL ?? 'info',
    eventRetentionSeconds: durationSeconds(env.BERTH_EVENT_RETENTION ?? '7d', 'BERTH_EVENT_RETENTION'),
    subscriberBuffer: positiveInteger(env.BERTH_SUBSCRIBER_BUFFER ?? '1000', 'BERTH_SUBSCRIBER_BUFFER'),
    jwtSecret: env.BERTH_JWT_SECRET || undefined,
    jwksFile: env.BERTH_JWKS_FILE || undefined,
    insecure: env.BERTH_INSECURE === '1',
    corsOrigins: parseAllowedOrigins(env.BERTH_CORS_ORIGINS),
    limits: {
      maxDepth: integer(env.BERTH_MAX_DEPTH ?? '12', 'BERTH_MAX_DEPTH'),
      maxAliases: integer(env.BERTH_MAX_ALIASES ?? '30', 'BERTH_MAX_ALIASES'),
      maxCost: integer(env.BERTH_MAX_COST ?? '250000', 'BERTH_MAX_COST'),
      maxDirectives: integer(env.BERTH_MAX_DIRECTIVES ?? '50', 'BERTH_MAX_DIRECTIVES'),
      maxTokens: integer(env.BERTH_MAX_TOKENS ?? '3000', 'BERTH_MAX_TOKENS'),
      maxFilterSelectors: integer(env.BERTH_MAX_FILTER_SELECTORS ?? '1000', 'BERTH_MAX_FILTER_SELECTORS'),
      maxBodyBytes: integer(env.BERTH_MAX_BODY_BYTES ?? String(2 * 1024 * 1024), 'BERTH_MAX_BODY_BYTES'),
      maxLabels: integer(env.BERTH_MAX_LABELS ?? '512', 'BERTH_MAX_LABELS'),
      maxExtensions: integer(env.BERTH_MAX_EXTENSIONS ?? '64', 'BERTH_MAX_EXTENSIONS'),
      statementTimeoutMs: integer(env.BERTH_STATEMENT_TIMEOUT_MS ?? '5000', 'BERTH_STATEMENT_TIMEOUT_MS'),
      idleInTransactionTimeoutMs: integer(env.BERTH_IDLE_IN_TRANSACTION_TIMEOUT_MS ?? '2000', 'BERTH_IDLE_IN_TRANSACTION_TIMEOUT_MS'),
      maxSubscriptionsPerConnection: integer(env.BERTH_MAX_SUBSCRIPTIONS_PER_CONNECTION ?? '32', 'BERTH_MAX_SUBSCRIPTIONS_PER_CONNECTION'),
      maxRequestsInFlight: positiveInteger(env.BERTH_MAX_REQUESTS_IN_FLIGHT ?? '64', 'BERTH_MAX_REQUESTS_IN_FLIGHT'),
    },
  };
}

function integer(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new StartupError(`${name} must be a non-negative integer, got "${text}"`);
  return value;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds, either bare (`604800`) or with a unit: `30s`, `15m`, `1h`, `7d`. */
export function durationSeconds(text: string, name: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * (DURATION_UNITS[match[2] || 's'] ?? 1) : NaN;
  if (!(seconds > 0)) throw new StartupError(`${name} must be a positive duration such as 604800, 30s, 15m, 1h or 7d, got "${text}"`);
  return seconds;
}

function positiveInteger(text: string, name: string): number {
  const value = integer(text, name);
  if (value === 0) throw new StartupError(`${name} must be at least 1, got "${text}"`);
  return value;
}
