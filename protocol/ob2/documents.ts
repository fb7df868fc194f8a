/**
 * Open Badges 2.0 documents, read without I/O (1EdTech Open Badges 2.0, §Assertion, §BadgeClass, §Profile,
 * §VerificationObject, §CryptographicKey, §RevocationList): which input is an OB 2.0 assertion (JSON, its hosted
 * URL, or a JWS whose payload is one), and the data validation the verifier relies on. Everything here comes from
 * whoever posted the badge or from a host it names, so every field is checked for its type before it is used.
 */
import { decodeProtectedHeader, type ProtectedHeaderParameters } from 'jose';

type Json = Record<string, unknown>;

export type Ob2ErrorCode =
  | 'OB2_INVALID'
  | 'ALG_NONE_REFUSED'
  | 'ALG_NOT_ALLOWED'
  | 'INVALID_SIGNATURE'
  | 'OB2_KEY_INVALID';

export class Ob2Error extends Error {
  constructor(
    readonly code: Ob2ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'Ob2Error';
  }
}

const invalid = (message: string): never => {
  throw new Ob2Error('OB2_INVALID', message);
};

/** What a verifier was given: the assertion itself, the URL of a hosted one, or a signed one (compact JWS). */
export type Ob2Input =
  | { kind: 'json'; assertion: Json }
  | { kind: 'url'; url: string }
  | { kind: 'jws'; jws: string; header: ProtectedHeaderParameters; assertion: Json };

const OB_CONTEXTS = new Set(['https://w3id.org/openbadges/v2', 'https://w3id.org/openbadges/v1']);
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const HASH = /^(sha256|md5)\$([0-9a-fA-F]+)$/;

function isObject(value: unknown): value is Json {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** An OB 2.0 (or 1.1) assertion: typed `Assertion` or in the OB context, and never a W3C VC (3.0 is one). */
export function isOb2Assertion(value: unknown): value is Json {
  if (!isObject(value)) return false;
  const types = list(value.type);
  if (types.includes('VerifiableCredential')) return false;
  return (
    types.includes('Assertion') || list(value['@context']).some((c) => typeof c === 'string' && OB_CONTEXTS.has(c))
  );
}

/** The OB 2.0 input `value` is, or undefined for anything else (a VC, a VC-JWT: the other verifiers read those). */
export function ob2InputOf(value: unknown): Ob2Input | undefined {
  if (isOb2Assertion(value)) return { kind: 'json', assertion: value };
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^https?:\/\/\S+$/.test(text) && text.length <= 2000 && URL.canParse(text)) return { kind: 'url', url: text };
  if (!COMPACT.test(text)) return undefined;
  let header: ProtectedHeaderParameters;
  let payload: unknown;
  try {
    header = decodeProtectedHeader(text);
    payload = JSON.parse(Buffer.from(text.split('.')[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  // A VC 1.1 JWT carries its credential in `vc`; an OB 2.0 JWS's payload is the assertion itself.
  if (isObject(payload) && payload.vc === undefined && isOb2Assertion(payload)) {
    return { kind: 'jws', jws: text, header, assertion: payload };
  }
  return undefined;
}

export interface IdentityObject {
  type: string;
  identity: string;
  hashed: boolean;
  salt?: string;
}

export interface Ob2Assertion {
  id: string;
  /** The BadgeClass: its id, and the embedded copy when the assertion carries one. */
  badge: { id: string; embedded?: Json };
  recipient: IdentityObject;
  issuedOn: string;
  expires?: string;
  verification: { type: 'hosted' | 'signed'; creator?: string };
  revoked: boolean;
  revocationReason?: string;
  uid?: string;
}

function string(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 4000) invalid(`${name} must be a string`);
  return value as string;
}

function dateTime(value: unknown, name: string): string {
  const text = string(value, name);
  if (Number.isNaN(Date.parse(text))) invalid(`${name} must be an ISO 8601 date-time`);
  return text;
}

function idOf(value: unknown, name: string): { id: string; embedded?: Json } {
  if (typeof value === 'string') return { id: string(value, name) };
  if (isObject(value)) return { id: string(value.id, `${name}.id`), embedded: value };
  return invalid(`${name} must be an IRI or an object with an id`);
}

function verificationType(value: unknown): 'hosted' | 'signed' {
  const types = list(value);
  if (types.some((t) => t === 'hosted' || t === 'HostedBadge')) return 'hosted';
  if (types.some((t) => t === 'signed' || t === 'SignedBadge')) return 'signed';
  return invalid('verification.type must be HostedBadge (hosted) or SignedBadge (signed)');
}

/** The IdentityObject (§IdentityObject): a hashed identity is `sha256$…` or `md5$…` in hexadecimal (§IdentityHash). */
export function readRecipient(value: unknown): IdentityObject {
  if (!isObject(value)) return invalid('recipient must be an IdentityObject');
  const identity = string(value.identity, 'recipient.identity');
  const type = string(value.type, 'recipient.type');
  if (value.hashed !== undefined && typeof value.hashed !== 'boolean') invalid('recipient.hashed must be a boolean');
  const hashed = value.hashed === true;
  if (hashed && !HASH.test(identity)) invalid('recipient.identity must be sha256$… or md5$… when hashed');
  if (value.salt !== undefined && typeof value.salt !== 'string') invalid('recipient.salt must be a string');
  return { type, identity, hashed, ...(typeof value.salt === 'string' ? { salt: value.salt } : {}) };
}

/** Data validation of an Assertion (§Assertion: id, recipient, badge, verification, issuedOn required). */
export function readAssertion(value: unknown): Ob2Assertion {
  if (!isObject(value)) return invalid('the assertion must be a JSON object');
  const id = string(value.id, 'id');
  if (!URL.canParse(id)) invalid('id must be an IRI');
  const verification = value.verification ?? value.verify;
  if (!isObject(verification)) invalid('verification must be a VerificationObject');
  const v = verification as Json;
  const type = verificationType(v.type);
  const expires = value.expires === undefined ? undefined : dateTime(value.expires, 'expires');
  return {
    id,
    badge: idOf(value.badge, 'badge'),
    recipient: readRecipient(value.recipient),
    issuedOn: dateTime(value.issuedOn, 'issuedOn'),
    ...(expires ? { expires } : {}),
    verification: { type, ...(v.creator !== undefined ? { creator: idOf(v.creator, 'verification.creator').id } : {}) },
    revoked: value.revoked === true,
    ...(typeof value.revocationReason === 'string' ? { revocationReason: value.revocationReason } : {}),
    ...(typeof value.uid === 'string' ? { uid: value.uid } : {}),
  };
}

/** A hosted copy marked revoked (§Revoking Hosted Assertions): only `id` and `revoked` are required. */
export function revokedHosted(value: unknown): { id?: string; reason?: string } | undefined {
  if (!isObject(value) || value.revoked !== true) return undefined;
  return {
    ...(typeof value.id === 'string' ? { id: value.id } : {}),
    ...(typeof value.revocationReason === 'string' ? { reason: value.revocationReason } : {}),
  };
}

export interface Ob2BadgeClass {
  id: string;
  name: string;
  issuer: string;
}

export function readBadgeClass(value: unknown): Ob2BadgeClass {
  if (!isObject(value)) return invalid('the BadgeClass must be a JSON object');
  if (value.type !== undefined && !list(value.type).includes('BadgeClass'))
    invalid('the BadgeClass is not typed BadgeClass');
  return {
    id: string(value.id, 'BadgeClass id'),
    name: string(value.name, 'BadgeClass name'),
    issuer: idOf(value.issuer, 'BadgeClass issuer').id,
  };
}

export interface Ob2Profile {
  id: string;
  name?: string;
  /** Key ids, and the key documents the profile embeds. */
  publicKeys: Array<{ id: string; embedded?: Json }>;
  revocationList?: string;
  verification?: { allowedOrigins?: string[]; startsWith?: string[] };
}

function strings(value: unknown, name: string): string[] {
  const items = list(value);
  if (items.length > 50) invalid(`${name} has more than 50 values`);
  return items.map((item, i) => string(item, `${name}[${i}]`));
}

export function readProfile(value: unknown): Ob2Profile {
  if (!isObject(value)) return invalid('the issuer Profile must be a JSON object');
  const types = list(value.type);
  if (value.type !== undefined && !types.includes('Issuer') && !types.includes('Profile')) {
    invalid('the issuer Profile is not typed Issuer or Profile');
  }
  const keys = list(value.publicKey);
  if (keys.length > 10) invalid('the issuer Profile declares more than 10 keys');
  const policy = isObject(value.verification) ? value.verification : undefined;
  return {
    id: string(value.id, 'Profile id'),
    ...(typeof value.name === 'string' ? { name: value.name } : {}),
    publicKeys: keys.map((k, i) => idOf(k, `publicKey[${i}]`)),
    ...(value.revocationList !== undefined ? { revocationList: idOf(value.revocationList, 'revocationList').id } : {}),
    ...(policy
      ? {
          verification: {
            ...(policy.allowedOrigins !== undefined
              ? { allowedOrigins: strings(policy.allowedOrigins, 'allowedOrigins') }
              : {}),
            ...(policy.startsWith !== undefined ? { startsWith: strings(policy.startsWith, 'startsWith') } : {}),
          },
        }
      : {}),
  };
}

export interface Ob2Key {
  id: string;
  owner: string;
  publicKeyPem: string;
}

export function readKey(value: unknown): Ob2Key {
  if (!isObject(value)) return invalid('the CryptographicKey must be a JSON object');
  return {
    id: string(value.id, 'CryptographicKey id'),
    owner: idOf(value.owner, 'CryptographicKey owner').id,
    publicKeyPem: string(value.publicKeyPem, 'publicKeyPem'),
  };
}

export interface Ob2RevocationList {
  id: string;
  revoked: Array<{ id?: string; uid?: string; reason?: string }>;
}

export function readRevocationList(value: unknown): Ob2RevocationList {
  if (!isObject(value)) return invalid('the RevocationList must be a JSON object');
  if (!list(value.type).includes('RevocationList')) invalid('the RevocationList is not typed RevocationList');
  const entries = list(value.revokedAssertions);
  if (entries.length > 1_000_000) invalid('the RevocationList is too long');
  return {
    id: string(value.id, 'RevocationList id'),
    revoked: entries.flatMap((entry) => {
      if (typeof entry === 'string') return [{ id: entry }];
      if (!isObject(entry) || entry.revoked === false) return [];
      return [
        {
          ...(typeof entry.id === 'string' ? { id: entry.id } : {}),
          ...(typeof entry.uid === 'string' ? { uid: entry.uid } : {}),
          ...(typeof entry.revocationReason === 'string' ? { reason: entry.revocationReason } : {}),
        },
      ];
    }),
  };
}

/** The revocation entry of `assertion` in `list`, if it is there (by `id`, or by legacy `uid`). */
export function revocationOf(list: Ob2RevocationList, assertion: Ob2Assertion) {
  return list.revoked.find(
    (e) => (e.id !== undefined && e.id === assertion.id) || (e.uid !== undefined && e.uid === assertion.uid),
  );
}

/**
 * Why a hosted assertion's id is outside its issuer's verification policy (§HostedBadge, §VerificationObject), or
 * undefined: its id must start with one of `startsWith`, and its host must be one of `allowedOrigins`, which
 * defaults to the host of the issuer Profile's id (as 1EdTech's validator reads "origin": the URL's authority).
 */
export function hostedScopeProblem(assertionId: string, profile: Ob2Profile): string | undefined {
  const policy = profile.verification ?? {};
  if (policy.startsWith && !policy.startsWith.some((prefix) => assertionId.startsWith(prefix))) {
    return `${assertionId} does not start with any value of the issuer's verification policy (startsWith)`;
  }
  const authority = (url: string) => (URL.canParse(url) ? new URL(url).host : undefined);
  const allowed = policy.allowedOrigins ?? [authority(profile.id)].filter((h): h is string => h !== undefined);
  const host = authority(assertionId);
  if (!host || !allowed.includes(host)) {
    return `${assertionId} is not hosted on an origin the issuer allows (${allowed.join(', ') || 'none'})`;
  }
  return undefined;
}
