import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../src/server/embedded-postgres.ts';

export interface PostgresServer {
  /** A URL on the server's maintenance database, used to create and drop the bench database. */
  readonly url: string;
  readonly embedded: boolean;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL's server (e.g. postgres://postgres@127.0.0.1:5432/postgres); or, when it is unset,
 * an embedded Postgres in a temporary folder that stop() removes, as `npm start` would do.
 */
export async function postgresServer(env: NodeJS.ProcessEnv = process.env): Promise<PostgresServer> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false, stop: async () => {} };
  const dataDir = await mkdtemp(join(tmpdir(), 'berth-bench-pg-'));
  const embedded = await startEmbeddedPostgres(dataDir, () => {});
  return {
    url: embedded.url,
    embedded: true,
    stop: async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the server, named berth_bench_<random>; drop() removes it (forcibly). */
export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `berth_bench_${randomBytes(5).toString('hex')}`;
  await withAdmin(serverUrl, (admin) => admin.unsafe(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withAdmin(serverUrl, (admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}

export async function postgresVersion(url: string): Promise<string> {
  return withAdmin(url, async (admin) => {
    const [row] = await admin<{ server_version: string }[]>`show server_version`;
    return row?.server_version ?? 'unknown';
  });
}

async function withAdmin<T>(url: string, work: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await work(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}
