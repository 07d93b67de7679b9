import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * Ports a test holds for as long as it needs them, so no other process can take one in between
 * (finding a free port, closing it and binding it again races with everything else on the box).
 */

async function listening(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/**
 * A port that refuses connections: the local end of a connection the test keeps open. Nothing
 * listens on it, and nothing else can bind it until `release`.
 */
export async function refusingPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const accepted: Socket[] = [];
  const listener = createServer((socket) => accepted.push(socket));
  const socket = connect(await listening(listener), '127.0.0.1');
  await once(socket, 'connect');
  return {
    port: socket.localPort!,
    release: async () => {
      socket.destroy();
      for (const s of accepted) s.destroy();
      await new Promise((resolve) => listener.close(resolve));
    },
  };
}

/**
 * A TCP relay on a port the test holds, to whichever backend port is current: a client keeps one
 * address across server restarts. Hand-written (a pipe each way) because it is a few lines and an
 * HTTP proxy library would also have to pass WebSocket upgrades through untouched.
 */
export async function relay(): Promise<{ port: number; target: (port: number | null) => void; close: () => Promise<void> }> {
  let backend: number | null = null;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    if (backend === null) return client.destroy();
    const upstream = connect(backend, '127.0.0.1');
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  const port = await listening(server);
  return {
    port,
    target: (next) => {
      backend = next;
      for (const socket of open) socket.destroy();
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
