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
    let first = randomDidKey();
    while (resolveDidKeyDocument(first).error) first = randomDidKey();
    const document = resolveDidKeyDocument(first);
    expect(resolveDidKeyDocument(first)).toBe(document);
    // Random bytes are a valid Ed25519 point only about half the time, and refusals are not kept: count kept ones.
    for (let kept = 0; kept < 1_000; ) if (!resolveDidKeyDocument(randomDidKey()).error) kept++;
    expect(resolveDidKeyDocument(first)).not.toBe(document);
  });

  it('resolve a DID again once 1,000 others were resolved (default cache size)', async () => {
    // Held documents are read fresh every time, so the cache is seen on did:web documents fetched from their host.
    const asked = new Map<string, number>();
    const fetchDocument = (async (input: string | URL) => {
      const host = new URL(String(input)).hostname;
      const did = `did:web:${host}`;
      asked.set(did, (asked.get(did) ?? 0) + 1);
      return Response.json({ '@context': 'https://www.w3.org/ns/did/v1', id: did, verificationMethod: [] });
    }) as typeof fetch;
    const resolution = createDidResolution({
      web: { fetch: fetchDocument, lookup: async () => ['93.184.216.34'] },
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
