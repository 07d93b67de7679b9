import WebSocket from 'ws';
import { body, EVENTS, SUBSCRIPTION_FIELDS } from './documents.ts';

/**
 * A minimal graphql-transport-ws client (the graphql-ws protocol: connection_init → ack,
 * subscribe → next… / error / complete, ping → pong). Hand-written rather than graphql-ws's
 * createClient so that thousands of them stay light in one load process, and so that the moment
 * a message arrives is the moment we timestamp, with no retry or lazy-connect logic in between.
 */
export interface SubscriptionHandlers {
  next(payload: { data?: unknown; errors?: unknown }): void;
  error(message: string): void;
  complete?(): void;
}

export class GraphQLWsConnection {
  private readonly handlers = new Map<string, SubscriptionHandlers>();
  private closing = false;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => this.onMessage(raw.toString()));
    socket.on('close', (code, reason) => {
      if (this.closing) return;
      for (const handler of this.handlers.values()) handler.error(`socket closed: ${code} ${reason.toString()}`);
      this.handlers.clear();
    });
  }

  /** Opens the socket and completes the connection_init / connection_ack handshake. */
  static connect(httpUrl: string, connectionParams: Record<string, unknown>, timeoutMs = 15_000): Promise<GraphQLWsConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
      const timer = setTimeout(() => fail(new Error(`no connection_ack within ${timeoutMs} ms`)), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.removeAllListeners();
        socket.on('error', () => {});
        socket.terminate();
        reject(error);
      };
      socket.once('error', (error) => fail(error));
      socket.once('close', (code, reason) => fail(new Error(`closed before ack: ${code} ${reason.toString()}`)));
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })));
      const onAck = (raw: WebSocket.RawData) => {
        const message = JSON.parse(raw.toString()) as { type: string };
        if (message.type === 'ping') return socket.send(JSON.stringify({ type: 'pong' }));
        if (message.type !== 'connection_ack') return fail(new Error(`expected connection_ack, got ${raw.toString().slice(0, 200)}`));
        clearTimeout(timer);
        socket.removeAllListeners();
        socket.on('error', () => {});
        resolve(new GraphQLWsConnection(socket));
      };
      socket.on('message', onAck);
    });
  }

  subscribe(id: string, query: string, variables: Record<string, unknown>, handlers: SubscriptionHandlers): void {
    this.handlers.set(id, handlers);
    this.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
  }

  close(): void {
    this.closing = true;
    this.socket.close(1000, 'bench done');
    // A server that never answers the close frame must not keep the load process alive.
    setTimeout(() => this.socket.terminate(), 2000).unref();
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as { id?: string; type: string; payload?: unknown };
    if (message.type === 'ping') return this.socket.send(JSON.stringify({ type: 'pong' }));
    const handler = message.id === undefined ? undefined : this.handlers.get(message.id);
    if (!handler) return;
    if (message.type === 'next') handler.next(message.payload as { data?: unknown; errors?: unknown });
    else if (message.type === 'error') {
      this.handlers.delete(message.id!);
      handler.error(JSON.stringify(message.payload));
    } else if (message.type === 'complete') {
      this.handlers.delete(message.id!);
      handler.complete?.();
    }
  }
}

/**
 * Null when the server serves Subscription.events over graphql-transport-ws; otherwise why not.
 * Subscriptions are being built alongside this harness, so their absence is a skip, not a failure.
 */
export async function subscriptionProblem(url: string): Promise<string | null> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(SUBSCRIPTION_FIELDS) });
    const result = (await response.json()) as { data?: { __schema?: { subscriptionType?: { fields?: { name: string }[] } | null } } };
    const fields = result.data?.__schema?.subscriptionType?.fields ?? [];
    if (!fields.some((field) => field.name === 'events')) return 'the schema has no Subscription.events';
  } catch (error) {
    return `introspection failed: ${String(error)}`;
  }
  let connection: GraphQLWsConnection;
  try {
    connection = await GraphQLWsConnection.connect(url, {}, 5_000);
  } catch (error) {
    return `no graphql-transport-ws at ${url.replace(/^http/, 'ws')}: ${error instanceof Error ? error.message : String(error)}`;
  }
  try {
    return await new Promise<string | null>((resolve) => {
      const settle = setTimeout(() => resolve(null), 500);
      connection.subscribe(
        'probe',
        EVENTS,
        {},
        {
          next: () => {},
          error: (message) => {
            clearTimeout(settle);
            resolve(`subscribing failed: ${message.slice(0, 300)}`);
          },
          complete: () => {
            clearTimeout(settle);
            resolve('the subscription completed at once');
          },
        },
      );
    });
  } finally {
    connection.close();
  }
}
