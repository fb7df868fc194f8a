/**
 * The VC Data Model 2.0 rules an issuer must enforce before it signs: what the
 * W3C data-model and VC API issuer suites check at issuance. Pure: reads only
 * its input and the digests it is handed.
 *
 * An issuer that silently repairs a bad credential (replacing `id: null`,
 * filling a missing issuer) signs something other than what its caller meant;
 * so every rule here refuses, it never fills in.
 */
import { RegistryError } from '../errors.ts';
import { asArray, isDateTime, validityPeriodProblem } from '../verification/credential-shape.ts';
import { isUrl, type ResourceDigests, relatedResourceProblems } from './related-resources.ts';

type Json = Record<string, unknown>;

export interface DataModelRuleOptions {
  /** Digests of resources this node holds (bundled contexts), to check `relatedResource` digests against. */
  resourceDigests?: ResourceDigests;
  /**
   * URL prefix of this node's own status lists: a caller's own `credentialStatus` may not point into them,
   * since slots there are the node's to hand out.
   */
  ownStatusListPrefix?: string;
  /**
   * A credential without `issuer` is refused (VC DM 2.0 §4.7, the VC API issuer suite) unless this is false:
   * then an absent issuer is left for the caller to fill (this node fills its own DID), while a present but
   * invalid one (`null`, `{id: null}`, not a URL) is still refused.
   */
  issuerRequired?: boolean;
}

/** VC DM 2.0 §4.5: `type` is one string or a non-empty set of strings. */
function isTypeValue(value: unknown): boolean {
  if (typeof value === 'string') return value !== '';
  return Array.isArray(value) && value.length > 0 && value.every((t) => typeof t === 'string' && t !== '');
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Problems with an optional `id` (present means: one URL; `null` is not "absent"). */
function idProblem(where: string, object: Json): string | undefined {
  if (!Object.hasOwn(object, 'id')) return undefined;
  return isUrl(object.id) ? undefined : `${where}.id must be a single URL`;
}

/**
 * VC DM 2.0 §4.11, §5.4–5.6 and §4.10: each of these objects MUST name its type; credentialSchema also needs
 * an id. Each value is one object or a set of objects.
 */
const TYPED_PROPERTIES: ReadonlyArray<{ name: string; idRequired: boolean }> = [
  { name: 'credentialSchema', idRequired: true },
  { name: 'refreshService', idRequired: false },
  { name: 'termsOfUse', idRequired: false },
  { name: 'evidence', idRequired: false },
  { name: 'credentialStatus', idRequired: false },
];

function typedObjectProblems(credential: Json, name: string, idRequired: boolean): string[] {
  if (!Object.hasOwn(credential, name)) return [];
  const value = credential[name];
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return [`${name} must be an object or a non-empty set of objects`];
  const problems: string[] = [];
  items.forEach((item, i) => {
    const where = Array.isArray(value) ? `${name}[${i}]` : name;
    if (!isObject(item)) {
      problems.push(`${where} must be an object`);
      return;
    }
    if (!isTypeValue(item.type)) problems.push(`${where}.type is required (a string or strings)`);
    if (idRequired && !Object.hasOwn(item, 'id')) problems.push(`${where}.id is required`);
    const bad = idProblem(where, item);
    if (bad) problems.push(bad);
  });
  return problems;
}

/**
 * Bitstring Status List §2.1 for an entry the caller brought: the node can only vouch for entries that are
 * well-formed, and never for one that claims a slot in the node's own lists.
 */
function callerStatusProblems(credential: Json, ownPrefix: string | undefined): string[] {
  const problems: string[] = [];
  for (const entry of asArray(credential.credentialStatus as unknown)) {
    if (!isObject(entry) || !asArray(entry.type as unknown).includes('BitstringStatusListEntry')) continue;
    if (typeof entry.statusListIndex !== 'string' || !/^\d+$/.test(entry.statusListIndex)) {
      problems.push('credentialStatus.statusListIndex must be a non-negative integer as a string');
    }
    if (typeof entry.statusPurpose !== 'string') problems.push('credentialStatus.statusPurpose must be a string');
    if (!isUrl(entry.statusListCredential)) problems.push('credentialStatus.statusListCredential must be a URL');
    else if (ownPrefix && entry.statusListCredential.startsWith(ownPrefix)) {
      problems.push("credentialStatus may not point into this node's own status lists: the node assigns those");
    }
  }
  return problems;
}

function subjectProblems(credential: Json): string[] {
  const problems: string[] = [];
  for (const subject of asArray(credential.credentialSubject as unknown)) {
    if (!isObject(subject)) continue; // the shape check reports it
    const bad = idProblem('credentialSubject', subject);
    if (bad) problems.push(bad);
  }
  return problems;
}

function issuerProblems(credential: Json, required: boolean): string[] {
  if (!Object.hasOwn(credential, 'issuer')) return required ? ['issuer is required'] : [];
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return isUrl(issuer) ? [] : ['issuer must be a URL'];
  if (isObject(issuer)) {
    if (!Object.hasOwn(issuer, 'id') && !required) return [];
    return isUrl(issuer.id) ? [] : ['issuer.id must be a URL'];
  }
  return ['issuer must be a URL or an object with an id'];
}

/** VC DM 2.0 §4.9 (and 1.1's dates): each date an XML dateTime, and the period not ending before it begins. */
function validityProblems(credential: Json): string[] {
  const problems: string[] = [];
  for (const name of ['validFrom', 'validUntil', 'issuanceDate', 'expirationDate']) {
    if (Object.hasOwn(credential, name) && !isDateTime(credential[name])) {
      problems.push(`${name} must be an XML dateTime`);
    }
  }
  const period =
    validityPeriodProblem(credential.validFrom, credential.validUntil) ??
    validityPeriodProblem(credential.issuanceDate, credential.expirationDate);
  if (period) problems.push(period);
  return problems;
}

/**
 * Every data-model problem of a credential about to be issued (empty when none). Run on the caller's input,
 * before the issuer adds anything of its own.
 */
export function issuanceProblems(input: unknown, options: DataModelRuleOptions = {}): string[] {
  if (!isObject(input)) return ['credential must be an object'];
  const problems: string[] = [];
  const bad = idProblem('credential', input);
  if (bad) problems.push(bad);
  problems.push(...issuerProblems(input, options.issuerRequired ?? true), ...subjectProblems(input));
  for (const { name, idRequired } of TYPED_PROPERTIES) problems.push(...typedObjectProblems(input, name, idRequired));
  problems.push(...callerStatusProblems(input, options.ownStatusListPrefix), ...validityProblems(input));
  if (Object.hasOwn(input, 'relatedResource')) {
    problems.push(...relatedResourceProblems(input.relatedResource, options.resourceDigests));
  }
  return problems;
}

/** Refuses (INVALID_CREDENTIAL, with every problem in `details.problems`) what the data model forbids. */
export function assertIssuable(input: unknown, options: DataModelRuleOptions = {}): void {
  const problems = issuanceProblems(input, options);
  if (problems.length > 0) throw new RegistryError('INVALID_CREDENTIAL', problems.join('; '), { problems });
}
