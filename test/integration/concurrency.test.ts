import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CREATE, GET, UPDATE } from '../helpers/containers.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

const base = { containerId: 'racy', runtime: { name: 'rt' }, spec: { typeUrl: 't', json: { v: 0 } } };

test('20 concurrent updates with the same expectedRevision: exactly one wins, 19 are ABORTED', async () => {
  const created = await server.gql(CREATE, { c: base });
  assert.equal(created.data.createContainer.container.revision, 1);
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => server.gql(UPDATE, { c: { containerId: 'racy', image: `image-${i}` }, paths: ['image'], rev: 1 })),
  );
  const winners = results.filter((r) => !r.errors);
  const aborted = results.filter((r) => r.errors?.[0]?.extensions?.code === 'ABORTED');
  assert.equal(winners.length, 1);
  assert.equal(aborted.length, 19);
  const stored = (await server.gql(GET, { id: 'racy' })).data.container;
  assert.equal(stored.revision, 2);
  assert.equal(stored.image, winners[0]?.data.updateContainer.container.image);
});

test('updates without expectedRevision serialize: every one lands and updatedAt strictly increases', async () => {
  await server.gql(CREATE, { c: { ...base, containerId: 'busy' } });
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => server.gql(UPDATE, { c: { containerId: 'busy', labels: [{ key: `k${i}`, value: 'v' }] }, paths: [`labels.k${i}`] })),
  );
  assert.ok(results.every((r) => !r.errors));
  const stamps = results.map((r) => r.data.updateContainer.container).sort((a, b) => a.revision - b.revision);
  for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i].updatedAt > stamps[i - 1].updatedAt);
  const stored = (await server.gql(GET, { id: 'busy' })).data.container;
  assert.equal(stored.revision, 21);
  assert.equal(stored.labels.length, 20);
});
