import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { migrate } from '../../src/db/migrate.ts';
import { createPool, type Sql } from '../../src/db/pool.ts';
import { inScope } from '../../src/db/transaction.ts';
import { within } from '../helpers/bounded.ts';
import { freshDatabase } from '../helpers/database.ts';
import { scriptedRelay } from '../helpers/ports.ts';

/**
 * The request pool after connection attempts that fail while others succeed, as they do while
 * Postgres restarts under load: every transaction still gets a connection, and the pool keeps all
 * of them. postgres.js 3.4.9 loses both (patches/postgres+3.4.9.patch): a reserve whose connection
 * attempt failed stays in the pool's queue, so the next connection to come free is handed to it
 * and never seen again; and a reserve that a reconnect took over is dropped when that connection
 * opens, so its transaction waits forever. And a connection lost while the driver reads Postgres's
 * array types, right after its start-up, rejects a promise nothing handles, which ends the
 * process. A relay in front of Postgres orders the attempts and their fates.
 */
const SCOPE = { namespace: 'default', readable: '*' } as const;
/** Far beyond a transaction of one `select 1` on a loaded machine; only a stranded one is this late. */
const STRANDED_MS = 15_000;

let db: { url: string; drop: () => Promise<void> };
let dbPort: number;

before(async () => {
  db = await freshDatabase();
  const owner = createPool(db.url, { max: 1 });
  await migrate(owner);
  await owner.end();
  dbPort = Number(new URL(db.url).port || 5432);
});
after(async () => {
  await db.drop();
});

function poolVia(port: number, max: number): Sql {
  const url = new URL(db.url);
  url.port = String(port);
  return createPool(url.toString(), { max });
}

/**
 * `max` transactions that each hold their connection until all of them have one: they finish only
 * if the pool still has all `max` connections to give.
 */
function allConnectionsAtOnce(sql: Sql, max: number): Promise<number[]> {
  let arrived = 0;
  let everyone: () => void = () => {};
  const allThere = new Promise<void>((resolve) => (everyone = resolve));
  return Promise.all(
    Array.from({ length: max }, () =>
      inScope(sql, SCOPE, async (tx) => {
        const [row] = await tx<{ one: number }[]>`select 1 as one`;
        if (++arrived === max) everyone();
        await allThere;
        return row!.one;
      }),
    ),
  );
}

test('a reserve whose connection attempt failed neither strands another transaction nor takes a connection with it', async (t) => {
  // The first attempt hangs until released, the second is reset; the reconnect after it passes.
  const relay = await scriptedRelay(dbPort, ['hold', 'reset']);
  const sql = poolVia(relay.port, 2);
  t.after(async () => {
    await sql.end({ timeout: 1 });
    await relay.close();
  });

  const first = inScope(sql, SCOPE, (tx) => tx`select 1 as one`);
  const second = inScope(sql, SCOPE, (tx) => tx`select 1 as one`);
  await assert.rejects(within(second, 'the transaction whose connection was reset to fail'), (error: Error) =>
    /database is unavailable, so nothing was changed/.test(error.message),
  );
  relay.releaseHeld();
  const [row] = await within(first, 'the first transaction (its connection attempt was only slow) to finish', STRANDED_MS);
  assert.equal(row!.one, 1);
  assert.deepEqual(await within(allConnectionsAtOnce(sql, 2), 'both pooled connections at once', STRANDED_MS), [1, 1]);
});

test('after a burst of failed attempts, the pool serves with every connection', async (t) => {
  const relay = await scriptedRelay(dbPort, ['reset', 'hold', 'reset', 'reset', 'pass', 'reset']);
  const sql = poolVia(relay.port, 3);
  t.after(async () => {
    await sql.end({ timeout: 1 });
    await relay.close();
  });

  const burst = Array.from({ length: 8 }, () =>
    inScope(sql, SCOPE, (tx) => tx`select 1 as one`).then(
      () => 'ok',
      () => 'failed',
    ),
  );
  setTimeout(() => relay.releaseHeld(), 500).unref();
  const outcomes = await within(Promise.all(burst), 'every transaction of the burst to finish or fail', STRANDED_MS);
  assert.ok(outcomes.includes('failed'), 'some attempts failed, as planned');
  assert.deepEqual(await within(allConnectionsAtOnce(sql, 3), 'all three pooled connections at once', STRANDED_MS), [1, 1, 1]);
});

test('a connection lost right after its start-up, while the driver reads the array types, neither ends the process nor fails the pool', async (t) => {
  const relay = await scriptedRelay(dbPort, ['drop-when-ready', 'drop-when-ready']);
  const sql = poolVia(relay.port, 2);
  let unhandled: unknown;
  const onUnhandled = (reason: unknown) => (unhandled = reason);
  process.on('unhandledRejection', onUnhandled);
  t.after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await sql.end({ timeout: 1 });
    await relay.close();
  });

  const [row] = await within(
    inScope(sql, SCOPE, (tx) => tx`select 1 as one`),
    'a transaction after two lost start-ups',
    STRANDED_MS,
  );
  assert.equal(row!.one, 1);
  assert.equal(unhandled, undefined, `a promise was rejected and not handled: ${String(unhandled)}`);
  assert.deepEqual(await within(allConnectionsAtOnce(sql, 2), 'both pooled connections at once', STRANDED_MS), [1, 1]);
});
