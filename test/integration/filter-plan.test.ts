import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { countStatement, pageStatement } from '../../src/db/containers.ts';
import { CONTAINER_FIELDS, filterCondition } from '../../src/db/filter-sql.ts';
import type { TransactionSql } from '../../src/db/pool.ts';
import { inScope } from '../../src/db/transaction.ts';
import { parseAll } from '../../src/filters/parser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * Plans, not timings: with 100k containers, label equality and label presence are answered from
 * the GIN index on labels, under the request role (berth_app, row-level security on). Without the
 * LEAKPROOF marking in migrations/0001 the planner would refuse the index under RLS.
 */
const NS = 'big';
let server: TestServer;

before(async () => {
  server = await startServer();
  await server.sql`insert into namespaces (name) values (${NS}), ('other')`;
  // Seeding 200k rows may outlast the request statement timeout on a busy machine.
  await server.sql.begin(async (tx) => {
    await tx`set local statement_timeout = 0`;
    await tx`
    insert into containers (namespace, id, image, runtime_name, spec_type, spec, labels, created_at, updated_at)
    select case when i % 2 = 0 then ${NS} else 'other' end, 'c' || lpad(i::text, 7, '0'), 'img', 'rt', 't', '\\x'::bytea,
           jsonb_build_object('app', (array['db','web','cache','queue','api','auth','search','mail','log','ml'])[1 + (i / 2) % 10],
                              'uid', i::text, 'bucket', 'b' || (i % 10000))
             || case when i % 5000 = 0 then '{"x/y": "1"}'::jsonb else '{}'::jsonb end
             || case when i % 20000 = 0 then '{"app": "db"}'::jsonb else '{}'::jsonb end,
           now(), now()
    from generate_series(1, 200000) as i`;
  });
  await server.sql`analyze containers`;
});
after(() => server.close());

async function plan(filter: string, statement: 'page' | 'count'): Promise<string> {
  return inScope(server.sql, { namespace: NS, readable: [NS] }, async (tx: TransactionSql) => {
    const where = filterCondition(tx, parseAll([filter]), CONTAINER_FIELDS);
    const inner = statement === 'page' ? pageStatement(tx, NS, { where, limit: 101, fromEnd: false }) : countStatement(tx, NS, where);
    const [row] = await tx<{ 'QUERY PLAN': unknown }[]>`explain (format json) ${inner}`;
    const [who] = await tx<{ current_user: string }[]>`select current_user`;
    assert.equal(who?.current_user, 'berth_app');
    return JSON.stringify(row?.['QUERY PLAN']);
  });
}

test('100k containers in the namespace', async () => {
  const [row] = await server.sql<{ count: string }[]>`select count(*) from containers where namespace = ${NS}`;
  assert.equal(row?.count, '100000');
});

for (const filter of ['labels.app==db', 'labels."x/y"', 'labels.uid==4242']) {
  test(`${filter}: counting uses the GIN index under the request role`, async () => {
    assert.match(await plan(filter, 'count'), /"Index Name":"containers_labels"/);
  });
}

for (const filter of ['labels."x/y"', 'labels.uid==4242']) {
  test(`${filter}: a page of a selective filter uses the GIN index under the request role`, async () => {
    assert.match(await plan(filter, 'page'), /"Index Name":"containers_labels"/);
  });
}

test('a selective label value that the statistics happened to sample still pages through the GIN index', async () => {
  // `bucket` takes 10,000 values, 1 row in 10,000 each. A value that ANALYZE's histogram holds is
  // estimated from the histogram's share of it; at the default statistics target (100 entries)
  // that is 1 in 100, a hundred times too many, and the planner then walks the primary key in
  // id order expecting a page soon, reading the whole namespace instead (0.5 s at 1M rows). The
  // histogram's first and last entries are not used for estimates; the tenth is.
  const [sampled] = await server.sql<{ bucket: string }[]>`
    select entry ->> 'bucket' as bucket
    from pg_stats, unnest(histogram_bounds::text::jsonb[]) with ordinality as bound(entry, position)
    where tablename = 'containers' and attname = 'labels' and position = 10`;
  assert.ok(sampled, 'the labels histogram holds a bucket value');
  const page = await plan(`labels.bucket==${sampled.bucket}`, 'page');
  assert.match(page, /"Index Name":"containers_labels"/);
});

test('labels.app==db: a page of a 1-in-10 filter never scans the table', async () => {
  // One row in ten matches, so walking the primary key in id order finds the 101 rows of a page
  // after about a thousand: cheaper than fetching all ten thousand through the GIN index and
  // sorting them. Either plan is acceptable; a sequential scan or a sort of the namespace is not.
  const page = await plan('labels.app==db', 'page');
  assert.match(page, /"Index Name":"containers_(labels|pkey)"/);
  assert.doesNotMatch(page, /Seq Scan/);
});
