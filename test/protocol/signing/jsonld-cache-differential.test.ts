import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledContexts } from '../../../protocol/signing/contexts.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createDocumentLoader } from '../../../protocol/signing/document-loader.ts';
import { installJsonLdContextSharing } from '../../../protocol/signing/jsonld-context-sharing.ts';
import { generateCredential } from '../../helpers/generated-credentials.ts';

type Json = Record<string, unknown>;
const require = createRequire(import.meta.url);
const jsonldContext = require('jsonld/lib/context.js') as { createTermDefinition: (...args: unknown[]) => unknown };

const GENERATED = 2000;
const loaded: string[] = [];
const loader = createDocumentLoader({ didResolution: createDidResolution() });
const documentLoader = (url: string) => {
  loaded.push(url);
  return loader(url);
};

/** The node's path: the cryptosuite's own canonize, with context sharing, the scoped-context cache and static contexts. */
async function ours(document: Json): Promise<string> {
  try {
    return await (eddsaRdfc2022 as { canonize(d: unknown, o: unknown): Promise<string> }).canonize(document, {
      documentLoader,
    });
  } catch (error) {
    return `ERROR ${(error as Error)?.name ?? 'Error'}`;
  }
}

let worker: Worker;
/** Plain jsonld.js in its own thread (test/helpers/jsonld-reference-worker.mjs). */
function reference(documents: Json[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage({ documents });
  });
}

/** Counts term definitions made while `run` runs: each is jsonld processing (part of) a context. */
async function termDefinitionsDuring(run: () => Promise<unknown>): Promise<number> {
  const original = jsonldContext.createTermDefinition;
  let count = 0;
  jsonldContext.createTermDefinition = (...args: unknown[]) => {
    count++;
    return original(...args);
  };
  try {
    await run();
  } finally {
    jsonldContext.createTermDefinition = original;
  }
  return count;
}

let uninstall: () => void;
beforeAll(() => {
  uninstall = installJsonLdContextSharing();
  worker = new Worker(new URL('../../helpers/jsonld-reference-worker.mjs', import.meta.url), {
    workerData: { contexts: [...bundledContexts] },
  });
});
afterAll(async () => {
  uninstall();
  await worker.terminate();
});

describe('when the node canonicalizes with its JSON-LD caches', () => {
  it(`gives byte-identical N-Quads to plain jsonld.js for ${GENERATED} generated credentials`, async () => {
    const documents = Array.from({ length: GENERATED }, (_, seed) => generateCredential(seed).credential);
    // The reference works in its thread while this one makes the first pass.
    const expecting = reference(documents);
    const first: string[] = [];
    for (const document of documents) first.push(await ours(structuredClone(document)));
    const expected = await expecting;
    const compare = (i: number, nquads: string) => {
      if (nquads !== expected[i]) expect({ seed: i, nquads }).toEqual({ seed: i, nquads: expected[i] });
    };
    for (const [i, nquads] of first.entries()) compare(i, nquads);
    // Again in the reverse order, so each document also meets contexts cached by the ones after it.
    for (let i = documents.length - 1; i >= 0; i--) compare(i, await ours(structuredClone(documents[i])));
    // The generator must mostly make valid JSON-LD, or the comparison would be of errors.
    const valid = expected.filter((n) => !n.startsWith('ERROR')).length;
    expect(valid).toBeGreaterThan(GENERATED * 0.9);
    expect(new Set(expected).size).toBeGreaterThan(GENERATED * 0.9);
  }, 180_000);

  it('gives a different result when only what a cache must tell apart differs', async () => {
    const base = generateCredential(7).credential;
    const subject = () => ({
      type: 'AchievementSubject',
      achievement: {
        type: 'Achievement',
        name: 'Welding',
        resultDescription: { type: 'ResultDescription', name: 'x' },
      },
    });
    // The same term under another type: `resultDescription` is a node in Achievement's scope, an anyURI in Result's.
    const asResult = {
      ...base,
      credentialSubject: {
        type: 'AchievementSubject',
        result: { type: 'Result', resultDescription: 'https://ex.example/rd/1' },
      },
    };
    const asAchievement = {
      ...base,
      credentialSubject: {
        type: 'AchievementSubject',
        achievement: { type: 'Achievement', resultDescription: 'https://ex.example/rd/1' },
      },
    };
    // The same shape under another type (another scoped context), and an inline context redefining a new term.
    const asProfile = {
      ...base,
      credentialSubject: { ...subject(), achievement: { ...subject().achievement, type: 'Profile' } },
    };
    const plain = { ...base, credentialSubject: subject() };
    const context = base['@context'] as unknown[];
    const withTerm = (iri: string) => ({
      ...base,
      '@context': [...context.slice(0, 2), { level: iri }],
      credentialSubject: { ...subject(), level: 'high' },
    });
    const pairs: Array<[Json, Json]> = [
      [asResult, asAchievement],
      [plain, asProfile],
      [withTerm('https://ex.example/a#level'), withTerm('https://ex.example/b#level')],
    ];
    for (const [a, b] of pairs) {
      // Warm the caches with one, then the other must still come out as plain jsonld.js makes it.
      const [oursA, oursB] = [await ours(structuredClone(a)), await ours(structuredClone(b))];
      const [refA, refB] = await reference([a, b]);
      expect(refA).not.toBe(refB);
      expect(oursA).toBe(refA);
      expect(oursB).toBe(refB);
    }
  });

  it('processes a type-scoped context once, not for every credential that uses it', async () => {
    const credential = generateCredential(3).credential;
    await ours(structuredClone(credential));
    // Nothing new: no term definitions at all (before the scoped-context cache, every scoped context was re-processed).
    expect(await termDefinitionsDuring(() => ours(structuredClone(credential)))).toBe(0);
  });

  it('loads each bundled context once per thread, not in every canonicalization', async () => {
    const credential = generateCredential(5).credential;
    await ours(structuredClone(credential));
    loaded.length = 0;
    await ours(structuredClone(credential));
    expect(loaded).toEqual([]);
  });
});
