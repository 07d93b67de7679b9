import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { berth, startBerth } from '../helpers/cli.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * `berth events`: ctr's lines, `<time.Time.String()> <namespace> <topic> <json.Marshal(event)>`,
 * from every namespace, through the real binary over graphql-ws.
 */
let server: TestServer;
let start: string;
const env = () => ({ BERTH_ADDRESS: server.url });
const SPEC = { typeUrl: 't', json: {} };

async function gql(query: string, variables: Record<string, unknown>, namespace = 'ev') {
  const result = await server.gql(query, variables, { namespace });
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  return result.data;
}

const createContainer = (c: Record<string, unknown>, namespace?: string) =>
  gql(`mutation($c: ContainerInput!) { createContainer(input: { container: $c }) { container { containerId } } }`, { c: { spec: SPEC, ...c } }, namespace);

/** The events after `start`, each as the line ctr would print, given its payload as Go's json.Marshal writes it. */
async function expectedLines(payloads: readonly string[]): Promise<string> {
  const { events } = await gql(`query($after: String) { events(after: $after, allNamespaces: true, first: 100) { nodes { timestamp namespace topic } } }`, {
    after: start,
  });
  assert.equal(events.nodes.length, payloads.length);
  return events.nodes
    .map((e: { timestamp: string; namespace: string; topic: string }, i: number) => {
      // time.Time.String(): a space for the T, trailing zeros of the fraction trimmed, then the zone.
      const time = e.timestamp.replace('T', ' ').replace(/\.?0*Z$/, '') + ' +0000 UTC';
      return `${time} ${e.namespace} ${e.topic} ${payloads[i]}\n`;
    })
    .join('');
}

before(async () => {
  server = await startServer();
  start = (await gql(`{ containers { watchCursor } }`, {}, 'default')).containers.watchCursor;
  await gql(`mutation { createNamespace(input: { name: "ev", labels: [{ key: "tier", value: "<gold>" }] }) { namespace { name } } }`, {});
  await createContainer({
    containerId: 'c1',
    image: 'img',
    runtime: { name: 'rt', options: { typeUrl: 'example.com/Opts', value: 'AQ==' } },
    snapshotter: 'snap',
    snapshotKey: 'c1',
    labels: [{ key: 'a', value: '1' }],
  });
  await gql(`mutation { setContainerLabels(input: { containerId: "c1", labels: [{ key: "b", value: "2" }] }) { container { containerId } } }`, {});
  await gql(`mutation { checkpointContainer(input: { containerId: "c1", ref: "cp" }) { checkpoint { ref } } }`, {});
  await gql(`mutation { restoreContainer(input: { containerId: "c2", ref: "cp" }) { container { containerId } } }`, {});
  await gql(`mutation { deleteCheckpoint(input: { ref: "cp" }) { ref } }`, {});
  await gql(`mutation { a: deleteContainer(input: { containerId: "c1" }) { containerId } }`, {});
  await gql(`mutation { b: deleteContainer(input: { containerId: "c2" }) { containerId } }`, {});
  await gql(`mutation { updateNamespace(input: { name: "ev", labels: [] }) { namespace { name } } }`, {});
  await gql(`mutation { deleteNamespace(input: { name: "ev" }) { name } }`, {});
  await createContainer({ containerId: 'd1', runtime: { name: 'rt' } }, 'default');
});
after(() => server.close());

const PAYLOADS = [
  '{"name":"ev","labels":{"tier":"\\u003cgold\\u003e"}}',
  '{"id":"c1","image":"img","runtime":{"name":"rt","options":{"type_url":"example.com/Opts","value":"AQ=="}}}',
  '{"id":"c1","image":"img","labels":{"a":"1","b":"2"},"snapshot_key":"c1"}',
  '{"ref":"cp","container_id":"c1"}',
  '{"id":"c2","image":"img","runtime":{"name":"rt","options":{"type_url":"example.com/Opts","value":"AQ=="}}}',
  '{"ref":"cp"}',
  '{"id":"c1"}',
  '{"id":"c2"}',
  '{"name":"ev"}',
  '{"name":"ev"}',
  '{"name":"default"}',
  '{"id":"d1","runtime":{"name":"rt"}}',
];

test('--after replays every namespace in ctr format, then follows live until interrupted', async () => {
  const events = startBerth(['events', '--after', start], env());
  const replayed = await events.lines(PAYLOADS.length);
  assert.equal(replayed, await expectedLines(PAYLOADS));
  await createContainer({ containerId: 'd2', runtime: { name: 'rt' } }, 'default');
  await events.lines(PAYLOADS.length + 1);
  const stopped = await events.stop('SIGTERM');
  assert.equal(stopped.stdout, await expectedLines([...PAYLOADS, '{"id":"d2","runtime":{"name":"rt"}}']));
  assert.equal(stopped.stderr, '');
  assert.equal(stopped.status, 0);
});

test('filters narrow the stream: ANY filter may match, also for live events', async () => {
  const events = startBerth(['events', '--after', start, 'topic~="^/checkpoints/"', 'namespace==default'], env());
  await events.lines(5);
  await gql(`mutation { createNamespace(input: { name: "elsewhere" }) { namespace { name } } }`, {}, 'elsewhere');
  await createContainer({ containerId: 'd3', runtime: { name: 'rt' } }, 'default');
  await events.lines(6);
  const { stdout, status } = await events.stop('SIGINT');
  const lines = stdout.split('\n').filter(Boolean);
  // After the time's four fields: namespace and topic. d1 and d2 come from the setup and the test above.
  assert.deepEqual(
    lines.map((line) => line.split(' ').slice(4, 6).join(' ')),
    [
      'ev /checkpoints/create',
      'ev /checkpoints/delete',
      'default /namespaces/create',
      'default /containers/create',
      'default /containers/create',
      'default /containers/create',
    ],
  );
  assert.match(lines[5] ?? '', /\{"id":"d3","runtime":\{"name":"rt"\}\}$/);
  assert.equal(status, 0);
});

test('a server error ends it with exit 1', async () => {
  const badCursor = await berth(['events', '--after', 'nonsense'], env());
  assert.equal(badCursor.status, 1);
  assert.match(badCursor.stderr, /^berth: INVALID_ARGUMENT: .*nonsense/);
  const badFilter = await berth(['events', 'topic=='], env());
  assert.equal(badFilter.status, 1);
  assert.match(badFilter.stderr, /^berth: INVALID_ARGUMENT: filters: parse error/);
});
