/**
 * The node's libp2p host: TCP, Noise, Yamux, identify, ping, gossipsub (one
 * topic per followed network) and kad-dht (provider records keyed by network
 * id), with the peer identity and peer store kept in the node's level database
 * so both survive restarts. An optional allowlist limits which peers may connect.
 */
import { createHash } from 'node:crypto';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { bootstrap } from '@libp2p/bootstrap';
import { type GossipSub, gossipsub } from '@libp2p/gossipsub';
import { identify } from '@libp2p/identify';
import type { PeerId, PrivateKey } from '@libp2p/interface';
import { type KadDHT, kadDHT, passthroughMapper } from '@libp2p/kad-dht';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { createLibp2p, type Libp2p } from 'libp2p';
import { MAX_GOSSIP_BYTES } from '../protocol/constants.ts';
import { CachedLevelDatastore } from './storage/cached-datastore.ts';
import type { Database } from './storage/database.ts';

/**
 * How often libp2p pings each open connection to find dead ones (its default is 10 s). Every ping is a new
 * stream each way (negotiation, a peer store update, encryption): with 15 connections that was 180 streams a
 * minute at an idle node. Once a minute still finds a silent peer, and gossip and sync do not depend on it:
 * gossip reaches a node through its other mesh peers, and a pull repairs what was lost (decision 0048).
 */
export const PING_INTERVAL_MS = 60_000;

export interface HostOptions {
  privateKey: PrivateKey;
  database: Database;
  listen: string[];
  bootstrap?: string[];
  /** When set, only these peer ids may connect (either direction). */
  allowPeers?: string[];
  /** Also refuses the peers this says true for, asked at every dial and connection (scripts/partition.ts). */
  denyPeer?: (peer: PeerId) => boolean;
  /** A failed write of libp2p's datastore (tried again at the next flush). */
  onStoreError?: (error: unknown) => void;
}

/** The gossipsub implementation offers more than its exported interface; these are the parts used here. */
export type Pubsub = GossipSub & {
  score: { params: { topics: Record<string, unknown> } };
  getMeshPeers(topic: string): string[];
  getScore(peerId: string): number;
};

export type Host = Libp2p<{ pubsub: Pubsub; dht: KadDHT; identify: unknown; ping: unknown }>;

export async function createHost(options: HostOptions): Promise<Host> {
  // Peer store updates (one per stream) from memory, written to level together (decision 0048).
  const datastore = new CachedLevelDatastore(options.database.libp2p as never, {
    onError: options.onStoreError,
  });
  await datastore.open();
  const peerDiscovery = options.bootstrap?.length ? [bootstrap({ list: options.bootstrap, timeout: 100 })] : [];
  const allowed = options.allowPeers?.length ? new Set(options.allowPeers) : undefined;
  const denied = (peer: PeerId) =>
    (allowed !== undefined && !allowed.has(peer.toString())) || options.denyPeer?.(peer) === true;
  return createLibp2p({
    privateKey: options.privateKey,
    datastore,
    addresses: { listen: options.listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    // libp2p's default (5 inbound connections per second per host) resets bursts of dials from one address:
    // several nodes behind one NAT, or many on one machine. Resets then surfaced as stuck dials.
    connectionManager: { inboundConnectionThreshold: 100, maxIncomingPendingConnections: 50 },
    connectionMonitor: { pingInterval: PING_INTERVAL_MS },
    connectionGater: {
      denyDialPeer: async (peer) => denied(peer),
      denyInboundEncryptedConnection: async (peer) => denied(peer),
      denyOutboundEncryptedConnection: async (peer) => denied(peer),
    },
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        // Publishing before the mesh forms must not fail: sync delivers it later.
        allowPublishToZeroTopicPeers: true,
        // Messages are content-addressed, so the same action announced by two nodes is one message.
        msgIdFn: (message) => createHash('sha256').update(message.data).digest(),
        maxInboundDataLength: MAX_GOSSIP_BYTES + 64 * 1024,
        emitSelf: false,
        // The IP colocation penalty (a Sybil defence) would grey-list every peer once more than ten nodes
        // share one address; nodes on loopback are one operator's, so loopback is exempt. Real addresses are not.
        scoreParams: { IPColocationFactorWhitelist: new Set(['127.0.0.1', '::1']) },
      }),
      // On a small private network the DHT works only as a server and with private addresses kept.
      // Pending peer-store writes reach level when the host stops (libp2p does not close its datastore).
      datastoreFlush: () => ({ start() {}, stop() {}, afterStop: () => datastore.flush() }),
      dht: kadDHT({ protocol: '/ler/kad/1.0.0', clientMode: false, peerInfoMapper: passthroughMapper }),
    },
  }) as unknown as Promise<Host>;
}
