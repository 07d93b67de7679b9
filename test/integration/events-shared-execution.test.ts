import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ExecutionArgs, type ExecutionResult, GraphQLObjectType, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { sharedSubscriptionEvents } from '../../src/server/shared-subscription-events.ts';
import { startServer } from '../helpers/server.ts';

/**
 * Subscribers of the same event share its execution (src/server/shared-subscription-events.ts)
 * only when their document, variables and caller agree: each still gets exactly the shape it
 * asked for, whichever of them executed the event first.
 */
test('subscribers with different selections, variables or callers each get their own result for one event', async () => {
  const server = await startServer();
  try {
    assert.equal((await server.gql(`mutation { createNamespace(input: { name: "default" }) { namespace { name } } }`)).errors, undefined);
    const cursor = (await server.gql(`{ containers(first: 0) { watchCursor } }`)).data.containers.watchCursor as string;
    const client = createClient({
      url: server.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { namespace: 'default' },
    });
    const other = createClient({
      url: server.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { namespace: 'other' },
    });
    const firstEvent = (on: typeof client, query: string, variables: Record<string, unknown>) =>
      new Promise<unknown>((resolve, reject) => {
        const stop = on.subscribe(
          { query, variables: { after: cursor, ...variables } },
          {
            next: (result) => {
              stop();
              resolve(result);
            },
            error: (error) =>
              reject(
                new Error(
                  JSON.stringify(
                    error instanceof Error
                      ? error.message
                      : Array.isArray(error)
                        ? error
                        : { code: (error as CloseEvent).code, reason: (error as CloseEvent).reason },
                  ),
                ),
              ),
            complete: () => reject(new Error('completed without an event')),
          },
        );
      });
    const TOPIC = `subscription($after: String, $all: Boolean) { events(after: $after, allNamespaces: $all) { topic } }`;
    const OPTIONAL_ID = `subscription($after: String, $withId: Boolean!) { events(after: $after) { topic payload { ... on ContainerCreate { containerId @include(if: $withId) } } } }`;
    // Settled at once, so that a failed assertion below is the failure reported, not the
    // subscriptions that the server's close then ends.
    const received = Promise.all([
      firstEvent(client, TOPIC, {}),
      firstEvent(client, TOPIC, {}),
      firstEvent(client, OPTIONAL_ID, { withId: true }),
      firstEvent(client, OPTIONAL_ID, { withId: false }),
      firstEvent(client, `subscription($after: String) { events(after: $after) { namespace } }`, {}),
      firstEvent(other, TOPIC, { all: true }),
    ]);
    received.catch(() => {});
    const created = await server.gql(`mutation { createContainer(input: { container: {
      containerId: "shared", image: "i", runtime: { name: "r" }, spec: { typeUrl: "types.containerd.io/opencontainers/runtime-spec/1/Spec", value: "e30=" } } }) { container { containerId } } }`);
    assert.equal(created.errors, undefined);
    assert.deepEqual(await received, [
      { data: { events: { topic: '/containers/create' } } },
      { data: { events: { topic: '/containers/create' } } },
      { data: { events: { topic: '/containers/create', payload: { containerId: 'shared' } } } },
      { data: { events: { topic: '/containers/create', payload: {} } } },
      { data: { events: { namespace: 'default' } } },
      { data: { events: { topic: '/containers/create' } } },
    ]);
    await Promise.all([client.dispose(), other.dispose()]);
  } finally {
    await server.close();
  }
});

/**
 * That the execution is shared, counted: the plugin's subscribe function over a small schema whose
 * event field counts its resolver calls. Each subscriber has its own source yielding the same event
 * object, as the hub's feeds do.
 */
test('one execution per event for subscribers with the same document, variables and caller', async () => {
  let calls = 0;
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        events: {
          type: new GraphQLObjectType({ name: 'Event', fields: { topic: { type: GraphQLString, resolve: (e: { topic: string }) => (calls++, e.topic) } } }),
          args: { tag: { type: GraphQLString } },
          subscribe: () => source.shift()!,
          resolve: (event: unknown) => event,
        },
      },
    }),
  });
  const event = { topic: '/containers/create' };
  const source: AsyncGenerator<unknown>[] = [];
  let subscribeFn: ((args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult>>) | undefined;
  sharedSubscriptionEvents().onSubscribe!({ setSubscribeFn: (fn: unknown) => (subscribeFn = fn as typeof subscribeFn) } as never);
  assert.ok(subscribeFn, 'the plugin installs its subscribe function');
  const document = parse(`subscription($tag: String) { events(tag: $tag) { topic } }`);
  const caller = (namespace: string) => ({ identity: { role: 'admin', namespaces: ['*'] }, scope: { namespace, readable: [namespace] } });
  const subscribe = async (variables: Record<string, unknown>, context: object) => {
    source.push(
      (async function* () {
        yield event;
      })(),
    );
    const stream = await subscribeFn!({ schema, document, variableValues: variables, contextValue: context });
    return (await stream.next()).value;
  };
  const same = await Promise.all([1, 2, 3].map(() => subscribe({ tag: 'a' }, caller('default'))));
  assert.equal(calls, 1, 'three subscribers of one document, variables and caller: one execution');
  assert.ok(
    same.every((r) => r === same[0]),
    'they share the one result object',
  );
  await subscribe({ tag: 'b' }, caller('default'));
  assert.equal(calls, 2, 'other variables: an execution of their own');
  await subscribe({ tag: 'a' }, caller('other'));
  assert.equal(calls, 3, 'another caller: an execution of its own');
});
