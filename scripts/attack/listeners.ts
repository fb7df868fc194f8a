/**
 * Loopback TCP listeners standing in for services on the node's own host (an admin panel, a metadata
 * endpoint): every connection they see is an outbound request the node should never have made.
 */
import net from 'node:net';

export interface Listener {
  port4: number;
  port6: number;
  connections(): number;
  /** Where connections came in (family, port), for the report. */
  seen(): string[];
  close(): Promise<void>;
}

function listen(host: string, onConnection: (socket: net.Socket) => void): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer(onConnection);
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });
}

export async function startListeners(): Promise<Listener> {
  let count = 0;
  const seen: string[] = [];
  const onConnection = (label: string) => (socket: net.Socket) => {
    count++;
    if (seen.length < 50) seen.push(`${label} from ${socket.remoteAddress}`);
    // Answer nothing: the connection itself is the finding. Close soon so the node is not held.
    socket.on('error', () => undefined);
    setTimeout(() => socket.destroy(), 50);
  };
  const v4 = await listen('127.0.0.1', onConnection('127.0.0.1'));
  let v6: net.Server | undefined;
  try {
    v6 = await listen('::1', onConnection('[::1]'));
  } catch {
    v6 = undefined; // no IPv6 loopback on this host: the v6 targets then cannot connect anywhere either
  }
  const portOf = (s: net.Server | undefined) => (s ? (s.address() as net.AddressInfo).port : 1);
  return {
    port4: portOf(v4),
    port6: portOf(v6),
    connections: () => count,
    seen: () => [...seen],
    close: async () => {
      for (const s of [v4, v6]) if (s) await new Promise((r) => s.close(r));
    },
  };
}
