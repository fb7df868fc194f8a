/**
 * Ed25519 signature checks that import each public key once. The suites'
 * own verifier (ed25519-multikey `lib/ed25519.js`) turns the raw key into a
 * DER-encoded SPKI and imports it with `crypto.createPublicKey` for every
 * signature: a CPU profile of an eddsa-rdfc-2022 proof job put 12% of it
 * there, against 11% for the signature itself. Credentials of one issuer all
 * carry the same key, so the imported KeyObject is kept (a few hundred bytes
 * each, least recently used first out). The check is the same call the
 * library makes (`crypto.verify(null, data, key, signature)`) on an equal key.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

// RFC 8410 §4: SubjectPublicKeyInfo of an Ed25519 key, before its 32 raw bytes (as ed25519-multikey writes it).
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_KEYS = 1000;

export interface Ed25519Verifier {
  algorithm: 'Ed25519';
  id?: string;
  verify(options: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>;
}

export interface KeyObjectCache {
  get(publicKey: Uint8Array): KeyObject;
  size(): number;
  /** How many keys were imported (cache misses) so far. */
  imports(): number;
}

export function createKeyObjectCache(maxKeys = MAX_KEYS): KeyObjectCache {
  const keys = new Map<string, KeyObject>();
  let imports = 0;
  return {
    get(publicKey) {
      const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('base64');
      let key = keys.get(id);
      if (key) {
        keys.delete(id);
      } else {
        key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
        imports++;
        if (keys.size >= maxKeys) keys.delete(keys.keys().next().value as string);
      }
      keys.set(id, key);
      return key;
    },
    size: () => keys.size,
    imports: () => imports,
  };
}

/** This thread's imported keys (exported for tests and operators' probes). */
export const ed25519KeyCache: KeyObjectCache = createKeyObjectCache();

/**
 * The cryptosuites' `createVerifier({verificationMethod})` for Ed25519 keys (Multikey or
 * Ed25519VerificationKey2020), with the key imported once per thread.
 */
export async function createEd25519Verifier({
  verificationMethod,
}: {
  verificationMethod: Record<string, unknown>;
}): Promise<Ed25519Verifier> {
  // Ed25519Multikey.from checks the key's type, header and length exactly as the library's own verifier does.
  const key = await Ed25519Multikey.from(verificationMethod);
  const { publicKey } = key;
  if (!publicKey) throw new Error('A public key is not available for verifying.');
  const keyObject = ed25519KeyCache.get(publicKey);
  return {
    algorithm: 'Ed25519',
    id: key.id,
    async verify({ data, signature }) {
      return verify(null, data, keyObject, signature);
    },
  };
}
