import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Sql } from './pool.ts';
import { asOwner } from './transaction.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
/** Any constant will do; it only has to be the same in every Berth process. */
const MIGRATION_LOCK = 0x6265_7274_68;

/**
 * Applies migrations/NNNN_name.sql in order, each once, all in one transaction under an advisory
 * lock so replicas that start together do not race. Hand-written because the migration tool of
 * postgres.js's author (postgres-shift) wants a folder per migration and takes no lock, and the
 * well-kept runners (node-pg-migrate, graphile-migrate) drive the `pg` driver, which Berth does
 * not use. It is one small loop.
 */
export async function migrate(sql: Sql): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name)).sort();
  return asOwner(sql, async (tx) => {
    await tx`set local statement_timeout = 0`;
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    // Created only when missing: `if not exists` would log a notice on every start.
    const [row] = await tx<{ present: boolean }[]>`select to_regclass('berth_migrations') is not null as present`;
    if (!row?.present) await tx`create table berth_migrations (name text primary key, applied_at timestamptz not null default now())`;
    const done = new Set((await tx<{ name: string }[]>`select name from berth_migrations`).map((row) => row.name));
    const applied: string[] = [];
    for (const name of files.filter((file) => !done.has(file))) {
      await tx.unsafe(await readFile(MIGRATIONS_DIR + name, 'utf8'));
      await tx`insert into berth_migrations (name) values (${name})`;
      applied.push(name);
    }
    return applied;
  });
}
