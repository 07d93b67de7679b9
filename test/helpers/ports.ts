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

export type ConnectionFate = 'pass' | 'hold' | 'reset' | 'drop-when-ready';

/**
 * A TCP relay to `backendPort` that decides the fate of each new connection from `plan`, in the
 * order they arrive (connections past the plan pass): `pass` relays it, `reset` aborts it at once
 * (a TCP reset, as a restarting Postgres or a dropped network gives), `hold` accepts it and says
 * nothing until `releaseHeld` relays it, `drop-when-ready` relays it until Postgres says the new
 * session is ready for queries, then closes it (as a backend terminated right after its start-up
 * does). It lets a test order the outcomes of a pool's concurrent
 * connection attempts, which a real Postgres restart leaves to chance.
 */
export async function scriptedRelay(
  backendPort: number,
  plan: readonly ConnectionFate[],
): Promise<{ port: number; releaseHeld: () => void; close: () => Promise<void> }> {
  const fates = [...plan];
  const open = new Set<Socket>();
  const held: Socket[] = [];
  const pass = (client: Socket, untilReady = false) => {
    const upstream = connect(backendPort, '127.0.0.1');
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    if (!untilReady) return void upstream.pipe(client);
    // Postgres's messages are a type byte and a 4-byte length; ReadyForQuery's type is 'Z'.
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5 && pending.length >= 1 + pending.readUInt32BE(1)) {
        const end = 1 + pending.readUInt32BE(1);
        const [type, message] = [pending[0], pending.subarray(0, end)];
        pending = pending.subarray(end);
        client.write(message);
        if (type === 0x5a) return void client.end(drop);
      }
    });
  };
  const server = createServer((client) => {
    open.add(client);
    const fate = fates.shift() ?? 'pass';
    if (fate === 'reset') return void client.resetAndDestroy();
    if (fate === 'hold') return void held.push(client.pause());
    pass(client, fate === 'drop-when-ready');
  });
  const port = await listening(server);
  return {
    port,
    releaseHeld: () => {
      for (const client of held.splice(0)) pass(client.resume());
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
