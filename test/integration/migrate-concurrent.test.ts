import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import postgres from 'postgres';
import { migrate } from '../../src/db/migrate.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/server/embedded-postgres.ts';

/**
 * berth_app is a cluster-wide role, created and granted by the first migration of each database.
 * Several fresh databases on one cluster migrating at once (test files, or tenants' servers
 * starting together) must all succeed. The test needs a cluster where the role does not exist yet,
 * and drops it between rounds, so it runs its own embedded Postgres rather than a shared server.
 */
const DATABASES = 4;
const ROUNDS = 3;
/** A login as a production deployment might have: it may create roles and databases, no more. */
const OWNER = { name: 'berth_owner', password: 'owner-password' };
let dataDir: string;
let cluster: EmbeddedDatabase;
let admin: postgres.Sql;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'berth-migrate-race-'));
  cluster = await startEmbeddedPostgres(dataDir, () => {});
  admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create role ${OWNER.name} login createrole createdb password '${OWNER.password}'`);
});
after(async () => {
  await admin?.end();
  await cluster?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const urlOf = (name: string, asOwner: boolean) => {
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  if (asOwner) [url.username, url.password] = [OWNER.name, OWNER.password];
  return url.toString();
};

for (let round = 1; round <= 2 * ROUNDS; round++) {
  const asOwner = round > ROUNDS;
  test(`round ${round}: ${DATABASES} fresh databases migrate at once on a cluster without berth_app, as ${asOwner ? 'a CREATEROLE login' : 'a superuser'}`, async () => {
    assert.equal((await admin`select 1 from pg_roles where rolname = 'berth_app'`).length, 0, 'the role does not exist yet');
    const names = Array.from({ length: DATABASES }, (_, i) => `race_${round}_${i}`);
    for (const name of names) await admin.unsafe(`create database ${name}${asOwner ? ` owner ${OWNER.name}` : ''}`);
    const pools = names.map((name) => postgres(urlOf(name, asOwner), { max: 1, onnotice: () => {} }));
    try {
      const outcomes = await Promise.allSettled(pools.map((sql) => migrate(sql)));
      const failures = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`${names[i]}: ${(o.reason as Error).message}`] : []));
      assert.deepEqual(failures, [], 'every database migrated');
      for (const sql of pools) {
        const [row] = await sql<{ member: boolean }[]>`select pg_has_role(current_user, 'berth_app', 'MEMBER') as member`;
        assert.equal(row?.member, true, 'the login is a member of berth_app');
        await sql.begin((tx) => tx`set local role berth_app`); // what every request transaction does
      }
    } finally {
      await Promise.all(pools.map((sql) => sql.end()));
      for (const name of names) await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin`drop role if exists berth_app`;
    }
  });
}
