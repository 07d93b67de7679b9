import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CREATE, DELETE, UPDATE } from '../helpers/containers.ts';
import { collectUntil, subscribeEvents } from '../helpers/events.ts';
import { seededRandom } from '../helpers/random.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * docs/behaviour.md §6: "a list result carries the cursor of its snapshot, so list-then-subscribe misses
 * nothing". Writers keep changing containers while a list is taken; replaying the events after
 * its watchCursor onto the listed containers must give exactly the final list. An event the list
 * already reflected would show as a create of a listed id or a delete of an unlisted one; a
 * missed event as a difference at the end.
 */
let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

const NS = { namespace: 'watched' };
const LIST = `{ containers(first: 1000) { watchCursor nodes { containerId image labels { key value } } } }`;
type Snapshot = Map<string, { image: string; labels: string }>;

function snapshot(nodes: { containerId: string; image: string; labels: { key: string; value: string }[] }[]): Snapshot {
  return new Map(nodes.map((c) => [c.containerId, { image: c.image, labels: JSON.stringify(c.labels) }]));
}

test('list, then subscribe from watchCursor: every later change arrives, and none the list already had', { timeout: 120_000 }, async (t) => {
  const { seed } = seededRandom();
  t.diagnostic(`seed ${seed}: BERTH_SEED=${seed} replays this run`);
  let listed: { watchCursor: string; nodes: never[] } | null = null;
  const writer = async (w: number) => {
    const rng = seededRandom(seed + w);
    const live = new Set<string>();
    for (let i = 0; i < 150; i++) {
      if (w === 0 && i === 60) listed = (await server.gql(LIST, {}, NS)).data.containers;
      const id = `w${w}-c${rng.int(12)}`;
      const result = !live.has(id)
        ? await server.gql(CREATE, { c: { containerId: id, image: `i${i}`, runtime: { name: 'rt' }, spec: { typeUrl: 't', json: {} } } }, NS)
        : rng.chance(0.7)
          ? await server.gql(UPDATE, { c: { containerId: id, image: `i${i}`, labels: [{ key: 'at', value: `${i}` }] }, paths: ['image', 'labels'] }, NS)
          : await server.gql(DELETE, { id }, NS);
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      if (result.data.createContainer) live.add(id);
      if (result.data.deleteContainer) live.delete(id);
    }
  };
  await Promise.all([0, 1, 2].map(writer));
  const middle = listed as unknown as { watchCursor: string; nodes: never[] };
  const final = (await server.gql(LIST, {}, NS)).data.containers;

  const state = snapshot(middle.nodes);
  const sub = subscribeEvents('ws', server.url, { after: middle.watchCursor, namespace: 'watched' });
  const messages = await collectUntil(sub, (m) => 'event' in m && m.event.cursor === final.watchCursor);
  await sub.close();
  assert.ok(messages.length > 0);
  for (const message of messages) {
    assert.ok('event' in message, JSON.stringify(message));
    const { topic, payload, cursor } = message.event;
    assert.ok(cursor > middle.watchCursor);
    if (topic === '/containers/create') {
      assert.ok(!state.has(payload.containerId!), `create of ${payload.containerId}, which the list already had (seed ${seed})`);
      state.set(payload.containerId!, { image: payload.image!, labels: '[]' });
    } else if (topic === '/containers/update') {
      assert.ok(state.has(payload.containerId!), `update of ${payload.containerId}, which is neither listed nor created since (seed ${seed})`);
      state.set(payload.containerId!, { image: payload.image!, labels: JSON.stringify(payload.labels) });
    } else {
      assert.equal(topic, '/containers/delete');
      assert.ok(state.delete(payload.containerId!), `delete of ${payload.containerId}, which was not there (seed ${seed})`);
    }
  }
  assert.deepEqual(state, snapshot(final.nodes), `replaying the events onto the list gives the final list (seed ${seed})`);
});
