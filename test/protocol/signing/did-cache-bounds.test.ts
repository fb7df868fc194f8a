/**
 * Issue 16, finding 8 (memory kept after a fuzz run): anonymous requests choose which DIDs get resolved and
 * any 32 bytes make a did:key, so the DID caches must stay small. 20,000 random did:keys kept ~26 MB of
 * heap with 10,000-entry caches; with 1,000 entries, ~3 MB.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDidKeyDocument, MAX_CACHED_DID_KEY_DOCUMENTS } from '../../../protocol/signing/did-key.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { didKeyFromRawPublicKey } from '../../../protocol/signing/governor-keys.ts';

const randomDidKey = () => didKeyFromRawPublicKey(randomBytes(32));

describe('DID caches', () => {
  it('forget a did:key document once 1,000 others were built', async () => {
    expect(MAX_CACHED_DID_KEY_DOCUMENTS).toBeLessThanOrEqual(1_000);
    const first = randomDidKey();
    const document = getDidKeyDocument(first);
    expect(getDidKeyDocument(first)).toBe(document);
    for (let i = 0; i < 1_000; i++) await getDidKeyDocument(randomDidKey());
    expect(getDidKeyDocument(first)).not.toBe(document);
  });

  it('resolve a DID again once 1,000 others were resolved (default cache size)', async () => {
    const asked = new Map<string, number>();
    const resolution = createDidResolution({
      known: (did) => {
        asked.set(did, (asked.get(did) ?? 0) + 1);
        return { id: did, verificationMethod: [] };
      },
    });
    const first = randomDidKey();
    await resolution.resolve(first);
    await resolution.resolve(first);
    expect(asked.get(first)).toBe(1);
    for (let i = 0; i < 1_000; i++) await resolution.resolve(randomDidKey());
    await resolution.resolve(first);
    expect(asked.get(first)).toBe(2);
  });
});
