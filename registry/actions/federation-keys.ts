/**
 * `federation.keys`: the governors approve the complete set of OpenID Federation signing keys of their
 * network (decision 0025). Each entry is a public Ed25519 JWK whose `kid` is its RFC 7638 thumbprint, and
 * the public URL of a node holding the private half. A later action replaces the set: that is rotation;
 * a key left out is retired from the action's effectiveAt on and stays listed as a historical key.
 */
import { sha256Base64url } from '../canonical.ts';
import type { FederationKey } from '../types.ts';
import type { ActionHandler } from './handler.ts';
import { invalid, onlyKnown } from './params.ts';

/** RFC 7638 §3.2: the thumbprint of an OKP key hashes exactly {"crv","kty","x"} in that order. */
export function okpThumbprint(crv: string, x: string): string {
  return sha256Base64url(JSON.stringify({ crv, kty: 'OKP', x }));
}

function federationKey(value: unknown, i: number): FederationKey {
  if (!value || typeof value !== 'object' || Array.isArray(value)) invalid(`keys[${i}] must be an object`);
  const entry = value as Record<string, unknown>;
  for (const name of Object.keys(entry)) {
    if (!['kty', 'crv', 'x', 'kid', 'holder'].includes(name)) invalid(`keys[${i}].${name} is not a known field`);
  }
  if (entry.kty !== 'OKP' || entry.crv !== 'Ed25519') invalid(`keys[${i}] must be an Ed25519 OKP key`);
  // 32 bytes, base64url without padding.
  if (typeof entry.x !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(entry.x)) invalid(`keys[${i}].x must be 32 bytes`);
  if (entry.kid !== okpThumbprint('Ed25519', entry.x)) invalid(`keys[${i}].kid must be the key's RFC 7638 thumbprint`);
  const holder = entry.holder;
  if (
    typeof holder !== 'string' ||
    holder.length > 2000 ||
    !URL.canParse(holder) ||
    !/^https?:$/.test(new URL(holder).protocol)
  ) {
    invalid(`keys[${i}].holder must be the http(s) URL of the node holding the key`);
  }
  return { kty: 'OKP', crv: 'Ed25519', x: entry.x, kid: entry.kid, holder: holder.replace(/\/+$/, '') };
}

export const federationKeys: ActionHandler = {
  type: 'federation.keys',
  validate(action) {
    onlyKnown(action, ['keys']);
    if (!Array.isArray(action.keys) || action.keys.length > 10) invalid('keys must be an array of at most 10');
    const keys = (action.keys as unknown[]).map(federationKey);
    if (new Set(keys.map((k) => k.kid)).size !== keys.length) invalid('keys has duplicates');
  },
  apply(state, { id, action }) {
    const keys = (action.keys as unknown[]).map(federationKey);
    state.federationKeys ??= [];
    state.federationKeys.push({ from: action.effectiveAt, actionId: id, keys });
    return undefined;
  },
};
