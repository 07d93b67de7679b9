import { createSourceEventStream, type DocumentNode, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

type PromiseOrValue<T> = T | Promise<T>;
import type { RequestContext } from '../resolvers/context.ts';

/**
 * Runs each subscription event's selection once per distinct operation, not once per subscriber.
 *
 * The event hub hands one StoredEvent object to every feed (src/resolvers/event-hub.ts), so a
 * thousand subscribers of the same document and variables would otherwise execute the same
 * selection over the same object a thousand times: most of the server's work during a fan-out.
 * Here the first subscriber to reach an event executes it and the rest reuse that result, found
 * by (event object, document object, operation name, variables, scope). Yoga's parse cache gives
 * equal query texts the same DocumentNode; an uncached document simply shares nothing.
 *
 * The scope is in the key so that a resolver that ever came to read the caller's identity could
 * not hand one caller's answer to another. Results are shared as they are: every plugin that
 * changes one (error masking, error codes) returns a new object instead of mutating it.
 *
 * Why not @graphql-tools/executor's subscribe (Yoga's default): it maps each event through a
 * per-event async generator and flattens them, a cost paid per subscriber per event. graphql-js
 * executes an event synchronously unless the selection reaches a record field of the payload
 * (`container`, say); then the shared result is a promise, awaited by every subscriber alike.
 */
export function sharedSubscriptionEvents(): Plugin {
  const results = new WeakMap<object, Map<string, PromiseOrValue<ExecutionResult>>>();
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 0;

  const sharingKey = (args: ExecutionArgs): string => {
    let id = documentIds.get(args.document);
    if (id === undefined) documentIds.set(args.document, (id = nextDocumentId++));
    return `${id}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? null)}\u0000${callerKey(args.contextValue as RequestContext)}`;
  };

  const executeEvent = (args: ExecutionArgs, key: string, event: unknown): PromiseOrValue<ExecutionResult> => {
    if (typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event }) as PromiseOrValue<ExecutionResult>;
    let byKey = results.get(event);
    if (!byKey) results.set(event, (byKey = new Map()));
    let result = byKey.get(key);
    if (!result) byKey.set(key, (result = execute({ ...args, rootValue: event }) as PromiseOrValue<ExecutionResult>));
    return result;
  };

  const subscribe = async (args: ExecutionArgs) => {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterator(source)) return source;
    const key = sharingKey(args);
    return mapItems(source, (event) => executeEvent(args, key, event));
  };

  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribe as never);
    },
  };
}

/** Everything about the caller that could change what a resolver returns. */
function callerKey({ identity, scope }: RequestContext): string {
  return JSON.stringify([identity.role, identity.namespaces, scope.namespace, scope.readable]);
}

function isAsyncIterator(value: unknown): value is AsyncIterableIterator<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** The source's items through `map`; return() and throw() reach the source (it ends the feed). */
function mapItems<T, R>(source: AsyncIterableIterator<T>, map: (item: T) => PromiseOrValue<R>): AsyncIterableIterator<R> {
  const step = async (result: IteratorResult<T>): Promise<IteratorResult<R>> =>
    result.done ? { done: true, value: undefined } : { done: false, value: await map(result.value) };
  return {
    next: () => source.next().then(step),
    return: async () => step((await source.return?.()) ?? { done: true, value: undefined }),
    throw: async (error?: unknown) => {
      if (!source.throw) throw error;
      return step(await source.throw(error));
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
