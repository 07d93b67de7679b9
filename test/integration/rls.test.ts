import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { inScope } from '../../src/db/transaction.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * Row-level security, proven below the application: statements with no namespace condition at
 * all, run in a transaction scoped to namespace A by src/db/transaction.ts, cannot see or touch
 * namespace B, although the login user is a superuser.
 */
let server: TestServer;
before(async () => {
  server = await startServer();
  const create = `mutation($c: ContainerInput!) { createContainer(input: { container: $c }) { container { containerId } } }`;
  for (const namespace of ['alpha', 'bravo']) {
    for (const id of ['one', 'two']) {
      const result = await server.gql(
        create,
        { c: { containerId: id, image: `${namespace}-image`, runtime: { name: 'rt' }, spec: { typeUrl: 't', json: {} } } },
        { namespace },
      );
      assert.equal(result.errors, undefined);
    }
  }
});
after(() => server.close());

const scopeA = { namespace: 'alpha', readable: ['alpha'] } as const;

test('the login user is a superuser, so only the policies and the role stand in the way', async () => {
  const [row] = await server.sql<{ rolsuper: boolean }[]>`select rolsuper from pg_roles where rolname = session_user`;
  assert.equal(row?.rolsuper, true);
  const [all] = await server.sql<{ count: string }[]>`select count(*) from containers`;
  assert.equal(all?.count, '4', 'outside a scoped transaction the superuser sees everything');
});

test("the server's own pool sees nothing outside a scoped transaction", async () => {
  const [row] = await server.appSql<{ who: string; count: string }[]>`select current_user as who, (select count(*) from containers) as count`;
  assert.deepEqual(row, { who: 'berth_app', count: '0' });
});

test('reads without a namespace condition see only the scoped namespace', async () => {
  await inScope(server.sql, scopeA, async (tx) => {
    const [who] = await tx<{ current_user: string }[]>`select current_user`;
    assert.equal(who?.current_user, 'berth_app');
    const rows = await tx<{ namespace: string }[]>`select namespace from containers`;
    assert.deepEqual(new Set(rows.map((r) => r.namespace)), new Set(['alpha']));
    assert.equal(rows.length, 2);
    const events = await tx<{ namespace: string }[]>`select distinct namespace from events`;
    assert.deepEqual(
      events.map((e) => e.namespace),
      ['alpha'],
    );
    const names = await tx<{ name: string }[]>`select name from namespaces`;
    assert.deepEqual(
      names.map((n) => n.name),
      ['alpha'],
    );
  });
});

test('writes into another namespace are refused or reach no row', async () => {
  await inScope(server.sql, scopeA, async (tx) => {
    const updated = await tx`update containers set image = 'stolen' where namespace = 'bravo'`;
    assert.equal(updated.count, 0);
    const deleted = await tx`delete from containers where namespace = 'bravo'`;
    assert.equal(deleted.count, 0);
    const renamed = await tx`update namespaces set labels = '{"x":"y"}' where name = 'bravo'`;
    assert.equal(renamed.count, 0);
  });
  await assert.rejects(
    inScope(
      server.sql,
      scopeA,
      (tx) => tx`insert into containers (namespace, id, runtime_name, created_at, updated_at) values ('bravo', 'x', 'rt', now(), now())`,
    ),
    /row-level security/,
  );
  await assert.rejects(
    inScope(server.sql, scopeA, (tx) => tx`update containers set namespace = 'bravo' where id = 'one'`),
    /row-level security/,
  );
  await assert.rejects(
    inScope(server.sql, scopeA, (tx) => tx`insert into events (seq, namespace, topic, payload) values (999, 'bravo', '/x', '{}')`),
    /row-level security/,
  );
  const [active] = await inScope(server.sql, scopeA, (tx) => tx<{ on: boolean }[]>`select row_security_active('containers') as on`);
  assert.equal(active?.on, true);
  const [row] = await server.sql<{ image: string }[]>`select image from containers where namespace = 'bravo' and id = 'one'`;
  assert.equal(row?.image, 'bravo-image');
});

test('the API reads through the same scope', async () => {
  const listed = await server.gql(`{ containers { totalCount nodes { containerId namespace } } }`, {}, { namespace: 'alpha' });
  assert.deepEqual(listed.data.containers, {
    totalCount: 2,
    nodes: [
      { containerId: 'one', namespace: 'alpha' },
      { containerId: 'two', namespace: 'alpha' },
    ],
  });
});
