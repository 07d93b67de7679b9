import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { committedEvents } from '../helpers/event-log.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * setContainerLabels merges labels in the UPDATE that locks the row and checks the merged record
 * afterwards, in one statement when the labels are valid by themselves and in a transaction when
 * not (src/resolvers/containers.ts). Every refusal must therefore leave the container, its
 * revision and the event log exactly as they were: the update is rolled back, not kept.
 */
let server: TestServer;
const SPEC = { typeUrl: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', json: { ociVersion: '1.1.0' } };
const SET = `mutation($id: String!, $labels: [LabelInput!]!, $r: Int) {
  setContainerLabels(input: { containerId: $id, labels: $labels, expectedRevision: $r }) { container { revision updatedAt labels { key value } } } }`;
const READ = `query($id: String!) { container(containerId: $id) { revision updatedAt labels { key value } } }`;

before(async () => {
  server = await startServer({ BERTH_MAX_LABELS: '4' });
  const created = await server.gql(`mutation($c: ContainerInput!) { createContainer(input: { container: $c }) { container { revision } } }`, {
    c: {
      containerId: 'web',
      image: 'i',
      runtime: { name: 'rt' },
      spec: SPEC,
      labels: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
    },
  });
  assert.equal(created.errors, undefined, JSON.stringify(created.errors));
});
after(() => server.close());

const read = async () => (await server.gql(READ, { id: 'web' })).data.container;

test('sets, replaces and removes in one call; revision and updatedAt move; one event', async () => {
  const before = await read();
  const eventsBefore = (await committedEvents(server.sql)).length;
  const result = await server.gql(SET, {
    id: 'web',
    labels: [
      { key: 'a', value: '' },
      { key: 'b', value: 'two' },
      { key: 'c', value: '3' },
    ],
  });
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  const after = result.data.setContainerLabels.container;
  assert.deepEqual(after.labels, [
    { key: 'b', value: 'two' },
    { key: 'c', value: '3' },
  ]);
  assert.equal(after.revision, before.revision + 1);
  assert.ok(after.updatedAt > before.updatedAt, `updatedAt ${after.updatedAt} after ${before.updatedAt}`);
  assert.deepEqual(await read(), after, 'what the mutation answered is what is stored');
  const events = (await committedEvents(server.sql)).slice(eventsBefore);
  assert.deepEqual(
    events.map((e) => [e.topic, e.id]),
    [['/containers/update', 'web']],
  );
});

test('removing a label that is not there changes nothing but the revision', async () => {
  const before = await read();
  const result = await server.gql(SET, { id: 'web', labels: [{ key: 'absent', value: '' }] });
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.deepEqual(result.data.setContainerLabels.container.labels, before.labels);
  assert.equal(result.data.setContainerLabels.container.revision, before.revision + 1);
});

test('every refusal leaves the container, its revision and the event log as they were', async () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a stale expectedRevision', { id: 'web', labels: [{ key: 'x', value: 'y' }], r: 1 }, 'ABORTED'],
    ['a label over the size limit', { id: 'web', labels: [{ key: 'big', value: 'v'.repeat(5000) }] }, 'INVALID_ARGUMENT'],
    [
      'more labels than BERTH_MAX_LABELS once merged',
      {
        id: 'web',
        labels: [
          { key: 'd', value: '4' },
          { key: 'e', value: '5' },
          { key: 'f', value: '6' },
        ],
      },
      'RESOURCE_EXHAUSTED',
    ],
    ['a container that does not exist', { id: 'nope', labels: [{ key: 'x', value: 'y' }] }, 'NOT_FOUND'],
  ];
  for (const [what, variables, code] of cases) {
    const before = await read();
    const eventsBefore = (await committedEvents(server.sql)).length;
    const result = await server.gql(SET, variables);
    assert.equal(result.errors?.[0]?.extensions?.code, code, `${what}: ${JSON.stringify(result.errors)}`);
    assert.deepEqual(await read(), before, `${what}: the container is unchanged`);
    assert.equal((await committedEvents(server.sql)).length, eventsBefore, `${what}: no event`);
  }
});

test('a stale expectedRevision names the stored revision', async () => {
  const { revision } = await read();
  const result = await server.gql(SET, { id: 'web', labels: [{ key: 'x', value: 'y' }], r: revision - 1 });
  assert.equal(result.errors?.[0]?.extensions?.code, 'ABORTED');
  assert.equal(result.errors?.[0]?.extensions?.revision, revision);
  const matching = await server.gql(SET, { id: 'web', labels: [{ key: 'x', value: 'y' }], r: revision });
  assert.equal(matching.errors, undefined, JSON.stringify(matching.errors));
  assert.equal(matching.data.setContainerLabels.container.revision, revision + 1);
});

test('refusals name what a transaction would: the record first, then its revision, then its labels', async () => {
  const { revision } = await read();
  const invalid = { key: '', value: 'v' };
  const missing = await server.gql(SET, { id: 'nope', labels: [invalid], r: 1 });
  assert.equal(missing.errors?.[0]?.extensions?.code, 'NOT_FOUND', JSON.stringify(missing.errors));
  assert.equal(missing.errors?.[0]?.message, 'container "nope": not found');
  const stale = await server.gql(SET, { id: 'web', labels: [invalid], r: revision - 1 });
  assert.equal(stale.errors?.[0]?.extensions?.code, 'ABORTED', JSON.stringify(stale.errors));
  const valid = await server.gql(SET, { id: 'web', labels: [{ key: 'x', value: 'y' }], r: revision - 1 });
  assert.equal(valid.errors?.[0]?.message, stale.errors?.[0]?.message, 'the same words whichever way the merge ran');
  assert.equal(valid.errors?.[0]?.message, `container "web" is at revision ${revision}, not the expected revision ${revision - 1}`);
  const stored = (await read()).labels.length;
  const overLimit = await server.gql(SET, { id: 'web', labels: ['p', 'q', 'r', 's'].map((key) => ({ key, value: key })) });
  assert.equal(overLimit.errors?.[0]?.message, `container "web" would have ${stored + 4} labels; the limit is 4 (BERTH_MAX_LABELS)`);
});

test("the update event carries containerd's update message, as updateContainer's does", async () => {
  const payloads = async () =>
    (await server.sql<{ payload: Record<string, unknown> }[]>`select payload from events where topic = '/containers/update' order by seq desc limit 1`)[0]!
      .payload;
  assert.equal((await server.gql(SET, { id: 'web', labels: [{ key: 'via', value: 'labels' }] })).errors, undefined);
  const merged = await payloads();
  const replaced = await server.gql(
    `mutation($c: ContainerInput!) { updateContainer(input: { container: $c, fieldPaths: ["labels.via"] }) { container { revision } } }`,
    { c: { containerId: 'web', labels: [{ key: 'via', value: 'labels' }] } },
  );
  assert.equal(replaced.errors, undefined, JSON.stringify(replaced.errors));
  assert.deepEqual(merged, await payloads());
  assert.deepEqual(Object.keys(merged).sort(), ['id', 'image', 'labels', 'snapshot_key']);
});
