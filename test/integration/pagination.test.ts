import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CREATE, DELETE, LIST } from '../helpers/containers.ts';
import { seededRandom } from '../helpers/random.ts';
import { type GraphQLResponse, startServer, type TestServer } from '../helpers/server.ts';

/**
 * Keyset pages stay correct while other clients write: walking every page, each row that existed
 * throughout is seen exactly once, no row is seen twice, and ids arrive in byte-wise order.
 */
const random = seededRandom();
const NS = 'pages';
let server: TestServer;
const stable: string[] = [];
const churn: string[] = [];

const spec = { typeUrl: 't', value: '' };
const create = (id: string) =>
  server.gql(CREATE, { c: { containerId: id, runtime: { name: 'rt' }, spec, labels: [{ key: 'walk', value: 'yes' }] } }, { namespace: NS });

before(async () => {
  server = await startServer();
  for (let i = 0; i < 120; i++) {
    const id = `s${String(i).padStart(3, '0')}`;
    stable.push(id);
    assert.equal((await create(id)).errors, undefined);
    const doomed = `${id}-${random.pick(['a', 'B', 'z'])}`;
    churn.push(doomed);
    assert.equal((await create(doomed)).errors, undefined);
  }
});
after(() => server.close());

/** Inserts new rows between and around the stable ones and deletes the churn rows, until stopped. */
function churnWhile(): { stop: () => Promise<void> } {
  let running = true;
  let n = 0;
  const loop = (async () => {
    while (running) {
      const fresh = `${random.pick(['', 's0', 's1', 'A', 'z', 's05'])}${random.pick(['', '0', '5', '9'])}n${n++}`;
      await create(fresh);
      const victim = churn.splice(random.int(churn.length), 1)[0];
      if (victim) await server.gql(DELETE, { id: victim }, { namespace: NS });
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

interface Walk {
  /** Every id seen, in the order of travel. */
  readonly seen: string[];
  /** Each page's size, and whether it said more pages lie in the direction of travel. */
  readonly pages: { size: number; more: boolean }[];
}

/** Walks every page of `filter`'s matches; a walk longer than `maxPages` fails rather than loops. */
async function walk(direction: 'forward' | 'backward', size: number, namespace = NS, filter = 'labels.walk==yes', maxPages = 1000): Promise<Walk> {
  const result: Walk = { seen: [], pages: [] };
  let cursor: string | null = null;
  while (result.pages.length < maxPages) {
    const variables: Record<string, unknown> =
      direction === 'forward' ? { f: [filter], first: size, after: cursor } : { f: [filter], last: size, before: cursor };
    const page: GraphQLResponse = await server.gql(LIST, variables, { namespace });
    assert.equal(page.errors, undefined, JSON.stringify(page.errors));
    const { nodes, pageInfo } = page.data.containers;
    const ids = nodes.map((n: { containerId: string }) => n.containerId);
    result.seen.push(...(direction === 'forward' ? ids : ids.reverse()));
    const more = direction === 'forward' ? pageInfo.hasNextPage : pageInfo.hasPreviousPage;
    result.pages.push({ size: ids.length, more });
    if (!more) return result;
    cursor = direction === 'forward' ? pageInfo.endCursor : pageInfo.startCursor;
  }
  assert.fail(`walking ${direction} by ${size} did not reach the end within ${maxPages} pages`);
}

for (const direction of ['forward', 'backward'] as const) {
  test(`walking ${direction} in pages of 7 during concurrent inserts and deletes (seed ${random.seed})`, async () => {
    const writer = churnWhile();
    const { seen, pages } = await walk(direction, 7).finally(() => writer.stop());
    assert.ok(
      pages.slice(0, -1).every((p) => p.size === 7 && p.more),
      'every page but the last is full and says more follow',
    );
    assert.ok((pages.at(-1)?.size ?? 0) <= 7 && !pages.at(-1)?.more, 'the last page is at most full and says none follow');
    assert.equal(new Set(seen).size, seen.length, 'no row is seen twice');
    for (const id of stable) assert.equal(seen.filter((s) => s === id).length, 1, `${id} is seen exactly once`);
    const ordered = [...seen].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(seen, direction === 'forward' ? ordered : ordered.reverse());
  });
}

/** Exact shapes with no concurrent writes: one namespace per row count, walked both ways by 3. */
const EDGES: [string, number, number[]][] = [
  ['no rows', 0, [0]],
  ['one row', 1, [1]],
  ['fewer rows than a page', 2, [2]],
  ['exactly one page', 3, [3]],
  ['an exact multiple of the page size', 6, [3, 3]],
  ['a multiple plus one', 7, [3, 3, 1]],
];
for (const [name, rows, sizes] of EDGES) {
  test(`${name}: ${rows} rows in pages of 3 are pages of ${sizes.join(', ')} both ways, with hasNextPage/hasPreviousPage`, async () => {
    const namespace = `edges-${rows}`;
    const ids = Array.from({ length: rows }, (_, i) => `e${i}`);
    for (const id of ids) assert.equal((await server.gql(CREATE, { c: { containerId: id, runtime: { name: 'rt' }, spec } }, { namespace })).errors, undefined);
    for (const direction of ['forward', 'backward'] as const) {
      const { seen, pages } = await walk(direction, 3, namespace, 'id', sizes.length + 1);
      assert.deepEqual(
        pages.map((p) => p.size),
        sizes,
        `${direction}: page sizes`,
      );
      assert.deepEqual(
        pages.map((p) => p.more),
        sizes.map((_, i) => i < sizes.length - 1),
        `${direction}: more pages on all but the last`,
      );
      assert.deepEqual(seen, direction === 'forward' ? ids : [...ids].reverse(), `${direction}: every row once, in order`);
    }
  });
}

test('page arguments: limits and bad cursors', async () => {
  const tooMany = await server.gql(LIST, { first: 1001 }, { namespace: NS });
  assert.equal(tooMany.errors?.[0]?.extensions?.code, 'RESOURCE_EXHAUSTED');
  const negative = await server.gql(LIST, { last: -1 }, { namespace: NS });
  assert.equal(negative.errors?.[0]?.extensions?.code, 'INVALID_ARGUMENT');
  const garbage = await server.gql(LIST, { first: 1, after: '%%%not-a-cursor' }, { namespace: NS });
  assert.equal(garbage.errors?.[0]?.extensions?.code, 'INVALID_ARGUMENT');
  const all = await server.gql(LIST, { first: 1000 }, { namespace: NS });
  assert.equal(all.data.containers.totalCount, all.data.containers.nodes.length);
  assert.match(all.data.containers.watchCursor, /^[0-9a-f]{16}$/);
});
