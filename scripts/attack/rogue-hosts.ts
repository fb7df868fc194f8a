/**
 * libp2p hosts of the harness's own, built with the node's own host factory (node/libp2p-host.ts) over
 * a throwaway level database: a rogue peer that answers `/ler/sync/1.0.0` from a script and publishes
 * whatever it is given on gossip, and an observer that only listens, to see what honest nodes forward.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '@libp2p/crypto/keys';
import type { Stream } from '@libp2p/interface';
import { lpStream } from '@libp2p/utils';
import { multiaddr } from '@multiformats/multiaddr';
import { createHost, type Host } from '../../node/libp2p-host.ts';
import { openDatabase } from '../../node/storage/database.ts';
import { MAX_SYNC_FRAME_BYTES, networkTopic, SYNC_PROTOCOL } from '../../protocol/constants.ts';

export interface HarnessHost {
  host: Host;
  peerId: string;
  dial(addr: string): Promise<void>;
  subscribe(network: string): void;
  stop(): Promise<void>;
}

/** `allowPeers`: only these may connect (the observer must hear the rogue only through honest nodes). */
export async function startHarnessHost(allowPeers?: string[]): Promise<HarnessHost> {
  const dir = mkdtempSync(join(tmpdir(), 'ler-attack-host-'));
  const database = await openDatabase(join(dir, 'db'));
  const host = await createHost({
    privateKey: await generateKeyPair('Ed25519'),
    database,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    allowPeers,
  });
  return {
    host,
    peerId: host.peerId.toString(),
    async dial(addr) {
      await host.dial(multiaddr(addr), { signal: AbortSignal.timeout(10_000) });
    },
    subscribe(network) {
      host.services.pubsub.subscribe(networkTopic(network));
    },
    async stop() {
      await Promise.resolve(host.stop()).catch(() => undefined);
      await Promise.resolve(database.close()).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Answers sync requests with whatever `answer` returns for them (any JSON: the point is lying). */
export async function serveSync(
  h: HarnessHost,
  answer: (request: Record<string, unknown>, from: string) => unknown,
  onRequest?: (request: Record<string, unknown>, from: string) => void,
): Promise<void> {
  await h.host.handle(
    SYNC_PROTOCOL,
    async (stream: Stream, connection: { remotePeer: { toString(): string } }) => {
      const signal = AbortSignal.timeout(20_000);
      try {
        const lp = lpStream(stream, { maxDataLength: MAX_SYNC_FRAME_BYTES });
        const request = JSON.parse(Buffer.from((await lp.read({ signal })).subarray()).toString('utf8'));
        const from = connection.remotePeer.toString();
        onRequest?.(request, from);
        const reply = answer(request, from);
        const bytes = typeof reply === 'string' ? Buffer.from(reply) : Buffer.from(JSON.stringify(reply));
        await lp.write(bytes, { signal });
        await stream.close({ signal });
      } catch (error) {
        stream.abort(error as Error);
      }
    },
    { maxInboundStreams: 64, maxOutboundStreams: 64, runOnLimitedConnection: false } as never,
  );
}

/** Sends one request to a peer's sync protocol and returns the raw answer (or the error). */
export async function askSync(h: HarnessHost, peerId: string, body: Buffer): Promise<string> {
  const { peerIdFromString } = await import('@libp2p/peer-id');
  const signal = AbortSignal.timeout(20_000);
  const stream = await h.host.dialProtocol(peerIdFromString(peerId), SYNC_PROTOCOL, { signal });
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_SYNC_FRAME_BYTES });
    await lp.write(body, { signal });
    const answer = Buffer.from((await lp.read({ signal })).subarray()).toString('utf8');
    await stream.close({ signal });
    return answer;
  } catch (error) {
    stream.abort(error as Error);
    return `error: ${(error as Error).message}`;
  }
}

export const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('base64url');

/** Records every gossip message the observer receives on a topic, with the peer that forwarded it. */
export function observe(h: HarnessHost): Array<{ topic: string; data: Uint8Array; from: string }> {
  const seen: Array<{ topic: string; data: Uint8Array; from: string }> = [];
  h.host.services.pubsub.addEventListener(
    'gossipsub:message' as never,
    ((event: CustomEvent) => {
      const { propagationSource, msg } = event.detail as {
        propagationSource: { toString(): string };
        msg: { topic: string; data: Uint8Array };
      };
      seen.push({ topic: msg.topic, data: msg.data, from: propagationSource.toString() });
    }) as never,
  );
  return seen;
}
