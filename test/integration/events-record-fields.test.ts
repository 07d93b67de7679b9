import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * The record an event payload is about is read once per event, not once per subscriber: eight
 * subscribers with eight different documents (so none shares another's execution) select the
 * created container, and the server's lookup counter grows by one per event.
 */
let server: TestServer;
const SPEC = { typeUrl: 't', json: {} };
before(async () => {
  server = await startServer();
});
after(() => server.close());

async function lookups(): Promise<number> {
  const text = await (await fetch(new URL('/metrics', server.url))).text();
  const line = /^berth_event_record_lookups_total (\d+)$/m.exec(text);
  assert.ok(line, 'the lookup counter is served');
  return Number(line[1]);
}

/** Resolves with the first `count` results, or fails naming what it waited for. */
function firstResults(iterator: AsyncIterator<unknown>, count: number, what: string): Promise<unknown[]> {
  const results: unknown[] = [];
  const reading = (async () => {
    while (results.length < count) {
      const next = await iterator.next();
      if (next.done) throw new Error(`${what}: the stream ended after ${results.length} results`);
      results.push(next.value);
    }
    return results;
  })();
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`${what}: ${results.length} of ${count} results in 20 s`)), 20_000).unref(),
  );
  return Promise.race([reading, timeout]);
}

test('eight subscribers with different documents cost one record lookup per event', async () => {
  const create = (id: string) =>
    server.gql(`mutation($c: ContainerInput!) { createContainer(input: { container: $c }) { container { id } } }`, {
      c: { containerId: id, runtime: { name: 'rt' }, spec: SPEC },
    });
  assert.equal((await create('seed')).errors, undefined);
  const { data } = await server.gql(`{ containers { watchCursor } }`);
  const client = createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
  try {
    const streams = Array.from({ length: 8 }, (_, i) =>
      client
        .iterate({
          query: `subscription($after: String) { events(after: $after) { cursor payload { ... on ContainerCreate { c${i}: container { id containerId } } } } }`,
          variables: { after: data.containers.watchCursor },
        })
        [Symbol.asyncIterator](),
    );
    // Once every subscriber has the warm-up event, each is attached to the live feed, so the
    // next events reach all of them as one shared object.
    assert.equal((await create('warm')).errors, undefined);
    await Promise.all(streams.map((stream, i) => firstResults(stream, 1, `subscriber ${i}, warm-up event`)));
    const before = await lookups();
    for (const id of ['a', 'b', 'c']) assert.equal((await create(id)).errors, undefined);
    const got = await Promise.all(streams.map((stream, i) => firstResults(stream, 3, `subscriber ${i}, three creates`)));
    for (const [i, results] of got.entries()) {
      const ids = results.map(
        (r) => (r as { data: { events: { payload: Record<string, { containerId: string }> } } }).data.events.payload[`c${i}`]?.containerId,
      );
      assert.deepEqual(ids, ['a', 'b', 'c'], `subscriber ${i} saw each created container`);
    }
    assert.equal((await lookups()) - before, 3, 'one lookup per event for all eight subscribers');
    await Promise.all(streams.map((stream) => stream.return?.()));
  } finally {
    await client.dispose();
  }
});
