/**
 * Digests of the bundled contexts, for `relatedResource` integrity checks
 * (VC Data Model 2.0 §5.3) without fetching anything: the bytes of the copy
 * the node bundles, and the bytes W3C has served at the same URL (which
 * differ from the npm copy in blank lines or in later corrections, and so
 * give other digests).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { HashName, ResourceDigests } from '../../registry/issuing/related-resources.ts';
import { VC_V1_CONTEXT, VC_V2_CONTEXT } from './contexts.ts';

const require = createRequire(import.meta.url);

// SHA-2 digests (standard base64) of the files W3C has served at each URL, from w3c/vc-data-model's
// contexts/credentials/. W3C corrected the v2 context in place after its July 2024 freeze, so a credential
// pinned to the bytes served then is not tampered with: every version published since is listed, newest first.
// v2: 08b83e46 (2025-02-24, integers round-trip from RDF), b4d990ee (2025-02-24, status message fix),
// 8d0ee107 (2024-07-20, `@vocab` removed; the bytes the W3C data model suite pins); v1: cd28fa0e (2019-06-30).
const PUBLISHED: Record<string, ReadonlyArray<Record<HashName, string>>> = {
  [VC_V2_CONTEXT]: [
    {
      sha256: 'WZVc7WaX1h4D8rJVb+vlMIqxaEKEb1tYbX8fet7JJzQ=',
      sha384: 'l/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU',
      sha512: 'XVVFK9Lc+KKfWikEc+skKxxft31OaPGgqoe6pNuiaUhS1l7GPUisBKmdlW+fcVO5QG+E0tBMdIabAsI5odgTBQ==',
    },
    {
      sha256: 'OKRUMLgSe0Wl7/XABF+gG4p0PpgvgqOCpX5QpHTlAVY=',
      sha384: 'BnWBvmDWMjSj8uVnUPnAElKFuB7QRIMWnl5jKaJ5q7D9KbgcIw/n9g3iDQw7npUS',
      sha512: 'BNOfFOkSBCsUPxBjky69PTOZ4oKLImXPtgeXojeSEjNsoc6JR+NCzru3Kc/OAdHocNvYHx2f/sTKGCcNhCTIyA==',
    },
    {
      sha256: 'JKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k=',
      sha384: 'NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg',
      sha512: 'yxM236hnDYDQM0SzsMwl+vTUUgGCPDXzm7Gv5an5EfYV/07IDsXy+J4z0U6Wvsi+eOON81uRjJzV87NEm9bIjw==',
    },
  ],
  [VC_V1_CONTEXT]: [
    {
      sha256: 'q03dmlMXWIB6eaW0UFENYa6NFH6rlmzJogDAcJWwzcw=',
      sha384: 'gsOz6rhjdUu/0rnxfY1tufYRafMBy/CwXh/EvrX1xR3U0uiIwnT0nD+7JAj2H67R',
      sha512: 'U2pAs5DdqUqeORlsAAkPYmaOgYT+PIwCxKIshWZuaL9uhdPcfy26hbK2Lvldl94kEyVo2FBNtD8snILS6IQY0g==',
    },
  ],
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
        ...PUBLISHED[url].map((version) => new Uint8Array(Buffer.from(version[algorithm], 'base64'))),
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
