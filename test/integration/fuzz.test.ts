import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ERROR_CODES } from '../../src/model/errors.ts';
import { CREATE } from '../helpers/containers.ts';
import { seededRandom } from '../helpers/random.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * Hostile input, from a seed (BERTH_SEED replays a run): invalid and huge ids, oversized labels,
 * malformed Any and base64, broken filters, deep and wide queries, broken JSON and wrong content
 * types. No request may get a 5xx, crash the server, carry an error without a code from the
 * table, or change the database.
 */
const REQUESTS = Number(process.env.BERTH_FUZZ_REQUESTS ?? 2000);
const random = seededRandom();
let server: TestServer;

before(async () => {
  server = await startServer({ BERTH_MAX_BODY_BYTES: String(1024 * 1024) });
  const spec = { typeUrl: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', json: { ociVersion: '1.1.0' } };
  for (const id of ['alpha', 'bravo', 'charlie']) {
    assert.equal((await server.gql(CREATE, { c: { containerId: id, runtime: { name: 'rt' }, spec, labels: [{ key: 'app', value: id }] } })).errors, undefined);
  }
  // A stored checkpoint, so that a hostile request that deleted or changed one would show.
  const checkpointed = await server.gql(`mutation { checkpointContainer(input: { containerId: "alpha", ref: "alpha-cp" }) { checkpoint { ref } } }`);
  assert.equal(checkpointed.errors, undefined, JSON.stringify(checkpointed.errors));
});
after(() => server.close());

async function snapshot(): Promise<string> {
  const tables = await Promise.all([
    server.sql`select * from namespaces order by name`,
    server.sql`select * from containers order by namespace, id`,
    server.sql`select * from checkpoints order by namespace, ref`,
    server.sql`select seq, namespace, topic, payload from events order by seq`,
    server.sql`select * from event_clock`,
  ]);
  return JSON.stringify(tables, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
}

const junkChars = ['/', '..', ' ', '\u0000', '\u202e', '"', "'", '\\', '💥', '%00', '\n', '{', '$', ',', '==', '~=', '|', '*'];
const junk = (n: number) => Array.from({ length: n }, () => (random.chance(0.5) ? random.pick(junkChars) : String.fromCharCode(32 + random.int(90)))).join('');
const badId = () => random.pick([`${junk(3)}/bad`, '', 'a'.repeat(77), 'x'.repeat(100_000), `-lead`, `trail-`, `dou..ble`, `ünï/code`, junk(30) + ' ']);
const badAny = () =>
  random.pick([
    { typeUrl: 't', value: '!!not base64!!' },
    { typeUrl: 't', value: 'YWJj=' },
    { typeUrl: 't' },
    { typeUrl: 't', value: 'YQ==', json: { a: 1 } },
    { typeUrl: junk(10), value: junk(10) },
  ]);
const filterAtoms = ['labels.', 'id', '==', '!=', '~=', '"', '/', '|', ',', '.', ' ', 'image', '(?=x)', '[a-', '\\', 'labels."x"', '\\777', '\u0000', '~'];
const brokenFilter = () => Array.from({ length: 1 + random.int(6) }, () => random.pick(filterAtoms)).join('') + random.pick(['', ',', ' ', '"']);

type Probe = { body: string; contentType?: string; method?: string };

function probe(): Probe {
  const gql = (query: string, variables?: unknown): Probe => ({ body: JSON.stringify({ query, variables }) });
  switch (random.int(12)) {
    case 0:
      return gql(CREATE, { c: { containerId: badId(), runtime: { name: 'rt' }, spec: { typeUrl: 't', value: '' } } });
    case 1:
      return gql(CREATE, { c: { containerId: `valid${random.int(1000)}`, runtime: { name: 'rt' }, spec: badAny() } });
    case 2:
      return gql(CREATE, {
        c: {
          containerId: `ok${random.int(1000)}`,
          runtime: { name: 'rt' },
          spec: { typeUrl: 't', value: '' },
          labels: [{ key: 'k', value: 'v'.repeat(4096 + random.int(10_000)) }],
        },
      });
    case 3:
      return random.chance(0.02)
        ? gql(CREATE, {
            c: { containerId: 'huge', runtime: { name: 'rt' }, spec: { typeUrl: 't', value: '' }, labels: [{ key: 'k', value: 'v'.repeat(5 * 1024 * 1024) }] },
          })
        : gql(CREATE, {
            c: { containerId: `many${random.int(100)}`, runtime: { name: '' }, spec: { typeUrl: 't', value: '' }, extensions: [{ name: '', value: badAny() }] },
          });
    case 4:
      return gql(`query($f: [String!]) { containers(filters: $f) { totalCount } }`, { f: [brokenFilter(), brokenFilter()] });
    case 5:
      return gql(`query($f: [String!]) { namespaces(filters: $f) { name } }`, { f: [brokenFilter()] });
    case 6: {
      const depth = 5 + random.int(40);
      return gql(`{ __schema { types { ${'fields { type { ofType { '.repeat(depth)}name${' } } }'.repeat(depth)} } } }`);
    }
    case 7: {
      const width = 20 + random.int(200);
      return gql(`{ ${Array.from({ length: width }, (_, i) => `a${i}: containers(first: 1000) { nodes { labels { key } extensions { name } } }`).join(' ')} }`);
    }
    case 8:
      return {
        body: random.pick(['{', '{"query":', '[]', 'null', '{"query": 42}', '{"query":"{ containers { totalCount } }","variables":"x"}', junk(50), '\u0000']),
      };
    case 9:
      return {
        body: JSON.stringify({ query: '{ containers { totalCount } }' }),
        contentType: random.pick(['text/plain', 'application/xml', 'multipart/form-data', 'application/x-www-form-urlencoded', 'image/png']),
      };
    case 10:
      return gql(
        `mutation($c: ContainerInput!, $p: [String!], $r: Int) { updateContainer(input: { container: $c, fieldPaths: $p, expectedRevision: $r }) { container { containerId } } }`,
        {
          c: { containerId: random.pick(['alpha', 'bravo', 'nope']), runtime: { name: 'other' }, snapshotter: junk(4) },
          p: random.pick([null, ['runtime'], ['snapshotter'], ['id'], [junk(5)]]),
          r: random.pick([null, 99, -1]),
        },
      );
    default:
      return gql(
        random.pick([
          `mutation { deleteContainer(input: { containerId: "${random.pick(['nope', 'gone'])}" }) { containerId } }`,
          `mutation { deleteNamespace(input: { name: "default" }) { name } }`,
          `mutation { createNamespace(input: { name: "default" }) { namespace { name } } }`,
          `mutation { updateNamespace(input: { name: "ghost", labels: [] }) { namespace { name } } }`,
          `mutation { checkpointContainer(input: { containerId: "${random.pick(['nope', 'alpha'])}", ref: "${random.pick(['alpha-cp', '', 'bad/ref', 'a'.repeat(77)])}" }) { checkpoint { ref } } }`,
          `mutation { restoreContainer(input: { containerId: "${random.pick(['alpha', 'bad/id', ''])}", ref: "${random.pick(['alpha-cp', 'ghost'])}" }) { container { containerId } } }`,
          `mutation { deleteCheckpoint(input: { ref: "${random.pick(['ghost', '', 'bad/ref'])}" }) { ref } }`,
          `query { containers(first: 100000) { totalCount } }`,
          `query { containers(after: "${junk(8)}") { totalCount } }`,
          `{ container(containerId: 42) { containerId } }`,
          `{ nonsense }`,
          `query { ...F } fragment F on Query { ...F }`,
          `subscription { nope }`,
          junk(40),
        ]),
      );
  }
}

test(`${REQUESTS} hostile requests: no 5xx, every error coded, database unchanged (seed ${random.seed})`, async () => {
  const before = await snapshot();
  const codes = new Set(Object.keys(ERROR_CODES));
  const seen = new Map<string, number>();
  const probes = Array.from({ length: REQUESTS }, probe);
  for (let i = 0; i < probes.length; i += 8) {
    await Promise.all(
      probes.slice(i, i + 8).map(async (p, j) => {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': p.contentType ?? 'application/json', accept: 'application/graphql-response+json' },
          body: p.body,
        });
        const text = await response.text();
        const where = `seed ${random.seed}, request #${i + j}: ${p.body.slice(0, 200)}`;
        assert.ok(response.status < 500, `${where} -> ${response.status} ${text.slice(0, 300)}`);
        assert.ok(/^[[{]/.test(text), `${where} -> ${response.status} ${JSON.stringify(text.slice(0, 300))}`);
        type Result = { errors?: { extensions?: { code?: string } }[] };
        const body = JSON.parse(text) as Result | Result[];
        for (const error of [body].flat().flatMap((result) => result.errors ?? [])) {
          const code = error.extensions?.code ?? 'none';
          assert.ok(codes.has(code) && code !== 'INTERNAL', `${where} -> ${text.slice(0, 300)}`);
          seen.set(code, (seen.get(code) ?? 0) + 1);
        }
      }),
    );
  }
  assert.equal(await snapshot(), before, `seed ${random.seed}: the database changed`);
  const alive = await server.gql(`{ containers { totalCount } }`);
  assert.equal(alive.data.containers.totalCount, 3);
  assert.ok((seen.get('RESOURCE_EXHAUSTED') ?? 0) > 0 && (seen.get('INVALID_ARGUMENT') ?? 0) > 0, JSON.stringify([...seen]));
});
