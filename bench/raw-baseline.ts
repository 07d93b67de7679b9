import type postgres from 'postgres';
import { createPool } from '../src/db/pool.ts';
import { warmThenMeasure } from './closed-loop.ts';
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
import type { RawJob, ThroughputResult } from './protocol.ts';

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
    const { op, exhausted, createdIds } = operation(sql, job);
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

function operation(sql: postgres.Sql, job: RawJob): Operation {
  const expectOne = (what: string, count: number) => {
    if (count !== 1) throw new Error(`raw ${job.op}: ${what} touched ${count} rows, not 1 (a login subject to row-level security sees none)`);
  };
  switch (job.op) {
    case 'get':
      return {
        op: async () => {
          const rows = await sql`select * from containers where namespace = ${NAMESPACE} and id = ${randomStableId(job.n)}`;
          expectOne('select by key', rows.length);
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
          expectOne('insert', count);
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
          expectOne('update by key', count);
        },
      };
    }
    case 'delete': {
      const ids = job.deleteIds ?? [];
      if (ids.length === 0) throw new Error('raw delete deletes the rows raw create made, and there are none: run create and raw together');
      let k = 0;
      return {
        op: async () => {
          const { count } = await sql`delete from containers where namespace = ${NAMESPACE} and id = ${ids[k++]!}`;
          expectOne('delete by key', count);
        },
        exhausted: () => k >= ids.length,
      };
    }
  }
}
