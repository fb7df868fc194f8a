/**
 * Shape of a Verifiable Credential (VC Data Model 1.1 and 2.0), with the
 * Open Badges 3.0 / CLR 2.0 types recognised. Pure: reads only its input.
 */
import { type ResourceDigests, relatedResourceProblems } from '../issuing/related-resources.ts';
import { type Check, failed, ok } from './report.ts';

export const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
export const VC_V2 = 'https://www.w3.org/ns/credentials/v2';

type Json = Record<string, unknown>;

export interface CredentialShape {
  version: '1.1' | '2.0';
  id?: string;
  types: string[];
  issuerId: string;
  issuerName?: string;
  validFrom?: string;
  validUntil?: string;
  statusEntries: Json[];
}

// A URL (or URN): a scheme, a colon and no white space.
const URL_LIKE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/;

// XML Schema dateTime, as the VC data model requires (with optional fraction and zone).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

export function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * VC DM 2.0 §4.9: with both present, validFrom is the same as or earlier than validUntil (VC 1.1 has no such
 * sentence, but a credential that expires before it is issued is never valid, so it is refused the same way).
 */
export function validityPeriodProblem(validFrom: unknown, validUntil: unknown): string | undefined {
  if (!isDateTime(validFrom) || !isDateTime(validUntil)) return undefined;
  return Date.parse(validUntil) < Date.parse(validFrom)
    ? 'validUntil/expirationDate must not be earlier than validFrom/issuanceDate'
    : undefined;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function issuerIdOf(credential: Json): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  if (issuer && typeof issuer === 'object' && typeof (issuer as Json).id === 'string')
    return (issuer as Json).id as string;
  return undefined;
}

/**
 * VC DM 1.1 §4.9: a `credentialStatus` MUST include `id` (a URL) and `type`. VC DM 2.0 §4.10 made `id`
 * optional, so this holds for VC 1.1 credentials only.
 */
function v11StatusProblems(entries: Json[]): string[] {
  const problems: string[] = [];
  entries.forEach((entry, i) => {
    const where = entries.length === 1 ? 'credentialStatus' : `credentialStatus[${i}]`;
    if (typeof entry.id !== 'string' || !URL_LIKE.test(entry.id))
      problems.push(`${where}.id (a URL) is required in VC 1.1`);
    const types = asArray(entry.type as unknown);
    if (types.length === 0 || !types.every((t) => typeof t === 'string' && t !== '')) {
      problems.push(`${where}.type is required in VC 1.1`);
    }
  });
  return problems;
}

/** Parses the credential's shape, or explains what is wrong with it. */
export function parseCredentialShape(value: unknown): { shape: CredentialShape } | { problems: string[] } {
  const problems: string[] = [];
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { problems: ['credential must be an object'] };
  const credential = value as Json;
  const contexts = asArray(credential['@context'] as unknown);
  const first = contexts[0];
  const version = first === VC_V2 ? '2.0' : first === VC_V1 ? '1.1' : undefined;
  if (!version) problems.push(`@context must begin with ${VC_V2} or ${VC_V1}`);
  if (contexts.some((c) => typeof c !== 'string' && (typeof c !== 'object' || c === null))) {
    problems.push('@context entries must be URLs or objects');
  }
  const types = asArray(credential.type as unknown);
  if (!types.every((t) => typeof t === 'string') || !types.includes('VerifiableCredential')) {
    problems.push('type must include VerifiableCredential');
  }
  const issuerId = issuerIdOf(credential);
  if (!issuerId || !URL_LIKE.test(issuerId)) problems.push('issuer must be a URL or an object with an id');
  const subjects = asArray(credential.credentialSubject as unknown);
  if (subjects.length === 0 || subjects.some((s) => !s || typeof s !== 'object')) {
    problems.push('credentialSubject must be an object or array of objects');
  }
  if (credential.id !== undefined && (typeof credential.id !== 'string' || !credential.id.includes(':'))) {
    problems.push('id must be a URL');
  }
  const validFrom = version === '1.1' ? credential.issuanceDate : credential.validFrom;
  const validUntil = version === '1.1' ? credential.expirationDate : credential.validUntil;
  if (version === '1.1' && validFrom === undefined) problems.push('issuanceDate is required in VC 1.1');
  if (validFrom !== undefined && !isDateTime(validFrom))
    problems.push('validFrom/issuanceDate must be an XML dateTime');
  if (validUntil !== undefined && !isDateTime(validUntil))
    problems.push('validUntil/expirationDate must be an XML dateTime');
  const period = validityPeriodProblem(validFrom, validUntil);
  if (period) problems.push(period);
  const statusEntries = asArray(credential.credentialStatus as unknown);
  if (statusEntries.some((s) => !s || typeof s !== 'object')) problems.push('credentialStatus entries must be objects');
  else if (version === '1.1') problems.push(...v11StatusProblems(statusEntries as Json[]));
  if (problems.length > 0 || !version || !issuerId) return { problems };
  const issuer = credential.issuer;
  const issuerName = issuer && typeof issuer === 'object' ? (issuer as Json).name : undefined;
  return {
    shape: {
      version,
      id: credential.id as string | undefined,
      types: types as string[],
      issuerId,
      issuerName: typeof issuerName === 'string' ? issuerName : undefined,
      validFrom: validFrom as string | undefined,
      validUntil: validUntil as string | undefined,
      statusEntries: statusEntries as Json[],
    },
  };
}

const OB_TYPES = ['OpenBadgeCredential', 'AchievementCredential', 'EndorsementCredential'];

/**
 * The schema check: shape problems fail it; OB/CLR specifics become warnings. With `resourceDigests`, a
 * `relatedResource` digest of a resource the node holds must match (VC DM 2.0 §5.3: a verifier MUST error).
 */
export function checkShape(
  value: unknown,
  options: { resourceDigests?: ResourceDigests } = {},
): { check: Check; shape?: CredentialShape; warnings: string[] } {
  const parsed = parseCredentialShape(value);
  if ('problems' in parsed) {
    return { check: failed('schema', 'INVALID_SHAPE', parsed.problems.join('; ')), warnings: [] };
  }
  const related = (value as Json).relatedResource;
  if (related !== undefined) {
    const problems = relatedResourceProblems(related, options.resourceDigests);
    if (problems.length > 0) {
      return { check: failed('schema', 'INVALID_RELATED_RESOURCE', problems.join('; ')), warnings: [] };
    }
  }
  const { shape } = parsed;
  const warnings: string[] = [];
  const contexts = asArray((value as Json)['@context'] as unknown).filter((c): c is string => typeof c === 'string');
  const isBadge = shape.types.some((t) => OB_TYPES.includes(t));
  if (isBadge && !contexts.some((c) => c.startsWith('https://purl.imsglobal.org/spec/ob/v3p0/'))) {
    warnings.push('Open Badges type without an Open Badges 3.0 context');
  }
  const kind = shape.types.find((t) => t !== 'VerifiableCredential') ?? 'VerifiableCredential';
  return { check: ok('schema', `VC ${shape.version} ${kind}`), shape, warnings };
}
