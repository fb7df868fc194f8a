/**
 * Detached JWS (RFC 7515 Appendix F) with EdDSA (RFC 8037): a signature over
 * exact response bytes that a verifier can keep as evidence of what this node
 * answered. Format: BASE64URL(header) + ".." + BASE64URL(signature).
 */
import { createPublicKey, verify } from 'node:crypto';
import { rawPublicKeyFromDidKey } from './governor-keys.ts';

export type Sign = (data: Uint8Array) => Promise<Uint8Array>;

export async function signDetachedJws(payload: string, options: { kid: string; sign: Sign }): Promise<string> {
  const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: options.kid })).toString('base64url');
  const signingInput = `${header}.${Buffer.from(payload, 'utf8').toString('base64url')}`;
  const signature = await options.sign(Buffer.from(signingInput, 'ascii'));
  return `${header}..${Buffer.from(signature).toString('base64url')}`;
}

/** Checks a detached JWS made by a did:key signer (its kid's DID) over `payload`. */
export function verifyDetachedJws(jws: string, payload: string): { valid: boolean; kid?: string } {
  const [header, empty, signature] = jws.split('.');
  if (!header || empty !== '' || !signature) return { valid: false };
  let kid: string;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string; kid?: string };
    if (parsed.alg !== 'EdDSA' || typeof parsed.kid !== 'string') return { valid: false };
    kid = parsed.kid;
    const raw = rawPublicKeyFromDidKey(kid.split('#')[0]);
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
      format: 'jwk',
    });
    const input = Buffer.from(`${header}.${Buffer.from(payload, 'utf8').toString('base64url')}`, 'ascii');
    return { valid: verify(null, input, key, Buffer.from(signature, 'base64url')), kid };
  } catch {
    return { valid: false };
  }
}
