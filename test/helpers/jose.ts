/** JOSE-secured test credentials: keys as did:key or in a did:web document, signed with `jose`. */
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { base58btc } from 'multiformats/bases/base58';

type Json = Record<string, unknown>;

export interface JoseKey {
  did: string;
  kid: string;
  alg: 'EdDSA' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A did:key (Ed25519 or P-256) with its signing key. */
export async function joseDidKey(alg: 'EdDSA' | 'ES256' = 'EdDSA'): Promise<JoseKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  let bytes: Uint8Array;
  if (alg === 'EdDSA') bytes = Uint8Array.from([0xed, 0x01, ...Buffer.from(publicJwk.x!, 'base64url')]);
  else {
    const y = Buffer.from(publicJwk.y!, 'base64url');
    const prefix = (y[y.length - 1] & 1) === 1 ? 0x03 : 0x02;
    bytes = Uint8Array.from([0x80, 0x24, prefix, ...Buffer.from(publicJwk.x!, 'base64url')]);
  }
  const multibase = base58btc.encode(bytes);
  const did = `did:key:${multibase}`;
  return { did, kid: `${did}#${multibase}`, alg, privateKey: privateKey as CryptoKey, publicJwk };
}

/** The same kind of key as a did:jwk (did:jwk spec: the DID is the base64url public JWK, its key `#0`). */
export async function joseDidJwk(alg: 'EdDSA' | 'ES256' = 'EdDSA'): Promise<JoseKey> {
  const key = await joseDidKey(alg);
  const did = `did:jwk:${Buffer.from(JSON.stringify(key.publicJwk)).toString('base64url')}`;
  return { ...key, did, kid: `${did}#0` };
}

/** A did:web document listing `key` (a JsonWebKey) as its assertion method, under the id `did#key-1`. */
export function didWebDocument(did: string, key: JoseKey): Json {
  const id = `${did}#key-1`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1'],
    id: did,
    verificationMethod: [{ id, type: 'JsonWebKey', controller: did, publicKeyJwk: key.publicJwk }],
    assertionMethod: [id],
  };
}

/** Signs `payload` as a compact JWS with `header` (alg and kid default to the key's). */
export async function signJwt(payload: Json, key: JoseKey, header: Json = {}): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header } as never)
    .sign(key.privateKey);
}

/** A VC 2.0 credential (an Open Badge) as VC-JOSE-COSE secures it: the JWT payload is the credential. */
export function vc2Badge(issuer: string, overrides: Json = {}): Json {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:7a0c4a5e-8e1f-4b0e-9a43-3c1f8c5c2b10',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: issuer, type: ['Profile'], name: 'JOSE Test College' },
    validFrom: '2025-01-01T00:00:00Z',
    name: 'Safety badge',
    credentialSubject: {
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://example.edu/achievements/safety',
        type: ['Achievement'],
        name: 'Safety',
        criteria: { narrative: 'Completed the safety course.' },
        description: 'Safety course',
      },
    },
    ...overrides,
  };
}

const b64 = (value: Json) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsecured JWT (RFC 7519 §6): `alg: none`, an empty signature. */
export function unsecuredJwt(payload: Json, header: Json = {}): string {
  return `${b64({ alg: 'none', ...header })}.${b64(payload)}.`;
}
