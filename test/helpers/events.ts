import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { WAIT_MS, within } from './bounded.ts';

/** Event subscriptions over the real transports, as a client sees them. */

export const EVENT_FIELDS = `cursor timestamp namespace topic payload {
  __typename
  ... on ContainerCreate { containerId image runtime { name } }
  ... on ContainerUpdate { containerId image labels { key value } snapshotKey }
  ... on ContainerDelete { containerId }
  ... on NamespaceCreate { name labels { key value } }
  ... on NamespaceUpdate { name labels { key value } }
  ... on NamespaceDelete { name }
}`;

export const SUBSCRIBE_EVENTS = `subscription($after: String, $filters: [String!], $all: Boolean, $namespace: String) {
  events(after: $after, filters: $filters, allNamespaces: $all, namespace: $namespace) { ${EVENT_FIELDS} } }`;

export const EVENT_HISTORY = `query($after: String, $filters: [String!], $first: Int, $all: Boolean) {
  events(after: $after, filters: $filters, first: $first, allNamespaces: $all) {
    edges { cursor node { ${EVENT_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;

export interface ReceivedEvent {
  readonly cursor: string;
  readonly timestamp: string;
  readonly namespace: string;
  readonly topic: string;
  readonly payload: { __typename: string; containerId?: string; name?: string; image?: string; labels?: { key: string; value: string }[] };
}

export interface StreamError {
  readonly code: string | undefined;
  readonly message: string;
  readonly cursor?: string;
  /** Set when the socket closed under the subscription. */
  readonly closeCode?: number;
}

export type StreamMessage = { readonly event: ReceivedEvent } | { readonly error: StreamError };

export type Transport = 'ws' | 'sse';

export interface SubscribeOptions {
  readonly after?: string | null;
  readonly filters?: readonly string[];
  readonly allNamespaces?: boolean;
  readonly namespace?: string;
  /** The subscription field's own `namespace` argument, which overrides the connection's. */
  readonly argumentNamespace?: string;
  /** A bearer token: connectionParams.authorization over WebSocket, the Authorization header over SSE. */
  readonly token?: string;
}

export interface EventSubscription {
  /** The next message; null once the server completed the stream. */
  next(): Promise<StreamMessage | null>;
  /** Disconnects: politely (graphql-ws complete + close, or an SSE abort), or by dropping the socket. */
  close(abrupt?: boolean): Promise<void>;
}

export function subscribeEvents(transport: Transport, url: string, options: SubscribeOptions = {}): EventSubscription {
  const variables = {
    after: options.after ?? null,
    filters: options.filters ?? null,
    all: options.allNamespaces ?? false,
    namespace: options.argumentNamespace ?? null,
  };
  const headers = {
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
  };
  return transport === 'ws' ? overWebSocket(url, variables, headers) : overServerSentEvents(url, variables, headers);
}

/**
 * Reads subscription messages until one satisfies `done`; returns them all. Bounded: after `ms`
 * it fails naming `waitingFor` and what had arrived by then.
 */
export async function collectUntil(
  sub: EventSubscription,
  done: (message: StreamMessage) => boolean,
  waitingFor = 'the awaited event',
  ms = WAIT_MS,
): Promise<StreamMessage[]> {
  const messages: StreamMessage[] = [];
  const collecting = (async () => {
    for (;;) {
      const message = await sub.next();
      if (message === null) return messages;
      messages.push(message);
      if (done(message)) return messages;
    }
  })();
  try {
    return await within(collecting, waitingFor, ms);
  } catch (error) {
    const last = messages.at(-1);
    throw new Error(`${(error as Error).message} (${messages.length} messages arrived; the last: ${JSON.stringify(last ?? null)})`);
  }
}

/** What a request says about itself: namespace and authorization. */
interface Credentials {
  readonly namespace?: string;
  readonly authorization?: string;
}

function overWebSocket(url: string, variables: Record<string, unknown>, credentials: Credentials): EventSubscription {
  const inbox = new Inbox<StreamMessage>();
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { ...credentials },
  });
  // Terminating a socket that is still connecting makes ws throw; such a close is a polite one.
  let connected = false;
  client.on('connected', () => (connected = true));
  client.subscribe(
    { query: SUBSCRIBE_EVENTS, variables },
    {
      next: (result) => inbox.push(resultMessage(result)),
      error: (error) => {
        inbox.push({ error: socketError(error) });
        inbox.end();
      },
      complete: () => inbox.end(),
    },
  );
  return {
    next: () => inbox.next(),
    close: async (abrupt = false) => {
      inbox.end();
      if (abrupt && connected) client.terminate();
      else await client.dispose();
    },
  };
}

function overServerSentEvents(url: string, variables: Record<string, unknown>, credentials: Credentials): EventSubscription {
  const inbox = new Inbox<StreamMessage>();
  const abort = new AbortController();
  const read = async () => {
    const response = await fetch(url, {
      method: 'POST',
      signal: abort.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        ...(credentials.namespace ? { 'berth-namespace': credentials.namespace } : {}),
        ...(credentials.authorization ? { authorization: credentials.authorization } : {}),
      },
      body: JSON.stringify({ query: SUBSCRIBE_EVENTS, variables }),
    });
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const lines = block.split('\n');
        const type = lines
          .find((line) => line.startsWith('event:'))
          ?.slice(6)
          .trim();
        const data = lines
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (type === 'next') inbox.push(resultMessage(JSON.parse(data)));
        if (type === 'complete') return inbox.end();
      }
    }
    inbox.end();
  };
  read().catch((error: unknown) => {
    if (!abort.signal.aborted) inbox.push({ error: { code: undefined, message: String(error) } });
    inbox.end();
  });
  return {
    next: () => inbox.next(),
    close: async () => {
      inbox.end();
      abort.abort();
    },
  };
}

function resultMessage(result: { data?: unknown; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }): StreamMessage {
  const error = result.errors?.[0];
  if (error)
    return { error: { code: error.extensions?.code as string | undefined, message: error.message, cursor: error.extensions?.cursor as string | undefined } };
  return { event: (result.data as { events: ReceivedEvent }).events };
}

function socketError(error: unknown): StreamError {
  if (Array.isArray(error)) return { code: error[0]?.extensions?.code, message: error[0]?.message ?? 'error' };
  const code = (error as { code?: unknown }).code;
  return { code: undefined, message: String((error as { reason?: string }).reason ?? error), closeCode: typeof code === 'number' ? code : undefined };
}

/** A queue that a producer pushes to and a single consumer awaits. */
class Inbox<T> {
  private readonly items: T[] = [];
  private ended = false;
  private waiter: (() => void) | null = null;

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    this.waiter?.();
  }

  end(): void {
    this.ended = true;
    this.waiter?.();
  }

  async next(): Promise<T | null> {
    while (this.items.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.waiter = resolve));
    this.waiter = null;
    return this.items.shift() ?? null;
  }
}
