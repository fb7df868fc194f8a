/** Shared validators for action parameters. Each throws RegistryError INVALID_ACTION with the field named. */
import { RegistryError } from '../errors.ts';
import type { Accreditation, MemberKey } from '../types.ts';

type Json = Record<string, unknown>;

export function invalid(message: string): never {
  throw new RegistryError('INVALID_ACTION', message);
}

export function text(
  params: Json,
  name: string,
  options: { required?: boolean; max?: number } = {},
): string | undefined {
  const value = params[name];
  if (value === undefined && !options.required) return undefined;
  if (typeof value !== 'string' || value.trim() === '') invalid(`${name} must be a non-empty string`);
  if (value.length > (options.max ?? 500)) invalid(`${name} is longer than ${options.max ?? 500} characters`);
  return value;
}

export function url(params: Json, name: string): string | undefined {
  const value = text(params, name, { max: 2000 });
  if (value !== undefined && (!URL.canParse(value) || !/^https?:/.test(value)))
    invalid(`${name} must be an http(s) URL`);
  return value;
}

const DID = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/;
/** An Ed25519 public key as a Multikey (what follows `did:key:` in an Ed25519 did:key). */
const ED25519_MULTIKEY = /^z6Mk[1-9A-HJ-NP-Za-km-z]{40,50}$/;
/** A compressed P-256 public key as a Multikey (multicodec 0x1200: always `zDna…`), for the ECDSA suites. */
const P256_MULTIKEY = /^zDna[1-9A-HJ-NP-Za-km-z]{40,50}$/;

export function did(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length > 500 || !DID.test(value)) invalid(`${name} must be a DID`);
  return value;
}

export function governorDid(value: unknown, name: string): string {
  const id = did(value, name);
  if (!id.startsWith('did:key:') || !ED25519_MULTIKEY.test(id.slice('did:key:'.length)))
    invalid(`${name} must be an Ed25519 did:key (z6Mk…)`);
  return id;
}

export function dateTime(params: Json, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    invalid(`${name} must be an ISO 8601 date-time with a time zone`);
  }
  if (Number.isNaN(Date.parse(value))) invalid(`${name} is not a real date-time`);
  return value;
}

export function stringList(value: unknown, name: string, options: { min?: number; max?: number } = {}): string[] {
  if (!Array.isArray(value)) invalid(`${name} must be an array of strings`);
  const list = value as unknown[];
  if (list.length < (options.min ?? 0) || list.length > (options.max ?? 100)) {
    invalid(`${name} must have ${options.min ?? 0} to ${options.max ?? 100} entries`);
  }
  for (const item of list) {
    if (typeof item !== 'string' || item === '' || item.length > 500)
      invalid(`${name} entries must be non-empty strings`);
  }
  if (new Set(list).size !== list.length) invalid(`${name} has duplicates`);
  return list as string[];
}

export function accreditations(value: unknown): Accreditation[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 100) invalid('accreditations must be an array of at most 100');
  return (value as unknown[]).map((entry, i) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) invalid(`accreditations[${i}] must be an object`);
    const a = entry as Json;
    const known = new Set(['credentialTypes', 'achievementTypes', 'skillFrameworks', 'validFrom', 'validUntil']);
    for (const key of Object.keys(a)) if (!known.has(key)) invalid(`accreditations[${i}].${key} is not a known field`);
    const result: Accreditation = {
      credentialTypes: stringList(a.credentialTypes, `accreditations[${i}].credentialTypes`, { min: 1, max: 50 }),
    };
    if (a.achievementTypes !== undefined)
      result.achievementTypes = stringList(a.achievementTypes, `accreditations[${i}].achievementTypes`, { max: 50 });
    if (a.skillFrameworks !== undefined)
      result.skillFrameworks = stringList(a.skillFrameworks, `accreditations[${i}].skillFrameworks`, { max: 50 });
    const validFrom = dateTime(a, 'validFrom');
    const validUntil = dateTime(a, 'validUntil');
    if (validFrom) result.validFrom = validFrom;
    if (validUntil) result.validUntil = validUntil;
    if (validFrom && validUntil && Date.parse(validUntil) <= Date.parse(validFrom)) {
      invalid(`accreditations[${i}].validUntil must be after validFrom`);
    }
    return result;
  });
}

/** A member's declared signing keys: Ed25519 or P-256 Multikeys under its own DID (decision 0021). */
export function memberKeys(value: unknown, memberDid: string): MemberKey[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > 10)
    invalid('keys must be an array of 1 to 10 keys');
  const ids = new Set<string>();
  return (value as unknown[]).map((entry, i) => {
    const k = entry as Json;
    if (!k || typeof k !== 'object' || Object.keys(k).some((key) => key !== 'id' && key !== 'publicKeyMultibase')) {
      invalid(`keys[${i}] must be {id, publicKeyMultibase}`);
    }
    if (typeof k.id !== 'string' || !k.id.startsWith(`${memberDid}#`) || k.id.length > 600) {
      invalid(`keys[${i}].id must be a verification method of ${memberDid} (${memberDid}#…)`);
    }
    if (
      typeof k.publicKeyMultibase !== 'string' ||
      !(ED25519_MULTIKEY.test(k.publicKeyMultibase) || P256_MULTIKEY.test(k.publicKeyMultibase))
    ) {
      invalid(`keys[${i}].publicKeyMultibase must be an Ed25519 (z6Mk…) or P-256 (zDna…) Multikey`);
    }
    if (ids.has(k.id as string)) invalid(`keys[${i}].id is listed twice`);
    ids.add(k.id as string);
    return { id: k.id as string, publicKeyMultibase: k.publicKeyMultibase as string };
  });
}

/**
 * A member's Open Badges 2.0 issuer Profile ids (decision 0034): https URLs without fragment, at most 20, no
 * duplicates. They are identifiers (compared exactly, as BadgeClasses name them), so they are kept as written.
 */
export function ob2Profiles(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const profiles = stringList(value, 'ob2Profiles', { min: 1, max: 20 });
  for (const [i, profile] of profiles.entries()) {
    if (
      profile.length > 500 ||
      !URL.canParse(profile) ||
      new URL(profile).protocol !== 'https:' ||
      profile.includes('#')
    ) {
      invalid(`ob2Profiles[${i}] must be an https URL without fragment`);
    }
  }
  return profiles;
}

/** Refuses parameters the action type does not define (they would be signed but ignored). */
export function onlyKnown(params: Json, known: string[]): void {
  const allowed = new Set(['type', 'network', 'effectiveAt', 'nonce', ...known]);
  for (const key of Object.keys(params))
    if (!allowed.has(key)) invalid(`${key} is not a parameter of ${String(params.type)}`);
}
