/**
 * Digests of the bundled contexts, for `relatedResource` integrity checks
 * (VC Data Model 2.0 §5.3) without fetching anything: the bytes of the copy
 * the node bundles, and the bytes W3C serves at the same URL (which differ
 * from the npm copy only in blank lines, yet give other digests).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { HashName, ResourceDigests } from '../../registry/issuing/related-resources.ts';
import { VC_V1_CONTEXT, VC_V2_CONTEXT } from './contexts.ts';

const require = createRequire(import.meta.url);

// SHA-2 digests (standard base64) of the files W3C serves, from w3c/vc-data-model's contexts/credentials/:
// v2 at 08b83e46 (2025-02-24), v1 at cd28fa0e (2019-06-30).
const PUBLISHED: Record<string, Record<HashName, string>> = {
  [VC_V2_CONTEXT]: {
    sha256: 'WZVc7WaX1h4D8rJVb+vlMIqxaEKEb1tYbX8fet7JJzQ=',
    sha384: 'l/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU',
    sha512: 'XVVFK9Lc+KKfWikEc+skKxxft31OaPGgqoe6pNuiaUhS1l7GPUisBKmdlW+fcVO5QG+E0tBMdIabAsI5odgTBQ==',
  },
  [VC_V1_CONTEXT]: {
    sha256: 'q03dmlMXWIB6eaW0UFENYa6NFH6rlmzJogDAcJWwzcw=',
    sha384: 'gsOz6rhjdUu/0rnxfY1tufYRafMBy/CwXh/EvrX1xR3U0uiIwnT0nD+7JAj2H67R',
    sha512: 'U2pAs5DdqUqeORlsAAkPYmaOgYT+PIwCxKIshWZuaL9uhdPcfy26hbK2Lvldl94kEyVo2FBNtD8snILS6IQY0g==',
  },
};

// The package exports no file paths: find its folder from its entry point (dist/main.cjs).
const BUNDLED_FILES: Record<string, string> = { [VC_V2_CONTEXT]: 'v2.jsonld', [VC_V1_CONTEXT]: 'v1.jsonld' };
const contextsFolder = () => join(dirname(require.resolve('@digitalbazaar/credentials-context')), '..', 'contexts');

let table: Map<string, Map<HashName, Uint8Array[]>> | undefined;

function build(): Map<string, Map<HashName, Uint8Array[]>> {
  const result = new Map<string, Map<HashName, Uint8Array[]>>();
  for (const [url, file] of Object.entries(BUNDLED_FILES)) {
    const bytes = readFileSync(join(contextsFolder(), file));
    const byAlgorithm = new Map<HashName, Uint8Array[]>();
    for (const algorithm of ['sha256', 'sha384', 'sha512'] as const) {
      byAlgorithm.set(algorithm, [
        new Uint8Array(createHash(algorithm).update(bytes).digest()),
        new Uint8Array(Buffer.from(PUBLISHED[url][algorithm], 'base64')),
      ]);
    }
    result.set(url, byAlgorithm);
  }
  return result;
}

/** The digests of the bundled contexts whose bytes the node knows; undefined for any other URL. */
export const bundledContextDigests: ResourceDigests = (url, algorithm) => {
  table ??= build();
  return table.get(url)?.get(algorithm);
};
