/**
 * Canonical JSON (RFC 8785 JCS) and content ids: the bytes every node hashes
 * and signs must be identical whatever the key order or number formatting of
 * the JSON it received.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { RegistryError } from './errors.ts';

/** RFC 8785 JCS; a value it cannot represent (lone surrogate, non-finite number) is JSON_NOT_CANONICALIZABLE. */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    // canonicalize throws plain Errors ("Lone surrogate is not allowed", "Infinity is not allowed").
    throw new RegistryError('JSON_NOT_CANONICALIZABLE', `value cannot be canonicalized: ${(error as Error).message}`);
  }
  if (text === undefined) throw new RegistryError('JSON_NOT_CANONICALIZABLE', 'value cannot be canonicalized');
  return text;
}

export function sha256Base64url(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/** The id of a JSON value: SHA-256 of its canonical form, base64url. */
export function contentId(value: unknown): string {
  return sha256Base64url(canonicalJson(value));
}
