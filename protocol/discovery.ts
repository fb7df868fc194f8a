/**
 * Discovery of peers that follow a network: kad-dht provider records keyed by
 * a CID derived from the network id (so a node can find the followers of a
 * network it was just told about), on top of the bootstrap list.
 */
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';

/** The DHT key under which followers of `networkId` announce themselves. */
export async function networkProviderKey(networkId: string): Promise<CID> {
  const digest = await sha256.digest(new TextEncoder().encode(`ler-network:${networkId}`));
  return CID.createV1(raw.code, digest);
}
