/**
 * An outsider's own did:key, signing credentials with the node's own signing code: a credential that is
 * genuinely signed (the proof verifies) yet hostile in what it says, e.g. a status list named `__proto__`
 * (finding 2), is what one anonymous client can send.
 */
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import type { Identity } from '../../node/identity.ts';
import { createSigner } from '../../node/issuing/signer.ts';
import { createDidResolution } from '../../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../../protocol/signing/document-loader.ts';
import type { Cryptosuite } from '../../protocol/signing/suites.ts';

export async function createAttackerSigner() {
  const keyPair = await Ed25519Multikey.generate();
  const { publicKeyMultibase } = await keyPair.export({ publicKey: true });
  const did = `did:key:${publicKeyMultibase}`;
  keyPair.id = `${did}#${publicKeyMultibase}`;
  keyPair.controller = did;
  const identity = { did, keyId: keyPair.id, keyPair } as unknown as Identity;
  const sign = createSigner({
    identity,
    documentLoader: createDocumentLoader({ didResolution: createDidResolution() }),
  });
  return {
    did,
    sign: (credential: Record<string, unknown>, suite?: Cryptosuite) => sign({ ...credential, issuer: did }, suite),
  };
}
