/** Keys and presentations as a learner's wallet (or an outside signer) would make them. */
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as vc from '@digitalbazaar/vc';
import { createSignSuite } from '../../protocol/signing/suites.ts';

/** A fresh Ed25519 did:key and its signing key pair. */
export async function generateDidKey(): Promise<{ did: string; key: Ed25519Multikey.MultikeyKeyPair }> {
  const generated = await Ed25519Multikey.generate();
  const did = `did:key:${generated.publicKeyMultibase}`;
  const key = await Ed25519Multikey.from({
    ...(await generated.export({ publicKey: true, secretKey: true })),
    id: `${did}#${generated.publicKeyMultibase}`,
    controller: did,
  });
  return { did, key };
}

/** `credentials` presented by a holder (a new did:key unless given), signed with eddsa-rdfc-2022. */
export async function presentation(
  credentials: Record<string, unknown>[],
  options: {
    challenge: string;
    documentLoader: unknown;
    holder?: { did: string; key: Ed25519Multikey.MultikeyKeyPair };
  },
): Promise<Record<string, unknown>> {
  const holder = options.holder ?? (await generateDidKey());
  return vc.signPresentation({
    presentation: vc.createPresentation({ verifiableCredential: credentials, holder: holder.did }),
    suite: createSignSuite('eddsa-rdfc-2022', holder.key),
    challenge: options.challenge,
    documentLoader: options.documentLoader,
  });
}
