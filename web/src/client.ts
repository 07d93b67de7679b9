import { Client, fetchExchange, mapExchange, subscriptionExchange, type SubscriptionForwarder } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { createClient as createWebSocketClient, type Client as WebSocketClient } from 'graphql-ws';
import { errorCode } from './errors.ts';
import { liveCache } from './live-cache.ts';
import { authorization, tokenNeeded } from './session.ts';
import { createStore } from './store.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';
export const connection = createStore<ConnectionState>('connecting');

/** graphql-ws's close code when Berth refuses a connection or a token expires. */
const FORBIDDEN = 4403;

/**
 * One urql client per token: queries and mutations over HTTP, subscriptions over graphql-ws on the
 * same origin. Graphcache normalizes everything by Berth's global ids (live-cache.ts).
 */
export function createConsoleClient(): { client: Client; dispose(): void } {
  const webSocket = createWebSocketClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: () => authorization(),
    // A restart or a network blip must never end the feed: retry forever, at most 2 s apart.
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** retries))),
    on: {
      connecting: () => connection.set(connection.get() === 'live' ? 'reconnecting' : connection.get()),
      connected: () => connection.set('live'),
      closed: (event) => {
        if ((event as CloseEvent).code === FORBIDDEN) tokenNeeded.set((event as CloseEvent).reason || 'the server refused the token');
        if (connection.get() === 'live') connection.set('reconnecting');
      },
    },
  });
  const client = new Client({
    url: '/graphql',
    // Yoga's CSRF check wants a custom header on browser requests; the token goes as Authorization.
    fetchOptions: () => ({ headers: { 'x-graphql-yoga-csrf': 'berth-console', ...authorization() } }),
    exchanges: [
      mapExchange({
        onError(error) {
          if (errorCode(error) === 'UNAUTHENTICATED') tokenNeeded.set(error.graphQLErrors[0]?.message ?? 'this Berth requires a token');
        },
      }),
      cacheExchange(liveCache),
      fetchExchange,
      subscriptionExchange({ forwardSubscription: resumable(webSocket) }),
    ],
  });
  return { client, dispose: () => void webSocket.dispose() };
}

/**
 * Subscriptions that resume where they were after a reconnect. graphql-ws sends the very same
 * payload object again on each reconnect, so advancing its `after` variable to the cursor of each
 * delivered event makes the resubscription replay only what came after it: nothing is missed (the
 * server replays from the cursor) and nothing is delivered twice.
 */
function resumable(webSocket: WebSocketClient): SubscriptionForwarder {
  return (request) => {
    const payload = { ...request, query: request.query ?? '' };
    return {
      subscribe(sink) {
        const unsubscribe = webSocket.subscribe(payload, {
          next(result) {
            const cursor = (result.data as { events?: { cursor?: string } } | null | undefined)?.events?.cursor;
            if (cursor && payload.variables && 'after' in payload.variables) payload.variables = { ...payload.variables, after: cursor };
            sink.next(result as never);
          },
          error: (error) => sink.error(error),
          complete: () => sink.complete(),
        });
        return { unsubscribe };
      },
    };
  };
}
