import jsonld from 'jsonld';
import { afterAll, describe, expect, it } from 'vitest';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../../../protocol/signing/document-loader.ts';
import { installJsonLdContextSharing } from '../../../protocol/signing/jsonld-context-sharing.ts';
import { fixtureCredentials, fixtureDidDocuments } from '../../helpers/fixtures.ts';
import { sampleBadge } from '../../helpers/node.ts';

const documentLoader = createDocumentLoader({ didResolution: createDidResolution({ known: fixtureDidDocuments }) });

function documents(): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [];
  for (const { credential } of fixtureCredentials()) {
    docs.push(credential);
    // proof options are canonicalized too, with the credential's contexts
    for (const proof of ([] as unknown[]).concat(credential.proof ?? [])) {
      const { proofValue: _, ...options } = proof as Record<string, unknown>;
      docs.push({ '@context': credential['@context'], ...options });
    }
  }
  docs.push({ ...sampleBadge(), issuer: 'did:example:issuer', validFrom: '2026-01-01T00:00:00Z' });
  return docs;
}

async function canonize(doc: Record<string, unknown>): Promise<string> {
  return (jsonld.canonize as (d: unknown, o: unknown) => Promise<string>)(doc, {
    algorithm: 'RDFC-1.0',
    format: 'application/n-quads',
    documentLoader,
    safe: true,
  });
}

describe('when jsonld shares processed contexts', () => {
  let uninstall: (() => void) | undefined;
  afterAll(() => uninstall?.());

  it('canonicalizes every fixture to byte-identical N-Quads', async () => {
    const docs = documents();
    uninstall = installJsonLdContextSharing();
    uninstall();
    const plain: string[] = [];
    for (const doc of docs) plain.push(await canonize(structuredClone(doc)));
    uninstall = installJsonLdContextSharing();
    const shared: string[] = [];
    // twice, so cached processed contexts are exercised as well
    for (let round = 0; round < 2; round++) {
      for (const [i, doc] of docs.entries()) {
        const nquads = await canonize(structuredClone(doc));
        shared[i] = nquads;
        expect(nquads, `document ${i}`).toBe(plain[i]);
      }
    }
    expect(plain.every((n) => n.length > 0)).toBe(true);
  });
});
