import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectUntil, subscribeEvents } from '../helpers/events.ts';
import { startServer } from '../helpers/server.ts';

/**
 * docs/api.md and the README: a drain "closes subscriptions with close code 1001". Closing the App ends every
 * subscription, so close() returns although clients still listen: WebSockets close with 1001
 * (clients reconnect elsewhere and resume), SSE streams complete.
 */
test('closing the server closes WebSocket subscriptions with 1001 and completes SSE streams', async () => {
  const server = await startServer();
  // From a cursor taken before the mutation, not "from now": a subscription the server registers
  // only after the commit still gets the event, replayed.
  const start = (await server.gql(`{ containers(first: 0) { watchCursor } }`)).data.containers.watchCursor as string;
  const ws = [subscribeEvents('ws', server.url, { after: start }), subscribeEvents('ws', server.url, { allNamespaces: true, after: '0000000000000000' })];
  const sse = subscribeEvents('sse', server.url, { allNamespaces: true, after: start });
  // Wait until every subscription is live: each sees this namespace's creation.
  assert.equal((await server.gql(`mutation { createNamespace(input: { name: "default" }) { namespace { name } } }`)).errors, undefined);
  for (const sub of [...ws, sse]) assert.ok('event' in (await collectUntil(sub, () => true))[0]!);
  await server.close();
  for (const sub of ws)
    assert.deepEqual(
      (await collectUntil(sub, () => true)).map((m) => ('error' in m ? m.error.closeCode : m)),
      [1001],
    );
  assert.deepEqual(await collectUntil(sse, () => true), [], 'the SSE stream completed');
});
