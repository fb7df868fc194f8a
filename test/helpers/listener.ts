/** Real TCP listeners on loopback that count the connections a node makes to them (SSRF and amplification tests). */
import { createServer, type Server, type Socket } from 'node:net';

export interface CountingListener {
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Most connections open at the same time. */
  readonly maxOpen: number;
  /** Connections open now. */
  readonly open: number;
  /** Resolves once no accepted connection is open any more. */
  idle(): Promise<void>;
  /** Resolves once at least `count` connections have been accepted. */
  accepted(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * `mode: 'close'` closes each connection at once (a port that accepts, then fails the handshake);
 * `mode: 'hang'` accepts and never answers (the slow host of issue 16, finding 4).
 */
export async function countingListener(
  options: { mode?: 'close' | 'hang'; host?: string } = {},
): Promise<CountingListener> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let maxOpen = 0;
  let waiters: Array<() => void> = [];
  let counters: Array<{ count: number; wake: () => void }> = [];
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    maxOpen = Math.max(maxOpen, sockets.size);
    for (const counter of counters.filter((c) => connections >= c.count)) counter.wake();
    counters = counters.filter((c) => connections < c.count);
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) {
        for (const wake of waiters) wake();
        waiters = [];
      }
    });
    // Read (and drop) what arrives, so the client's close is seen as soon as it happens.
    socket.resume();
    if (options.mode !== 'hang') socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    get connections() {
      return connections;
    },
    get maxOpen() {
      return maxOpen;
    },
    get open() {
      return sockets.size;
    },
    accepted: (count) =>
      connections >= count ? Promise.resolve() : new Promise<void>((wake) => counters.push({ count, wake })),
    idle: () => (sockets.size === 0 ? Promise.resolve() : new Promise<void>((wake) => waiters.push(wake))),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
