import * as vc from '@digitalbazaar/vc';
import jsonld from 'jsonld';
import { afterEach, describe, expect, it } from 'vitest';
import { watchRuntimeIntegrity } from '../../../node/verification/runtime-integrity.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../../../protocol/signing/document-loader.ts';
import { installJsonLdPrototypeGuard } from '../../../protocol/signing/jsonld-prototype-guard.ts';
import { runProofJob } from '../../../protocol/signing/proof-verifier.ts';
import { type Cryptosuite, createSignSuite } from '../../../protocol/signing/suites.ts';
import { fixtureCredentials, fixtureDidDocuments } from '../../helpers/fixtures.ts';
import { generateDidKey } from '../../helpers/holder.ts';
import { sampleBadge } from '../../helpers/node.ts';

// Creating the loader installs the guard: no JSON-LD work in this code base runs without a loader.
const documentLoader = createDocumentLoader({ didResolution: createDidResolution({ known: fixtureDidDocuments }) });

// Every name an ordinary object inherits, as a node identifier.
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype);

async function canonize(doc: Record<string, unknown>): Promise<string> {
  return (jsonld.canonize as (d: unknown, o: unknown) => Promise<string>)(doc, {
    algorithm: 'RDFC-1.0',
    format: 'application/n-quads',
    documentLoader,
  });
}

/** Canonicalizes as verification does; safe mode refuses the relative IRI, but only after the node map is built. */
async function canonizeRefused(doc: Record<string, unknown>): Promise<void> {
  await expect(canonize(doc)).rejects.toThrow('Safe mode validation error');
}

/** A credential whose status list (an `@id` in JSON-LD) is `key`, as an anonymous caller can post it. */
function poisoned(key: string): Record<string, unknown> {
  return {
    ...sampleBadge(),
    issuer: 'did:example:issuer',
    validFrom: '2026-01-01T00:00:00Z',
    credentialStatus: {
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '1',
      statusListCredential: key,
    },
  };
}

/** Removes what a failing run wrote onto the built-ins, so one failure does not hide the others. */
function scrub(): void {
  for (const target of [Object.prototype, Object, ...PROTOTYPE_KEYS.map((k) => Reflect.get(Object.prototype, k))]) {
    if (!target || (typeof target !== 'object' && typeof target !== 'function')) continue;
    for (const key of Reflect.ownKeys(target)) {
      if (typeof key === 'string' && (key.startsWith('@') || key.includes('://'))) Reflect.deleteProperty(target, key);
    }
  }
}

describe('when a JSON-LD node identifier is a prototype key', () => {
  afterEach(scrub);

  it.each(PROTOTYPE_KEYS)('canonicalizing an @id %s leaves the built-ins untouched', async (key) => {
    const integrity = watchRuntimeIntegrity();
    await canonizeRefused(poisoned(key));
    expect(integrity.intact()).toBe(true);
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>)['@id']).toBeUndefined();
  });

  it('canonicalizes a credential the same after every prototype key was posted', async () => {
    const valid = { ...sampleBadge(), issuer: 'did:example:issuer', validFrom: '2026-01-01T00:00:00Z' };
    const before = await canonize(structuredClone(valid));
    for (const key of PROTOTYPE_KEYS) for (let i = 0; i < 4; i++) await canonizeRefused(poisoned(key));
    expect(await canonize(structuredClone(valid))).toBe(before);
  });
});

describe('when any string of a signed credential is replaced by a prototype key', () => {
  afterEach(scrub);

  it.each<Cryptosuite>([
    'eddsa-rdfc-2022',
    'Ed25519Signature2020',
  ])('verifying every such %s credential leaves the built-ins untouched', async (suite) => {
    const { did, key } = await generateDidKey();
    const contexts = [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ...(suite === 'Ed25519Signature2020' ? ['https://w3id.org/security/suites/ed25519-2020/v1'] : []),
    ];
    const signed = await vc.issue({
      credential: { ...poisoned('https://status.example/1'), '@context': contexts, id: 'urn:uuid:1', issuer: did },
      suite: createSignSuite(suite, key),
      documentLoader,
    });
    const text = JSON.stringify(signed);
    // Every distinct string, keys included: ids, types, values, proof fields.
    const strings = [...new Set([...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[0]))];
    expect(strings.length).toBeGreaterThan(30);
    const integrity = watchRuntimeIntegrity();
    let jobs = 0;
    for (const original of strings) {
      for (const key of ['__proto__', 'constructor', 'toString']) {
        const document = JSON.parse(text.split(original).join(JSON.stringify(key)));
        await runProofJob({ document, purpose: { kind: 'assertion' }, didDocuments: {} }).catch(() => undefined);
        jobs++;
        expect(integrity.intact(), `${original} → ${key}`).toBe(true);
      }
    }
    expect(jobs).toBe(strings.length * 3);
    expect((await runProofJob({ document: signed, purpose: { kind: 'assertion' }, didDocuments: {} })).verified).toBe(
      true,
    );
  });
});

describe('when the guard is installed', () => {
  it('canonicalizes every fixture to byte-identical N-Quads', async () => {
    const docs = fixtureCredentials().map((f) => f.credential);
    const uninstall = installJsonLdPrototypeGuard();
    uninstall();
    const plain: string[] = [];
    try {
      for (const doc of docs) plain.push(await canonize(structuredClone(doc)));
    } finally {
      installJsonLdPrototypeGuard();
    }
    for (const [i, doc] of docs.entries()) expect(await canonize(structuredClone(doc)), `document ${i}`).toBe(plain[i]);
    expect(plain.every((n) => n.length > 0)).toBe(true);
  });
});
