import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.ts';

/** The README's GraphiQL examples, run in order against a fresh server: each answers what the README says. */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

test('the README has examples', () => assert.ok(examples.length >= 5));

type Data = Record<string, any>;
const labels = (list: { key: string; value: string }[]) => Object.fromEntries(list.map((l) => [l.key, l.value]));

/**
 * What each example must answer: the README's claims about it, not only "no errors". Fields that
 * name containers are left out, so the checks read the same whatever the id field is called.
 */
const EXPECT: Record<string, (data: Data) => Promise<void> | void> = {
  CreateRedis: (d) => {
    assert.equal(d.createContainer.container.revision, 1);
    assert.deepEqual(labels(d.createContainer.container.labels), { app: 'cache', tier: 'backend' });
  },
  SetOneLabel: (d) => {
    assert.equal(d.updateContainer.container.revision, 2, 'expectedRevision 1 matched and the update counted');
    assert.deepEqual(labels(d.updateContainer.container.labels), { app: 'cache', tier: 'storage' }, 'labels.tier changed only that label');
  },
  LabelEdits: (d) => assert.deepEqual(labels(d.setContainerLabels.container.labels), { owner: 'ops', tier: 'storage' }, 'owner set, app removed by its empty value'),
  ListByLabel: (d) => {
    assert.equal(d.containers.totalCount, 1);
    assert.deepEqual(d.containers.nodes.map((n: Data) => [n.image, n.runtime.name, n.spec.json]), [['docker.io/library/redis:alpine', 'io.containerd.runc.v2', { ociVersion: '1.1.0' }]]);
    assert.equal(d.containers.pageInfo.hasNextPage, false);
    assert.match(d.containers.watchCursor, /^[0-9a-f]{16}$/);
  },
  OneContainer: (d) => {
    const c = Object.values(d)[0] as Data;
    assert.deepEqual([c.image, c.snapshotter, c.snapshotKey, c.revision, c.label], ['docker.io/library/redis:alpine', 'overlayfs', 'redis', 3, 'ops']);
    assert.ok(d.namespaces.some((n: Data) => n.name === 'default'));
  },
  CheckpointAndRestore: (d) => {
    assert.equal(d.checkpointContainer.checkpoint.ref, 'redis-cp');
    const restored = d.restoreContainer.container;
    assert.equal(restored.snapshotKey, 'redis-2', 'a restore with a snapshotter takes the new id as its snapshot key');
    assert.deepEqual(labels(restored.labels), { owner: 'ops', tier: 'storage' });
  },
  Checkpoints: (d) => {
    assert.equal(d.checkpoints.totalCount, 1);
    assert.deepEqual([d.checkpoint.ref, d.checkpoint.runtime.name, d.checkpoint.spec.json], ['redis-cp', 'io.containerd.runc.v2', { ociVersion: '1.1.0' }]);
  },
  RecentEvents: (d) => {
    const nodes = d.events.edges.map((e: Data) => e.node);
    assert.deepEqual(nodes.map((n: Data) => n.topic), ['/containers/create', '/containers/update', '/containers/update', '/containers/create', '/containers/delete'], 'the container events of the examples above, in order');
    assert.deepEqual(nodes.filter((n: Data) => n.topic === '/containers/create').map((n: Data) => n.payload.image), ['docker.io/library/redis:alpine', 'docker.io/library/redis:alpine']);
    assert.equal(d.events.pageInfo.hasNextPage, false);
  },
  Cleanup: async () => {
    const left = await server.gql(`{ containers { totalCount } }`);
    assert.equal(left.data.containers.totalCount, 1, 'redis is gone, redis-2 stays');
  },
};

for (const example of examples) {
  const name = /^(?:query|mutation|subscription)\s+(\w+)/m.exec(example)?.[1] ?? example.slice(0, 40);
  test(`README example ${name}`, async () => {
    const result = await server.gql(example);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    const expect = EXPECT[name];
    assert.ok(expect, `README example ${name} has no expectations in this test`);
    await expect(result.data);
  });
}
