/** Open Badges 2.0 test parts: the fixtures' manifest, and a verifier whose outbound fetches reach a badge host. */
import { readFileSync } from 'node:fs';
import { createOb2DocumentSource } from '../../node/verification/ob2-documents.ts';
import { createOb2Verifier } from '../../node/verification/ob2-verifier.ts';
import { createForeignStatusListSource } from '../../node/verification/status-lists.ts';
import { type CredentialVerifier, createVerifier, type TrustEvaluator } from '../../node/verification/verifier.ts';
import { bakePng, extractFromPng, extractFromSvg, PNG_KEYWORD_V2 } from '../../protocol/baking.ts';
import { createDidResolution } from '../../protocol/signing/did-resolution.ts';
import { createOutboundFetcher } from '../../protocol/signing/outbound-fetch.ts';
import { createInProcessProofVerifier } from '../../protocol/signing/proof-verifier.ts';
import type { HostedDocument } from './badge-host.ts';

const DIR = new URL('../fixtures/ob2/', import.meta.url);

export interface Ob2Case {
  name: string;
  input: { file?: string; url?: string; bakePng?: string; with?: string };
  serve: Record<string, { file: string; status?: number }>;
  recipient?: string;
  at?: string;
  expected: string;
  /** When it differs from what the expectation implies (an integrity failure is not verified, others are). */
  verified?: boolean;
  why: string;
}

export function ob2Fixture(file: string): Buffer {
  return readFileSync(new URL(file, DIR));
}

export function ob2Cases(): Ob2Case[] {
  return (JSON.parse(ob2Fixture('manifest.json').toString('utf8')) as { cases: Ob2Case[] }).cases;
}

export function servedDocuments(serve: Ob2Case['serve']): Record<string, HostedDocument> {
  return Object.fromEntries(
    Object.entries(serve).map(([url, { file, status }]) => [
      url,
      { body: ob2Fixture(file).toString('utf8'), ...(status ? { status } : {}) },
    ]),
  );
}

/** What a person would hand the verifier for this case: JSON, a JWS or URL string, or what an image carries. */
export function caseInput(input: Ob2Case['input']): unknown {
  if (input.url) return input.url;
  if (input.bakePng) {
    const png = bakePng(ob2Fixture(input.bakePng), ob2Fixture(input.with as string).toString('utf8'), PNG_KEYWORD_V2);
    return JSON.parse(extractFromPng(png).text);
  }
  const file = input.file as string;
  const text = ob2Fixture(file).toString('utf8');
  if (file.endsWith('.svg')) {
    const baked = extractFromSvg(text);
    return baked.kind === 'json' ? JSON.parse(baked.text) : baked.text;
  }
  return file.endsWith('.json') ? JSON.parse(text) : text.trim();
}

/** A verifier as a node builds one, its outbound fetches going through `fetch` (a badge host). */
export function ob2TestVerifier(options: {
  fetch: typeof fetch;
  now?: () => Date;
  trust?: TrustEvaluator;
}): CredentialVerifier {
  const fetcher = createOutboundFetcher({ fetch: options.fetch, allowPrivateHosts: true, timeoutMs: 2_000 });
  return createVerifier({
    didResolution: createDidResolution({ known: () => undefined }),
    proofVerifier: createInProcessProofVerifier(),
    statusLists: createForeignStatusListSource({ fetcher }),
    ...(options.now ? { now: options.now } : {}),
    ...(options.trust ? { trust: options.trust } : {}),
    ob2: createOb2Verifier({ documents: createOb2DocumentSource({ fetcher }), trust: options.trust }),
  });
}
