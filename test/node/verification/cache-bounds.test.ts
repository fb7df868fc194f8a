/**
 * Every cache a verification fills from what the request names stays bounded (issue 17, goal 5; decision 0050):
 * foreign status lists, https controller documents and OB 2.0 documents are each fetched again once their
 * cache's default number of other entries were fetched, so a stream of made-up URLs cannot grow the heap. (The
 * DID caches: test/protocol/signing/did-cache-bounds.test.ts; imported keys: ed25519-verifier.test.ts; verified
 * status-list verdicts: status-list-cache.test.ts; rate-limit clients: rate-limit.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { createOb2DocumentSource } from '../../../node/verification/ob2-documents.ts';
import { createForeignStatusListSource } from '../../../node/verification/status-lists.ts';
import { createHttpsControllers } from '../../../protocol/signing/https-controllers.ts';
import { createOutboundFetcher } from '../../../protocol/signing/outbound-fetch.ts';

/** The node's outbound fetcher over a transport that answers `body(url)` and counts what it was asked. */
function countingFetcher(body: (url: URL) => unknown) {
  const asked = new Map<string, number>();
  const fetcher = createOutboundFetcher({
    fetch: (async (input: string | URL) => {
      const url = new URL(String(input));
      asked.set(url.href, (asked.get(url.href) ?? 0) + 1);
      return Response.json(body(url));
    }) as typeof fetch,
    lookup: async () => ['93.184.216.34'],
  });
  return { fetcher, asked };
}

describe('caches filled by verification', () => {
  // The default bound is 10,000 lists (node/verification/status-lists.ts); filling that many takes seconds, the
  // bound's working is the same at 500.
  it('fetch a foreign status list again once its bound of other lists were fetched', async () => {
    const { fetcher, asked } = countingFetcher(() => ({ type: ['VerifiableCredential'], credentialSubject: {} }));
    const lists = createForeignStatusListSource({ fetcher, maxCacheEntries: 500 });
    const first = 'https://lists.example/first';
    await lists.get(first);
    await lists.get(first);
    expect(asked.get(first)).toBe(1);
    for (let i = 0; i < 499; i++) await lists.get(`https://lists.example/${i}`);
    await lists.get(first);
    expect(asked.get(first)).toBe(1);
    await lists.get('https://lists.example/one-more');
    await lists.get(first);
    expect(asked.get(first)).toBe(2);
  });

  it('fetch an https controller document again once 1,000 others were fetched', async () => {
    const { fetcher, asked } = countingFetcher((url) => ({
      id: url.href,
      verificationMethod: [],
      assertionMethod: [],
    }));
    const controllers = createHttpsControllers({ fetcher, allowedHosts: ['*'] });
    const first = 'https://issuer.example/first';
    expect((await controllers.resolve(first)).document).toBeDefined();
    await controllers.resolve(first);
    expect(asked.get(first)).toBe(1);
    for (let i = 0; i < 1_000; i++) await controllers.resolve(`https://issuer.example/${i}`);
    await controllers.resolve(first);
    expect(asked.get(first)).toBe(2);
  });

  it('fetch an OB 2.0 document again once 1,000 others were fetched', async () => {
    const { fetcher, asked } = countingFetcher((url) => ({ id: url.href, type: 'Profile' }));
    const documents = createOb2DocumentSource({ fetcher });
    const signal = new AbortController().signal;
    const first = 'https://badges.example/first';
    expect(await documents.get(first, { signal })).toMatchObject({ gone: false });
    await documents.get(first, { signal });
    expect(asked.get(first)).toBe(1);
    for (let i = 0; i < 1_000; i++) await documents.get(`https://badges.example/${i}`, { signal });
    await documents.get(first, { signal });
    expect(asked.get(first)).toBe(2);
  });
});
