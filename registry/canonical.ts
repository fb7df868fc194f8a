/**
 * Canonical JSON (RFC 8785 JCS) and content ids: the bytes every node hashes
 * and signs must be identical whatever the key order or number formatting of
 * the JSON it received.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be canonicalized');
  return text;
}

export function sha256Base64url(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/** The id of a JSON value: SHA-256 of its canonical form, base64url. */
export function contentId(value: unknown): string {
  return sha256Base64url(canonicalJson(value));
}
