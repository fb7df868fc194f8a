/**
 * Proof sets and proof chains (VC Data Integrity §2.1, §4.5) and the policy for a proof of a kind this node cannot
 * check (docs/decisions/0023), on credentials signed the way the W3C Data Integrity suites sign them.
 */
import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';
import { describe, expect, it } from 'vitest';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../../../protocol/signing/document-loader.ts';
import { runProofJob } from '../../../protocol/signing/proof-verifier.ts';
import { createSignSuite } from '../../../protocol/signing/suites.ts';
import { generateDidKey } from '../../helpers/holder.ts';
import { sampleBadge } from '../../helpers/node.ts';

type Json = Record<string, any>;
const documentLoader = createDocumentLoader({ didResolution: createDidResolution({ cacheTtlMs: 0 }) });

/** Signs `credential` once per entry, each proof with the given `id` / `previousProof` (as the DI suites do). */
async function signed(proofs: Array<{ id?: string; previousProof?: string | string[] }>): Promise<Json> {
  const issuer = await generateDidKey();
  let credential: Json = sampleBadge({ issuer: issuer.did, validFrom: '2026-01-01T00:00:00Z' });
  for (const template of proofs) {
    const suite = createSignSuite('eddsa-rdfc-2022', issuer.key) as { proof?: Json };
    suite.proof = template;
    credential = await vc.issue({ credential, suite, documentLoader });
  }
  return credential;
}

const verify = (document: Json) => runProofJob({ document, purpose: { kind: 'assertion' }, didDocuments: {} });
const codes = (result: Awaited<ReturnType<typeof verify>>) => result.proofs.map((p) => p.code ?? 'ok');

describe('when a credential carries several proofs', () => {
  it('verifies a proof set only when every proof verifies', async () => {
    const set = await signed([{}, {}]);
    expect(await verify(set)).toMatchObject({ verified: true, proofs: [{ verified: true }, { verified: true }] });
    set.proof[1].proofValue = set.proof[0].proofValue.replace(/.$/, (c: string) => (c === 'a' ? 'b' : 'a'));
    const tampered = await verify(set);
    expect(tampered.verified).toBe(false);
    expect(codes(tampered)).toEqual(['ok', 'INVALID_SIGNATURE']);
  });

  it('verifies a chain whose previousProof is a string or a list', async () => {
    const first = 'urn:uuid:first-proof';
    expect((await verify(await signed([{ id: first }, { previousProof: first }]))).verified).toBe(true);
    expect((await verify(await signed([{ id: first }, { previousProof: [first] }]))).verified).toBe(true);
  });

  it('verifies a chained proof that signs over the proof it names (VC Data Integrity §4.4), and only with it', async () => {
    const issuer = await generateDidKey();
    const firstSuite = createSignSuite('eddsa-rdfc-2022', issuer.key) as { proof?: Json };
    firstSuite.proof = { id: 'urn:uuid:first' };
    const first: Json = await vc.issue({
      credential: sampleBadge({ issuer: issuer.did, validFrom: '2026-01-01T00:00:00Z' }),
      suite: firstSuite,
      documentLoader,
    });
    const secondSuite = createSignSuite('eddsa-rdfc-2022', issuer.key) as {
      proof?: Json;
      createProof(options: object): Promise<Json>;
    };
    secondSuite.proof = { previousProof: 'urn:uuid:first' };
    // The spec's add-proof-chain input: the document with `proof` set to the proofs the new one names.
    const second = await secondSuite.createProof({
      document: first,
      purpose: new jsigs.purposes.AssertionProofPurpose(),
      proofSet: [],
      documentLoader,
    });
    const chain = { ...first, proof: [first.proof, second] };
    expect(await verify(chain)).toMatchObject({ verified: true, proofs: [{ verified: true }, { verified: true }] });
    // Swap in another proof under the same id: the chained proof no longer covers what it signed.
    const other: Json = await signed([{ id: 'urn:uuid:first' }]);
    const swapped = await verify({
      ...first,
      proof: [{ ...other.proof, verificationMethod: first.proof.verificationMethod }, second],
    });
    expect(swapped.verified).toBe(false);
  });

  it('fails a chain whose previousProof names no proof of the set', async () => {
    const result = await verify(await signed([{ id: 'urn:uuid:first' }, { previousProof: 'urn:uuid:missing' }]));
    expect(result.verified).toBe(false);
    expect(codes(result)).toEqual(['ok', 'PREVIOUS_PROOF_MISSING']);
    const listed = await verify(await signed([{ id: 'urn:uuid:first' }, { previousProof: ['urn:uuid:missing'] }]));
    expect(codes(listed)).toEqual(['ok', 'PREVIOUS_PROOF_MISSING']);
  });

  it('fails a proof whose previous proof does not verify, and says which', async () => {
    const chain = await signed([{ id: 'urn:uuid:first' }, { previousProof: 'urn:uuid:first' }]);
    chain.proof[0].proofValue = 'zinvalidProofValue';
    const result = await verify(chain);
    expect(result.verified).toBe(false);
    expect(codes(result)).toEqual(['INVALID_SIGNATURE', 'PREVIOUS_PROOF_INVALID']);
  });

  it('sets aside an unsupported proof no other proof needs, but not one a chain needs', async () => {
    const credential = await signed([{}]);
    const foreign = { ...credential.proof, cryptosuite: 'bbs-2023', id: 'urn:uuid:bbs', proofValue: 'u2V0' };
    const extra = await verify({ ...credential, proof: [credential.proof, foreign] });
    expect(extra.verified).toBe(true);
    expect(codes(extra)).toEqual(['ok', 'UNSUPPORTED_PROOF']);

    const needed = await verify({
      ...credential,
      proof: [{ ...credential.proof, previousProof: 'urn:uuid:bbs' }, foreign],
    });
    expect(needed.verified).toBe(false);

    const only = await verify({ ...credential, proof: foreign });
    expect(only.verified).toBe(false);
    expect(codes(only)).toEqual(['UNSUPPORTED_PROOF']);
  });

  it('fails a proof without type, verificationMethod or proofPurpose, or one that is not a map', async () => {
    const credential = await signed([{}]);
    for (const name of ['type', 'verificationMethod', 'proofPurpose']) {
      const { [name]: _dropped, ...proof } = credential.proof;
      const result = await verify({ ...credential, proof });
      expect(codes(result), name).toEqual(['MALFORMED_PROOF']);
    }
    for (const proof of ['proof', 10, null, [], [credential.proof, 'x']]) {
      expect((await verify({ ...credential, proof })).verified, JSON.stringify(proof)).toBe(false);
    }
  });

  it('checks a proof by its own key: one not the issuer’s still verifies here', async () => {
    const other = await generateDidKey();
    const credential = await vc.issue({
      credential: sampleBadge({ issuer: 'did:web:unresolvable.invalid', validFrom: '2026-01-01T00:00:00Z' }),
      suite: createSignSuite('eddsa-rdfc-2022', other.key),
      documentLoader,
    });
    expect(await verify(credential)).toMatchObject({
      verified: true,
      proofs: [{ verified: true, verificationMethod: other.key.id }],
    });
  });
});
