import { NAMESPACE } from '../fixtures.ts';
import { GraphQLWsConnection } from './ws-client.ts';

export interface Subscribers {
  readonly connections: GraphQLWsConnection[];
  readonly failed: number;
  readonly seconds: number;
  readonly firstError?: string;
  closeAll(): void;
}

/**
 * Opens `count` WebSocket connections, `batch` handshakes at a time (a burst of thousands at once
 * only measures the accept queue), and calls `subscribe` on each as soon as it is acknowledged.
 */
export async function connectSubscribers(
  url: string,
  count: number,
  subscribe: (connection: GraphQLWsConnection, index: number) => void,
  progress: (text: string) => void,
  batch = 100,
): Promise<Subscribers> {
  const started = performance.now();
  const connections: GraphQLWsConnection[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let lastReport = 0;
  for (let first = 0; first < count; first += batch) {
    const indexes = Array.from({ length: Math.min(batch, count - first) }, (_, i) => first + i);
    await Promise.all(
      indexes.map(async (index) => {
        try {
          const connection = await GraphQLWsConnection.connect(url, { namespace: NAMESPACE });
          connections.push(connection);
          subscribe(connection, index);
        } catch (error) {
          failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }),
    );
    if (performance.now() - lastReport > 1000 || first + batch >= count) {
      lastReport = performance.now();
      progress(`connecting subscribers: ${connections.length}/${count}${failed ? `, ${failed} failed` : ''}`);
    }
  }
  return {
    connections,
    failed,
    seconds: (performance.now() - started) / 1000,
    ...(firstError ? { firstError } : {}),
    closeAll: () => connections.forEach((connection) => connection.close()),
  };
}
