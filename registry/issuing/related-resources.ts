/**
 * `relatedResource` (VC Data Model 2.0 §5.3, Integrity of Related Resources):
 * each entry names a resource by a unique URL and pins its bytes with
 * `digestSRI` (W3C Subresource Integrity) and/or `digestMultibase` (a
 * multibase digest). Pure: the digests of the resources this node holds are
 * handed in; nothing is ever fetched (an issuer-chosen URL is not ours to
 * dereference), so a resource the node does not hold is checked for form only.
 */

export type HashName = 'sha256' | 'sha384' | 'sha512';

/** The digests of the byte forms this node knows for `url` (undefined: a resource it does not hold). */
export type ResourceDigests = (url: string, algorithm: HashName) => readonly Uint8Array[] | undefined;

const LENGTHS: Record<HashName, number> = { sha256: 32, sha384: 48, sha512: 64 };
// Multihash codes (multiformats table) for the SHA-2 family.
const MULTIHASH: Record<number, HashName> = { 18: 'sha256', 32: 'sha384', 19: 'sha512' };

interface Digest {
  algorithm: HashName;
  bytes: Uint8Array;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function decodeBase58(text: string): Uint8Array | undefined {
  let value = 0n;
  for (const char of text) {
    const digit = BASE58.indexOf(char);
    if (digit < 0) return undefined;
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value % 256n));
    value /= 256n;
  }
  for (const char of text) {
    if (char !== '1') break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

/** W3C SRI: space-separated `alg-base64` tokens (standard base64), each optionally followed by `?options`. */
export function parseDigestSri(value: unknown): Digest[] | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const digests: Digest[] = [];
  for (const token of value.trim().split(/\s+/)) {
    const match = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(token);
    if (!match) return undefined;
    const algorithm = match[1] as HashName;
    const bytes = Buffer.from(match[2], 'base64');
    if (bytes.length !== LENGTHS[algorithm]) return undefined;
    digests.push({ algorithm, bytes: new Uint8Array(bytes) });
  }
  return digests;
}

/**
 * A multibase digest: `u` (base64url, no padding) or `z` (base58btc) over either a multihash of a SHA-2 digest
 * or, as deployed credentials and the W3C suites write it, the bare digest (its length says which SHA-2).
 */
export function parseDigestMultibase(value: unknown): Digest | undefined {
  if (typeof value !== 'string' || value.length < 2) return undefined;
  const body = value.slice(1);
  let bytes: Uint8Array | undefined;
  if (value[0] === 'u' && /^[A-Za-z0-9_-]+$/.test(body)) bytes = new Uint8Array(Buffer.from(body, 'base64url'));
  else if (value[0] === 'z') bytes = decodeBase58(body);
  if (!bytes) return undefined;
  const multihash = MULTIHASH[bytes[0]];
  if (multihash && bytes[1] === LENGTHS[multihash] && bytes.length === LENGTHS[multihash] + 2) {
    return { algorithm: multihash, bytes: bytes.slice(2) };
  }
  const bare = (Object.keys(LENGTHS) as HashName[]).find((name) => LENGTHS[name] === bytes.length);
  return bare ? { algorithm: bare, bytes } : undefined;
}

function matches(digest: Digest, known: readonly Uint8Array[]): boolean {
  return known.some((k) => Buffer.compare(Buffer.from(k), Buffer.from(digest.bytes)) === 0);
}

/** VC DM 2.0 §4.4: an identifier is a single URL (a DID counts). */
export const isUrl = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(value) && URL.canParse(value);

/**
 * Problems with a `relatedResource` value (empty when none): one object or a set of objects, each with a URL
 * `id` unique in the set and at least one well-formed digest; a digest of a resource this node holds must
 * match it.
 */
export function relatedResourceProblems(value: unknown, digests?: ResourceDigests): string[] {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return ['relatedResource must be an object or a non-empty set of objects'];
  const problems: string[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const where = `relatedResource[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problems.push(`${where} must be an object`);
      return;
    }
    const entry = item as Record<string, unknown>;
    if (!isUrl(entry.id)) {
      problems.push(`${where}.id is required and must be a URL`);
      return;
    }
    if (seen.has(entry.id)) problems.push(`${where}.id ${entry.id} is listed twice`);
    seen.add(entry.id);
    const hasSri = Object.hasOwn(entry, 'digestSRI');
    const hasMultibase = Object.hasOwn(entry, 'digestMultibase');
    if (!hasSri && !hasMultibase) {
      problems.push(`${where} needs a digestSRI or a digestMultibase`);
      return;
    }
    const found: Digest[] = [];
    if (hasSri) {
      const sri = parseDigestSri(entry.digestSRI);
      if (sri) found.push(...sri);
      else problems.push(`${where}.digestSRI is not a sha256/sha384/sha512 Subresource Integrity value`);
    }
    if (hasMultibase) {
      const multibase = parseDigestMultibase(entry.digestMultibase);
      if (multibase) found.push(multibase);
      else problems.push(`${where}.digestMultibase is not a multibase SHA-2 digest`);
    }
    const id = entry.id;
    for (const digest of found) {
      const known = digests?.(id, digest.algorithm);
      if (known && !matches(digest, known)) {
        problems.push(`${where}: the ${digest.algorithm} digest does not match ${id} as this node holds it`);
      }
    }
  });
  return problems;
}
