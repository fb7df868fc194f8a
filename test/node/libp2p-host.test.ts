import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateIdentity } from '../../node/identity.ts';
import { createHost, type Host } from '../../node/libp2p-host.ts';
import { type Database, openDatabase } from '../../node/storage/database.ts';
import { tempDir } from '../helpers/node.ts';

describe('the libp2p host', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  });

  async function host(): Promise<Host> {
    const dir = await tempDir('ler-host-');
    const database: Database = await openDatabase(join(dir, 'db'));
    const { identity } = await loadOrCreateIdentity(database);
    const created = await createHost({ privateKey: identity.peerKey, database, listen: ['/ip4/127.0.0.1/tcp/0'] });
    cleanups.push(async () => {
      await created.stop();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    });
    return created;
  }

  it('pings each connection once a minute, not every 10 s (libp2p default)', async () => {
    const h = await host();
    // The running connection monitor itself: what it was configured with is what it does.
    const monitor = (h as unknown as { components: { connectionMonitor: { pingIntervalMs: number } } }).components
      .connectionMonitor;
    expect(monitor.pingIntervalMs).toBe(60_000);
  });

  it('keeps what its peer store learned across a restart (written when the host stops)', async () => {
    const dir = await tempDir('ler-host-');
    const database = await openDatabase(join(dir, 'db'));
    cleanups.push(async () => {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    });
    const { identity } = await loadOrCreateIdentity(database);
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'));
    const listen = ['/ip4/127.0.0.1/tcp/0'];
    const first = await createHost({ privateKey: identity.peerKey, database, listen });
    await first.peerStore.merge(other, { multiaddrs: [multiaddr('/ip4/127.0.0.1/tcp/4999')] });
    await first.stop();
    const second = await createHost({ privateKey: identity.peerKey, database, listen });
    try {
      const known = await second.peerStore.get(other);
      expect(known.addresses.map((a) => a.multiaddr.toString())).toEqual(['/ip4/127.0.0.1/tcp/4999']);
    } finally {
      await second.stop();
    }
  });
});
