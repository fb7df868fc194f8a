/** Access to test/fixtures/real-credentials, with its offline DID documents and status lists. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/real-credentials/', import.meta.url));

function read(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${FIXTURES_DIR}${path}`, 'utf8'));
}

export interface FixtureCredential {
  file: string;
  expected: string;
  notes: string;
  credential: Record<string, unknown>;
}

interface Manifest {
  description: string;
  offlineResolution: { didWeb: Record<string, string | null>; statusLists: Record<string, string> };
  credentials: Array<{ file: string; expected: string; notes: string }>;
}

export const manifest = read('manifest.json') as unknown as Manifest;

/** The verification time the manifest's expected results hold for. */
export const FIXTURES_NOW = new Date('2026-11-23T12:00:00Z');

export function fixtureCredentials(): FixtureCredential[] {
  return manifest.credentials.map((c) => ({ ...c, credential: read(c.file) }));
}

/** DID documents the fixtures need, as a `known` source for DID resolution. */
export function fixtureDidDocuments(did: string): unknown | null | undefined {
  const path = manifest.offlineResolution.didWeb[did];
  if (path === undefined) return undefined;
  return path === null ? null : read(path);
}

/** A fetch that serves the fixtures' status lists and 404s everything else. */
export const fixtureFetch: typeof fetch = async (input) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const path = manifest.offlineResolution.statusLists[url];
  if (!path) return new Response('not found', { status: 404 });
  return new Response(JSON.stringify(read(path)), { headers: { 'content-type': 'application/json' } });
};
