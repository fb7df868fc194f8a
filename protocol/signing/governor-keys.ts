/**
 * Governor signatures: Ed25519 keys named by did:key, signing action ids.
 *
 * What is signed is `LER-ACTION-V1:` followed by the action id (the SHA-256 of
 * the action's canonical JSON), so a governor signature cannot be replayed as
 * a signature over anything else this key might sign.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { base58btc } from 'multiformats/bases/base58';
import { ProtocolError } from '../errors.ts';

const ED25519_MULTICODEC = [0xed, 0x01];
const MESSAGE_PREFIX = 'LER-ACTION-V1:';

export function signingMessage(actionId: string): Buffer {
  return Buffer.from(`${MESSAGE_PREFIX}${actionId}`, 'utf8');
}

/** did:key of a raw 32-byte Ed25519 public key. */
export function didKeyFromRawPublicKey(raw: Uint8Array): string {
  return `did:key:${base58btc.encode(Uint8Array.from([...ED25519_MULTICODEC, ...raw]))}`;
}

/** The raw Ed25519 public key named by a did:key, or a ProtocolError INVALID_DID. */
export function rawPublicKeyFromDidKey(did: string): Uint8Array {
  const match = /^did:key:(z[1-9A-HJ-NP-Za-km-z]+)$/.exec(did);
  if (!match) throw new ProtocolError('INVALID_DID', `not a did:key: ${did}`);
  let bytes: Uint8Array;
  try {
    bytes = base58btc.decode(match[1]);
  } catch {
    throw new ProtocolError('INVALID_DID', `not a did:key: ${did}`);
  }
  if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) {
    throw new ProtocolError('INVALID_DID', `${did} is not an Ed25519 did:key`);
  }
  return bytes.subarray(2);
}

// Importing a key costs more than verifying with it; governors are few.
const publicKeys = new Map<string, KeyObject>();

function publicKeyOf(did: string): KeyObject {
  let key = publicKeys.get(did);
  if (!key) {
    const raw = rawPublicKeyFromDidKey(did);
    key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
      format: 'jwk',
    });
    if (publicKeys.size > 10_000) publicKeys.clear();
    publicKeys.set(did, key);
  }
  return key;
}

/** True when `signature` (base64url) is `signer`'s signature over the action id. */
export function verifyActionSignature(actionId: string, signer: string, signature: string): boolean {
  if (typeof signature !== 'string' || !/^[A-Za-z0-9_-]{86}$/.test(signature)) return false;
  try {
    return verify(null, signingMessage(actionId), publicKeyOf(signer), Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

export interface GovernorKey {
  did: string;
  /** PKCS#8 DER, base64url: what the node stores and `ler-node gov keygen` writes to a file. */
  privateKey: string;
}

export function generateGovernorKey(): GovernorKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x as string;
  return {
    did: didKeyFromRawPublicKey(Buffer.from(x, 'base64url')),
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
  };
}

// Imported (and checked against their DID) once: a governor signs many actions.
const privateKeys = new Map<string, KeyObject>();

function privateKeyOf(key: GovernorKey): KeyObject {
  const cacheKey = `${key.did} ${key.privateKey}`;
  let privateKey = privateKeys.get(cacheKey);
  if (!privateKey) {
    privateKey = createPrivateKey({ key: Buffer.from(key.privateKey, 'base64url'), format: 'der', type: 'pkcs8' });
    const x = createPublicKey(privateKey).export({ format: 'jwk' }).x as string;
    if (didKeyFromRawPublicKey(Buffer.from(x, 'base64url')) !== key.did) {
      throw new ProtocolError('INVALID_KEY', 'the private key does not belong to the governor DID');
    }
    if (privateKeys.size > 1_000) privateKeys.clear();
    privateKeys.set(cacheKey, privateKey);
  }
  return privateKey;
}

/** Signs an action id with a governor key; returns base64url. */
export function signActionId(key: GovernorKey, actionId: string): string {
  return sign(null, signingMessage(actionId), privateKeyOf(key)).toString('base64url');
}
