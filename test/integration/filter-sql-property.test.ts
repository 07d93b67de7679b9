import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CONTAINER_FIELDS, filterCondition } from '../../src/db/filter-sql.ts';
import { inScope } from '../../src/db/transaction.ts';
import { containerAdaptor } from '../../src/filters/adaptors.ts';
import { matches } from '../../src/filters/match.ts';
import { parseAll } from '../../src/filters/parser.ts';
import { CREATE } from '../helpers/containers.ts';
import { seededRandom } from '../helpers/random.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * The SQL compilation of filters (src/db/filter-sql.ts) must select exactly the containers that
 * containerd's matcher (src/filters/match.ts) accepts. Random containers, random filters, both
 * evaluated; any difference fails with the seed that reproduces it (BERTH_SEED=<seed>).
 */
const FILTERS = Number(process.env.BERTH_PROPERTY_FILTERS ?? 1500);
const CONTAINERS = 80;
const NS = 'prop';

const random = seededRandom();
const KEYS = ['app', 'tier', 'a.b', 'a', 'x/y', 'with space', 'ünïcode', '日本', 'k-1', 'dots.and.more', 'q"uote', 'back\\slash', 'E', 'e'];
const VALUES = ['db', 'web', 'DB', 'true', 'a.b', 'x/y', 'with space', 'ünï', 'ÜNÏ', '日本語', 'line\nbreak', 'tab\tbed', '', '0', 'a,b', '/lead'];
const IMAGES = ['', 'docker.io/library/redis:alpine', 'redis', 'Redis', 'ghcr.io/x/y:1', 'ü/ber'];
const RUNTIMES = ['io.containerd.runc.v2', 'io.containerd.kata.v2', 'rt'];
const REGEXES = [
  '^a',
  'b$',
  '(?i)DB',
  '(?i)ü',
  '\\Aredis',
  'alpine\\z',
  '[[:alpha:]]+',
  '\\d',
  '.',
  '^$',
  '^.*$',
  'x|y',
  '[^a-z]',
  '\\bdb\\b',
  '(?s)line.break',
  'line.break',
  '\\w+\\s\\w+',
  '日本',
  '^[a-z0-9.-]+$',
  'a{2,}',
  '(?i)^REDIS',
  'Ü',
  '\\.',
  '(?m)^break$',
  '\\x{65e5}',
];
const FIELDS = ['id', 'image', 'runtime.name', 'runtime', 'snapshotter', 'labels', 'name', 'id.extra'];

let server: TestServer;
let stored: { id: string; image: string; runtimeName: string; labels: Record<string, string> }[] = [];

before(async () => {
  server = await startServer();
  for (let i = 0; i < CONTAINERS; i++) {
    const labels = random.chance(0.2) ? [] : Array.from({ length: random.int(5) }, () => ({ key: random.pick(KEYS), value: random.pick(VALUES) }));
    const unique = [...new Map(labels.map((l) => [l.key, l])).values()];
    const c = {
      containerId: `c${i}-${random.pick(['a', 'B', 'db', 'x'])}`,
      image: random.pick(IMAGES),
      runtime: { name: random.pick(RUNTIMES) },
      spec: { typeUrl: 't', value: '' },
      labels: unique,
    };
    const created = await server.gql(CREATE, { c }, { namespace: NS });
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    const api = created.data.createContainer.container;
    stored.push({
      id: api.containerId,
      image: api.image,
      runtimeName: api.runtime.name,
      labels: Object.fromEntries(api.labels.map((l: { key: string; value: string }) => [l.key, l.value])),
    });
  }
  stored = stored.sort((a, b) => Buffer.compare(Buffer.from(a.id), Buffer.from(b.id)));
});
after(() => server.close());

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
const plainValue = (s: string) => (/^[A-Za-z0-9_][^\s,]*$/.test(s) ? s : quote(s));

function randomSelector(): string {
  const useLabel = random.chance(0.55);
  const field = useLabel
    ? random.chance(0.1)
      ? 'labels'
      : `labels.${random.chance(0.5) && /^[A-Za-z0-9_.]+$/.test(random.pick(KEYS)) ? random.pick(['app', 'tier', 'a.b', 'a', 'E', 'e']) : quote(random.pick(KEYS))}`
    : random.pick(FIELDS);
  switch (random.int(4)) {
    case 0:
      return field;
    case 1:
      return `${field}==${plainValue(random.pick([...VALUES, ...IMAGES, ...RUNTIMES, ...stored.map((c) => c.id)]))}`;
    case 2:
      return `${field}!=${plainValue(random.pick([...VALUES, ...IMAGES, ...RUNTIMES]))}`;
    default:
      return `${field}~=${quote(random.pick(REGEXES))}`;
  }
}

function randomFilters(): string[] {
  return Array.from({ length: 1 + random.int(3) }, () => Array.from({ length: 1 + random.int(3) }, randomSelector).join(','));
}

test(`SQL and the matcher agree on ${FILTERS} random filters over ${CONTAINERS} random containers`, async () => {
  let nonTrivial = 0;
  await inScope(server.sql, { namespace: NS, readable: [NS] }, async (tx) => {
    for (let i = 0; i < FILTERS; i++) {
      const filters = randomFilters();
      const parsed = parseAll(filters);
      const expected = stored.filter((c) => matches(parsed, containerAdaptor(c))).map((c) => c.id);
      const rows = await tx<
        { id: string }[]
      >`select id from containers where namespace = ${NS} and (${filterCondition(tx, parsed, CONTAINER_FIELDS)}) order by id`;
      const actual = rows.map((r) => r.id);
      if (expected.length > 0 && expected.length < stored.length) nonTrivial++;
      assert.deepEqual(actual, expected, `seed ${random.seed}, filter #${i}: ${JSON.stringify(filters)}`);
    }
  });
  // The generator is only useful if it mostly produces filters that split the set.
  assert.ok(nonTrivial > FILTERS / 4, `only ${nonTrivial} of ${FILTERS} filters selected a proper subset (seed ${random.seed})`);
});
