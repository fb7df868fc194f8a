/**
 * Issue 16, finding 8 (memory kept after a fuzz run): anonymous requests choose which DIDs get resolved and
 * any 32 bytes make a did:key, so the DID caches must stay small. 20,000 random did:keys kept ~26 MB of
 * heap with 10,000-entry caches; with 1,000 entries, ~3 MB.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_CACHED_DID_KEY_DOCUMENTS, resolveDidKeyDocument } from '../../../protocol/signing/did-key.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { didKeyFromRawPublicKey } from '../../../protocol/signing/governor-keys.ts';

const randomDidKey = () => didKeyFromRawPublicKey(randomBytes(32));
// did:key documents are never taken from held ones (they follow from the DID), so the resolver's cache is seen with did:web.
const randomDidWeb = () => `did:web:${randomBytes(8).toString('hex')}.example`;

describe('DID caches', () => {
  it('forget a did:key document once 1,000 others were built', async () => {
    expect(MAX_CACHED_DID_KEY_DOCUMENTS).toBeLessThanOrEqual(1_000);
    const first = randomDidKey();
    const document = resolveDidKeyDocument(first);
    expect(resolveDidKeyDocument(first)).toBe(document);
    // Random bytes are a valid Ed25519 point only about half the time, and refusals are not kept: count kept ones.
    for (let kept = 0; kept < 1_000; ) if (!resolveDidKeyDocument(randomDidKey()).error) kept++;
    expect(resolveDidKeyDocument(first)).not.toBe(document);
  });

  it('resolve a DID again once 1,000 others were resolved (default cache size)', async () => {
    const asked = new Map<string, number>();
    const resolution = createDidResolution({
      known: (did) => {
        asked.set(did, (asked.get(did) ?? 0) + 1);
        return { id: did, verificationMethod: [] };
      },
    });
    const first = randomDidWeb();
    await resolution.resolve(first);
    await resolution.resolve(first);
    expect(asked.get(first)).toBe(1);
    for (let i = 0; i < 1_000; i++) await resolution.resolve(randomDidWeb());
    await resolution.resolve(first);
    expect(asked.get(first)).toBe(2);
  });
});
