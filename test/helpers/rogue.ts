/**
 * A rogue peer's side of the peer protocols: a real libp2p node whose
 * `/ler/sync/1.0.0` answers are scripted by the test (what an attacker would
 * send), and signed gossip/publications built by hand (what its own, honest
 * store would refuse to hold).
 */
import { lpStream } from '@libp2p/utils';
import { MAX_SYNC_FRAME_BYTES, SYNC_PROTOCOL } from '../../protocol/constants.ts';
import { encodeJson, parseSyncRequest, type SyncRequest } from '../../protocol/messages.ts';
import { type Publication, publicationSigningInput, type UnsignedPublication } from '../../registry/publications.ts';
import type { Peer } from './peers.ts';

/** Replaces `peer`'s sync handler with `answer`; returns every request it received, in order. */
export async function answerSyncAs(peer: Peer, answer: (request: SyncRequest) => unknown): Promise<SyncRequest[]> {
  const received: SyncRequest[] = [];
  await peer.host.unhandle(SYNC_PROTOCOL);
  await peer.host.handle(
    SYNC_PROTOCOL,
    async (stream) => {
      try {
        const lp = lpStream(stream, { maxDataLength: MAX_SYNC_FRAME_BYTES });
        const request = parseSyncRequest((await lp.read()).subarray(), MAX_SYNC_FRAME_BYTES);
        received.push(request);
        await lp.write(encodeJson(answer(request)));
        await stream.close();
      } catch (error) {
        stream.abort(error as Error);
      }
    },
    { maxInboundStreams: 64 },
  );
  return received;
}

/** A publication signed with `peer`'s institution key, whatever its content says. */
export async function signAs(peer: Peer, unsigned: Omit<UnsignedPublication, 'publisher'>): Promise<Publication> {
  const { identity } = peer.components;
  const full: UnsignedPublication = { publisher: identity.did, ...unsigned };
  const signature = await identity.keyPair.signer().sign({ data: publicationSigningInput(full) });
  return {
    ...full,
    proof: { verificationMethod: identity.keyId, signature: Buffer.from(signature).toString('base64url') },
  };
}
