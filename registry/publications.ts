/**
 * Member publications: data an institution signs and publishes about itself
 * (DID document snapshots and key history, status lists, skill frameworks,
 * crosswalks, achievement definitions). Each is (publisher, kind, id, version);
 * the highest version wins, and two different bodies with the same version are
 * equivocation: both are kept as evidence and reported. Pure rules only.
 */
import { canonicalJson, sha256Base64url } from './canonical.ts';
import { RegistryError } from './errors.ts';
import { validateCrosswalk } from './skills/crosswalk.ts';
import { validateFramework } from './skills/framework.ts';
import { frameworkPublicationId, isFrameworkPart, validateFrameworkPart } from './skills/framework-parts.ts';
import { asArray, issuerIdOf } from './verification/credential-shape.ts';

export const PUBLICATION_KINDS = [
  'did-document',
  'status-list',
  'skill-framework',
  'skill-crosswalk',
  'achievement',
] as const;
export type PublicationKind = (typeof PUBLICATION_KINDS)[number];

export interface Publication {
  publisher: string;
  kind: PublicationKind;
  id: string;
  version: number;
  publishedAt: string;
  body: Record<string, unknown>;
  proof: { verificationMethod: string; signature: string };
}

export type UnsignedPublication = Omit<Publication, 'proof'>;

/** What the publisher signs: a domain prefix and the hash of the canonical publication without its proof. */
export function publicationSigningInput(publication: UnsignedPublication): Buffer {
  const { publisher, kind, id, version, publishedAt, body } = publication;
  const digest = sha256Base64url(canonicalJson({ publisher, kind, id, version, publishedAt, body }));
  return Buffer.from(`LER-PUBLICATION-V1:${digest}`, 'utf8');
}

export function publicationKey(p: Pick<Publication, 'publisher' | 'kind' | 'id'>): string {
  return `${p.publisher}!${p.kind}!${p.id}`;
}

export function bodyDigest(p: Pick<Publication, 'body'>): string {
  return sha256Base64url(canonicalJson(p.body));
}

/** Checks a publication's shape; throws RegistryError INVALID_PUBLICATION. */
export function validatePublication(value: unknown, maxBytes: number): Publication {
  const fail = (message: string): never => {
    throw new RegistryError('INVALID_PUBLICATION', message);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('publication must be an object');
  const p = value as Publication;
  if (typeof p.publisher !== 'string' || !/^did:(key|web):\S{3,500}$/.test(p.publisher))
    fail('publisher must be a did:key or did:web');
  if (!PUBLICATION_KINDS.includes(p.kind)) fail(`kind must be one of ${PUBLICATION_KINDS.join(', ')}`);
  if (typeof p.id !== 'string' || p.id === '' || p.id.length > 500) fail('id must be a non-empty string');
  if (!Number.isSafeInteger(p.version) || p.version < 1) fail('version must be a whole number ≥ 1');
  if (typeof p.publishedAt !== 'string' || Number.isNaN(Date.parse(p.publishedAt)))
    fail('publishedAt must be a date-time');
  if (!p.body || typeof p.body !== 'object' || Array.isArray(p.body)) fail('body must be an object');
  if (typeof p.proof?.verificationMethod !== 'string' || typeof p.proof?.signature !== 'string')
    fail('proof is required');
  if (!p.proof.verificationMethod.startsWith(`${p.publisher}#`))
    fail('proof.verificationMethod must be a key of the publisher');
  if (Buffer.byteLength(canonicalJson(p)) > maxBytes)
    throw new RegistryError('PUBLICATION_TOO_LARGE', `publication larger than ${maxBytes} bytes`);
  const known = new Set(['publisher', 'kind', 'id', 'version', 'publishedAt', 'body', 'proof']);
  for (const key of Object.keys(p)) if (!known.has(key)) fail(`${key} is not a publication field`);
  return p;
}

/**
 * A status list speaks for the credentials of its issuer only: a `status-list` publication counts when its
 * publisher is the list credential's issuer and every proof on the list is by a key of the publisher, and it is
 * published under the list's own URL. Otherwise any member could publish another issuer's older list (its
 * revocations undone) under its own name.
 */
function validateStatusListBody(p: Publication): void {
  const fail = (message: string): never => {
    throw new RegistryError('INVALID_PUBLICATION', message);
  };
  if (p.body.id !== p.id) fail('a status-list publication has the list credential id as its id');
  if (issuerIdOf(p.body) !== p.publisher) fail('a status list is published only by its issuer');
  for (const proof of asArray(p.body.proof as unknown)) {
    const method = (proof as { verificationMethod?: unknown } | null)?.verificationMethod;
    if (typeof method !== 'string' || !method.startsWith(`${p.publisher}#`))
      fail('a status list is signed by a key of its issuer');
  }
}

/** One key of a DID's history: when it could sign, and when (if ever) it was declared compromised. */
export interface KeyHistoryEntry {
  verificationMethod: string;
  validFrom?: string;
  validUntil?: string;
  compromisedAt?: string;
}

/** A `did-document` publication's body: the document and the history of its keys. Its id is the DID. */
export interface DidDocumentBody {
  didDocument: Record<string, unknown>;
  keyHistory?: KeyHistoryEntry[];
}

/** Kind-specific checks: a `did-document` publication speaks only for its publisher's own DID. */
export function validatePublicationBody(p: Publication, options: { maxFrameworkItems?: number } = {}): void {
  if (p.kind === 'skill-framework') {
    if (!isFrameworkPart(p.body)) {
      validateFramework(p.body, { maxItems: options.maxFrameworkItems });
      return;
    }
    const part = validateFrameworkPart(p.body, { maxItems: options.maxFrameworkItems });
    if (p.id !== frameworkPublicationId(part)) {
      throw new RegistryError(
        'INVALID_PUBLICATION',
        `a framework part is published as ${frameworkPublicationId(part)}`,
      );
    }
    return;
  }
  if (p.kind === 'achievement') {
    // An OB 3.0 Achievement definition: its id is the achievement's id, its alignments name skills.
    const a = p.body as Record<string, unknown>;
    const types = Array.isArray(a.type) ? a.type : [a.type];
    if (a.id !== p.id || typeof a.id !== 'string' || !types.includes('Achievement') || typeof a.name !== 'string') {
      throw new RegistryError(
        'INVALID_PUBLICATION',
        'an achievement publication is an OB 3.0 Achievement whose id is the publication id',
      );
    }
    if (a.alignment !== undefined && !Array.isArray(a.alignment)) {
      throw new RegistryError('INVALID_PUBLICATION', 'achievement alignment must be an array');
    }
    return;
  }
  if (p.kind === 'status-list') {
    validateStatusListBody(p);
    return;
  }
  if (p.kind === 'skill-crosswalk') {
    // The shape POST /skills/crosswalks checks, here for every entry point (publications API, gossip, sync):
    // a crosswalk the catalog cannot read was otherwise stored, answered 201, and silently ignored. Whether its
    // skills are known is not checked here: a peer's frameworks may arrive after its crosswalks.
    try {
      validateCrosswalk(p.body, () => true);
    } catch (error) {
      throw new RegistryError('INVALID_PUBLICATION', `skill-crosswalk: ${(error as Error).message}`);
    }
    if (p.body.id !== p.id)
      throw new RegistryError('INVALID_PUBLICATION', 'a skill-crosswalk is published under its own id');
    return;
  }
  if (p.kind !== 'did-document') return;
  const fail = (message: string): never => {
    throw new RegistryError('INVALID_PUBLICATION', message);
  };
  const body = p.body as Partial<DidDocumentBody>;
  if (p.id !== p.publisher) fail('a did-document publication has the publisher DID as its id');
  if (!body.didDocument || typeof body.didDocument !== 'object' || body.didDocument.id !== p.publisher) {
    fail('body.didDocument must be the DID document of the publisher');
  }
  if (body.keyHistory !== undefined) {
    if (!Array.isArray(body.keyHistory) || body.keyHistory.length > 100) fail('body.keyHistory must be an array');
    for (const entry of body.keyHistory as KeyHistoryEntry[]) {
      if (typeof entry?.verificationMethod !== 'string' || !entry.verificationMethod.startsWith(`${p.publisher}#`)) {
        fail('keyHistory entries name a verification method of the publisher');
      }
      for (const field of ['validFrom', 'validUntil', 'compromisedAt'] as const) {
        if (entry[field] !== undefined && Number.isNaN(Date.parse(String(entry[field]))))
          fail(`keyHistory ${field} must be a date-time`);
      }
    }
  }
}

/** Was `verificationMethod` usable to sign at `at`, by this history? Undefined when the history says nothing. */
export function keyValidityAt(
  history: KeyHistoryEntry[] | undefined,
  verificationMethod: string,
  at: Date,
): { valid: boolean; code: string; message: string } | undefined {
  const entry = history?.find((e) => e.verificationMethod === verificationMethod);
  if (!entry) return undefined;
  const t = at.getTime();
  if (entry.compromisedAt && Date.parse(entry.compromisedAt) <= t) {
    return {
      valid: false,
      code: 'KEY_COMPROMISED',
      message: `${verificationMethod} was declared compromised at ${entry.compromisedAt}`,
    };
  }
  if (entry.validFrom && Date.parse(entry.validFrom) > t) {
    return {
      valid: false,
      code: 'KEY_NOT_YET_VALID',
      message: `${verificationMethod} was not in use before ${entry.validFrom}`,
    };
  }
  if (entry.validUntil && Date.parse(entry.validUntil) <= t) {
    return { valid: false, code: 'KEY_RETIRED', message: `${verificationMethod} was retired at ${entry.validUntil}` };
  }
  return { valid: true, code: 'KEY_VALID', message: `${verificationMethod} was valid at issuance` };
}

export type PublicationOutcome = 'new' | 'newer' | 'same' | 'stale' | 'equivocation';

/** How an incoming publication relates to the current one for its key. */
export function comparePublication(current: Publication | undefined, incoming: Publication): PublicationOutcome {
  if (!current) return 'new';
  if (incoming.version > current.version) return 'newer';
  if (incoming.version < current.version) return 'stale';
  return bodyDigest(current) === bodyDigest(incoming) && current.publishedAt === incoming.publishedAt
    ? 'same'
    : 'equivocation';
}
