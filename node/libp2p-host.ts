/**
 * The node's libp2p host: TCP, Noise, Yamux, identify, ping, with the peer
 * identity and peer store kept in the node's level database so both survive
 * restarts. Replication protocols (gossip, sync) plug in here later.
 */
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { bootstrap } from '@libp2p/bootstrap';
import { identify } from '@libp2p/identify';
import type { PrivateKey } from '@libp2p/interface';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { LevelDatastore } from 'datastore-level';
import { createLibp2p, type Libp2p } from 'libp2p';
import type { Database } from './storage/database.ts';

export interface HostOptions {
  privateKey: PrivateKey;
  database: Database;
  listen: string[];
  bootstrap?: string[];
}

export async function createHost(options: HostOptions): Promise<Libp2p> {
  const datastore = new LevelDatastore(options.database.libp2p as never);
  await datastore.open();
  const peerDiscovery = options.bootstrap?.length ? [bootstrap({ list: options.bootstrap })] : [];
  return createLibp2p({
    privateKey: options.privateKey,
    datastore,
    addresses: { listen: options.listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    services: { identify: identify(), ping: ping() },
  });
}
