import type postgres from 'postgres';
import { createPool } from '../src/db/pool.ts';
import { closedLoop, warmThenMeasure } from './closed-loop.ts';
import {
  imageFor,
  labelsFor,
  LIST_FILTER,
  NAMESPACE,
  RUNTIME_NAME,
  RUNTIME_OPTIONS,
  RUNTIME_OPTIONS_TYPE,
  randomBucket,
  randomStableId,
  SNAPSHOTTER,
  SPEC,
  SPEC_TYPE,
  STORED_EXTENSIONS,
} from './fixtures.ts';
import type { RawJob, RawOp, ThroughputResult } from './protocol.ts';
import { insertContainerRows } from './seed.ts';

/**
 * The limit: each operation as ONE plain statement through postgres.js, in autocommit. No
 * transaction block, no scoping set_configs, no event append, no NOTIFY, no GraphQL, no HTTP.
 * Berth ÷ raw is therefore the whole cost of the design (API layers, scoping and events), where
 * Berth ÷ baseline (bench/baseline.ts) is the API layers' alone.
 *
 * Same pool size and concurrency as the baseline, and the same pool factory, so rows are parsed
 * alike. With no scope set, row-level security would hide every row from a login that is subject
 * to it; the statements check what they touched, so that shows as errors, not as fast no-ops.
 * A superuser (the embedded Postgres's, or the machine's) bypasses it, as "the limit" should.
 */
export async function runRaw(job: RawJob, progress: (text: string) => void): Promise<ThroughputResult> {
  const sql = createPool(job.databaseUrl, { max: job.poolSize });
  try {
    if (job.op === 'delete') return await rawDelete(sql, job, progress);
    const { op, exhausted, createdIds } = operation(sql, job, job.op);
    const result = await warmThenMeasure(op, job, progress, exhausted);
    return createdIds ? { ...result, createdIds } : result;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

interface Operation {
  op(): Promise<unknown>;
  exhausted?: () => boolean;
  createdIds?: string[];
}

function expectOne(job: RawJob, what: string, count: number): void {
  if (count !== 1) throw new Error(`raw ${job.op}: ${what} touched ${count} rows, not 1 (a login subject to row-level security sees none)`);
}

/** How much longer than the window the supply of rows to delete should last, at the warm-up's rate. */
const SUPPLY_MARGIN = 3;

/**
 * Delete by key, of rows made for it: first those raw create made, which the warm-up starts on.
 * Deleting is faster than inserting, so after the warm-up, at a few times its rate (a warm-up is
 * slower than what follows), the supply is topped up, unmeasured and in bulk, to last the window. Should it run out anyway, the window ends there and
 * the result says so.
 */
async function rawDelete(sql: postgres.Sql, job: RawJob, progress: (text: string) => void): Promise<ThroughputResult> {
  const ids = [...(job.deleteIds ?? [])];
  if (ids.length === 0) throw new Error('raw delete starts on the rows raw create made, and there are none: run create and raw together');
  let k = 0;
  const op = async () => expectOne(job, 'delete by key', (await sql`delete from containers where namespace = ${NAMESPACE} and id = ${ids[k++]!}`).count);
  const exhausted = () => k >= ids.length;
  let added = 0;
  if (job.warmup > 0) {
    const warm = await closedLoop(op, job.concurrency, job.warmup, exhausted, (s) => progress(`warming up ${s}/${job.warmup} s`));
    const wanted = Math.ceil((warm.ops / warm.seconds) * job.duration * SUPPLY_MARGIN) - (ids.length - k);
    if (wanted > 0) {
      const prefix = `rawdel-${job.tag}-`;
      progress(`adding ${wanted} rows to delete`);
      for (let start = 0; start < wanted; start += TOP_UP_BATCH) await insertContainerRows(sql, prefix, start, Math.min(wanted, start + TOP_UP_BATCH));
      for (let i = 0; i < wanted; i++) ids.push(`${prefix}${String(i).padStart(8, '0')}`);
      added = wanted;
    }
  }
  const result = await closedLoop(op, job.concurrency, job.duration, exhausted, (s, ok, errors) =>
    progress(`${s}/${job.duration} s, ${ok} ok, ${errors} errors`),
  );
  return { ...result, addedRows: added };
}

const TOP_UP_BATCH = 50_000;

/** Every operation but delete (rawDelete): one statement each, run by the closed loop as it comes. */
function operation(sql: postgres.Sql, job: RawJob, kind: Exclude<RawOp, 'delete'>): Operation {
  switch (kind) {
    case 'get':
      return {
        op: async () => {
          const rows = await sql`select * from containers where namespace = ${NAMESPACE} and id = ${randomStableId(job.n)}`;
          expectOne(job, 'select by key', rows.length);
        },
      };
    case 'list': {
      const [key, value] = LIST_FILTER.slice('labels.'.length).split('==') as [string, string];
      const filter = sql.json({ [key]: value });
      return {
        op: async () => {
          const rows = await sql`
            select * from containers where namespace = ${NAMESPACE} and labels @> ${filter}::jsonb order by id asc limit ${100 + 1}`;
          if (rows.length === 0) throw new Error(`raw list: no row matched ${LIST_FILTER}`);
        },
      };
    }
    case 'scale':
      // 1 in 10,000 rows carries a given bucket: on a small table some buckets match none.
      return {
        op: () => sql`
          select * from containers where namespace = ${NAMESPACE} and labels @> ${sql.json({ bucket: randomBucket() })}::jsonb order by id asc limit ${100 + 1}`,
      };
    case 'create': {
      // Rows like the seeded ones (bench/seed.ts), keyed raw-<tag>-<k>; raw delete consumes them.
      let k = 0;
      const createdIds: string[] = [];
      const runtimeOptions = Buffer.from(RUNTIME_OPTIONS);
      const spec = Buffer.from(SPEC);
      const extensions = sql.json(STORED_EXTENSIONS);
      return {
        op: async () => {
          const index = k++;
          const id = `raw-${job.tag}-${index}`;
          const { count } = await sql`
            insert into containers (namespace, id, image, runtime_name, runtime_options_type, runtime_options, spec_type, spec,
                                    snapshotter, snapshot_key, sandbox, labels, extensions, created_at, updated_at)
            values (${NAMESPACE}, ${id}, ${imageFor(index)}, ${RUNTIME_NAME}, ${RUNTIME_OPTIONS_TYPE}, ${runtimeOptions},
                    ${SPEC_TYPE}, ${spec}, ${SNAPSHOTTER}, ${id}, ${''}, ${sql.json(labelsFor(index, id))}, ${extensions}, now(), now())`;
          expectOne(job, 'insert', count);
          createdIds.push(id);
        },
        createdIds,
      };
    }
    case 'update': {
      let k = 0;
      return {
        op: async () => {
          const { count } = await sql`
            update containers set labels = labels || ${sql.json({ 'bench.updated': String(k++) })}::jsonb
            where namespace = ${NAMESPACE} and id = ${randomStableId(job.n)}`;
          expectOne(job, 'update by key', count);
        },
      };
    }
  }
}
