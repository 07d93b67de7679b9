import { resolve } from 'node:path';

/** Everything the server reads from its environment (API.md "Starting the server"). */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Unset means: start an embedded Postgres under dataDir. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly defaultNamespace: string;
  readonly logLevel: string;
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
  };
}

function integer(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${text}"`);
  return value;
}
