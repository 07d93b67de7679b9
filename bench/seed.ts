import { migrate } from '../src/db/migrate.ts';
import { createPool, type Sql } from '../src/db/pool.ts';
import {
  APPS,
  BUCKETS,
  NAMESPACE,
  RUNTIME_NAME,
  RUNTIME_OPTIONS,
  RUNTIME_OPTIONS_TYPE,
  SNAPSHOTTER,
  SPEC,
  SPEC_TYPE,
  STORED_EXTENSIONS,
  TEAMS,
  TIERS,
} from './fixtures.ts';

export interface SeedStats {
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSec: number;
}

export type SeedProgress = (done: number, total: number) => void;

/** Runs the server's migrations (src/db/migrate.ts) on a fresh database, then seeds n containers. */
export async function migrateAndSeed(url: string, n: number, progress: SeedProgress): Promise<SeedStats> {
  const sql = createPool(url, { max: 2 });
  try {
    await migrate(sql);
    await sql`insert into namespaces (name) values (${NAMESPACE}) on conflict do nothing`;
    return await seedContainers(sql, 0, n, progress);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Grows an already seeded database to `to` containers (the `scale` scenario). */
export async function growTo(url: string, from: number, to: number, progress: SeedProgress): Promise<SeedStats> {
  const sql = createPool(url, { max: 2 });
  try {
    return await seedContainers(sql, from, to, progress);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Inserts containers [from, to) with `insert … select … from generate_series`, in batches so a
 * progress line can move. The secondary indexes (GIN on labels, image btree) are dropped first
 * and rebuilt at the end from their own definitions: one bulk build is several times faster than
 * maintaining a GIN index row by row. The SQL mirrors bench/fixtures.ts (labelsFor, imageFor).
 */
async function seedContainers(sql: Sql, from: number, to: number, progress: SeedProgress): Promise<SeedStats> {
  const started = performance.now();
  const total = to - from;
  const indexes = await sql<{ name: string; definition: string }[]>`
    select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = 'containers'
      and i.indexname not in (select conname from pg_constraint where conrelid = 'containers'::regclass)`;
  for (const index of indexes) await sql.unsafe(`drop index "${index.name.replaceAll('"', '""')}"`);

  const batch = Math.max(10_000, Math.min(100_000, Math.ceil(total / 20)));
  progress(0, total);
  for (let start = from; start < to; start += batch) {
    const end = Math.min(to, start + batch);
    await insertContainerRows(sql, 'ctr-', start, end);
    progress(end - from, total);
  }
  for (const index of indexes) await sql.unsafe(index.definition);
  // Fresh statistics, and a visibility map, as a long-running table would have.
  await sql`vacuum (analyze) containers`;
  // And the bulk load's dirty pages written out now, not by the checkpointer during the first
  // scenario (get), which would then run on a busier machine than its baseline. Best effort: it
  // needs a superuser or pg_checkpoint.
  await sql`checkpoint`.catch(() => {});
  const seconds = (performance.now() - started) / 1000;
  return { rows: total, seconds, rowsPerSec: total / seconds };
}

/**
 * Inserts containers <prefix><i, zero-padded to 8> for i in [start, end), like the seeded ones
 * (bench/fixtures.ts labelsFor, imageFor), in one statement: the seed's batches, and the rows
 * the raw delete baseline deletes.
 */
export function insertContainerRows(sql: Sql, prefix: string, start: number, end: number): Promise<unknown> {
  return sql.begin(async (tx) => {
    // Scoped like a request, so a login that is the owner but not a superuser passes FORCE RLS.
    await tx`select set_config('berth.namespace', ${NAMESPACE}, true)`;
    await tx`
      insert into containers (namespace, id, image, runtime_name, runtime_options_type, runtime_options, spec_type, spec,
                              snapshotter, snapshot_key, sandbox, labels, extensions, created_at, updated_at)
      select ${NAMESPACE}, ${prefix} || lpad(i::text, 8, '0'),
             'docker.io/library/' || (${tx.array([...APPS])}::text[])[i % ${APPS.length} + 1] || ':1.' || (i % 7),
             ${RUNTIME_NAME}, ${RUNTIME_OPTIONS_TYPE}, convert_to(${RUNTIME_OPTIONS}, 'UTF8'),
             ${SPEC_TYPE}, convert_to(${SPEC}, 'UTF8'),
             ${SNAPSHOTTER}, ${prefix} || lpad(i::text, 8, '0'), '',
             jsonb_build_object(
               'app', (${tx.array([...APPS])}::text[])[i % ${APPS.length} + 1],
               'bucket', 'b' || (i % ${BUCKETS}),
               'team', 'team-' || (i % ${TEAMS}),
               'tier', (${tx.array([...TIERS])}::text[])[i % ${TIERS.length} + 1],
               'uid', md5(i::text)),
             ${tx.json(STORED_EXTENSIONS)}::jsonb, now(), now()
      from generate_series(${start}::int, ${end - 1}::int) as i`;
  });
}
