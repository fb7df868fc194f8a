import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as vc from '@digitalbazaar/vc';
import { describe, expect, it } from 'vitest';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../../../protocol/signing/document-loader.ts';
import {
  createEd25519Verifier,
  createKeyObjectCache,
  ed25519KeyCache,
} from '../../../protocol/signing/ed25519-verifier.ts';
import { runProofJob } from '../../../protocol/signing/proof-verifier.ts';
import { CRYPTOSUITES, createSignSuite } from '../../../protocol/signing/suites.ts';
import { generateDidKey } from '../../helpers/holder.ts';
import { sampleBadge } from '../../helpers/node.ts';

describe('when Ed25519 signatures are checked with imported keys kept', () => {
  it('answers as the library’s own verifier does, for good, altered and foreign signatures', async () => {
    const key = await Ed25519Multikey.generate({ controller: 'did:example:a', id: 'did:example:a#k' });
    const other = await Ed25519Multikey.generate({ controller: 'did:example:b', id: 'did:example:b#k' });
    const method = await key.export({ publicKey: true, includeContext: true });
    const data = new TextEncoder().encode('the canonical hash of a credential');
    const signature = await key.signer().sign({ data });
    const altered = Uint8Array.from(signature);
    altered[5] ^= 1;
    const foreign = await other.signer().sign({ data });
    const ours = await createEd25519Verifier({ verificationMethod: method });
    const library = (await Ed25519Multikey.from(method)).verifier();
    for (const s of [signature, altered, foreign, signature.subarray(0, 63)]) {
      expect(await ours.verify({ data, signature: s })).toBe(await library.verify({ data, signature: s }));
    }
    expect(await ours.verify({ data, signature })).toBe(true);
    expect(ours).toMatchObject({ algorithm: library.algorithm, id: library.id });
  });

  it('imports a key once and keeps at most the configured number, least recently used out', () => {
    const cache = createKeyObjectCache(2);
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(2);
    const c = new Uint8Array(32).fill(3);
    expect(cache.get(a)).toBe(cache.get(Uint8Array.from(a)));
    cache.get(b);
    cache.get(a);
    cache.get(c); // b is the least recently used
    expect(cache.size()).toBe(2);
    expect(cache.imports()).toBe(3);
    cache.get(a);
    expect(cache.imports()).toBe(3);
    cache.get(b);
    expect(cache.imports()).toBe(4);
  });

  it('is what the Ed25519 suites use: verifying one issuer’s credentials imports its key once', async () => {
    const signer = await generateDidKey();
    const documentLoader = createDocumentLoader({ didResolution: createDidResolution() });
    for (const cryptosuite of CRYPTOSUITES.filter((s) => !s.startsWith('ecdsa'))) {
      const credential = await vc.issue({
        credential: sampleBadge({ issuer: signer.did, validFrom: '2026-01-01T00:00:00Z' }),
        suite: createSignSuite(cryptosuite, signer.key),
        documentLoader,
      });
      const before = ed25519KeyCache.imports();
      for (let i = 0; i < 3; i++) {
        const result = await runProofJob({ document: credential, purpose: { kind: 'assertion' }, didDocuments: {} });
        expect(result.verified, cryptosuite).toBe(true);
      }
      expect(ed25519KeyCache.imports() - before, cryptosuite).toBeLessThanOrEqual(1);
      const tampered = { ...credential, name: 'Tampered' };
      const result = await runProofJob({ document: tampered, purpose: { kind: 'assertion' }, didDocuments: {} });
      expect(result.verified, cryptosuite).toBe(false);
    }
    // One key for all three suites.
    expect(ed25519KeyCache.size()).toBeGreaterThan(0);
  });
});
