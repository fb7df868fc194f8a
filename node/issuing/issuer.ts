/**
 * Issuing, revoking and suspending this institution's credentials.
 *
 * A credential is acknowledged only after one synchronous batch has recorded
 * its status slots and its index entry (credential id → slots), so a crash at
 * any point can neither hand a slot out twice nor lose an acknowledged
 * credential's status.
 */
import { randomUUID } from 'node:crypto';
import type { JwtFormat } from '../../protocol/jose/vc-jwt.ts';
import {
  envelopedCredential,
  isJwtFormat,
  JWT_FORMATS,
  JWT_SIGNING_ALGORITHMS,
  type JwtSigningAlgorithm,
} from '../../protocol/jose/vc-jwt-issue.ts';
import { bundledContextDigests } from '../../protocol/signing/context-digests.ts';
import { OB_V3_CONTEXT, STATUS_LIST_V1_INLINE_CONTEXT } from '../../protocol/signing/contexts.ts';
import {
  CRYPTOSUITES,
  type Cryptosuite,
  isCryptosuite,
  isEcdsaCryptosuite,
} from '../../protocol/signing/cryptosuite-names.ts';
import { RegistryError } from '../../registry/errors.ts';
import { assertIssuable } from '../../registry/issuing/data-model-rules.ts';
import { parseStatusRequests, type StatusRequest, statusEntryFor } from '../../registry/status/status-request.ts';
import { asArray, parseCredentialShape, VC_V1, VC_V2 } from '../../registry/verification/credential-shape.ts';
import { NodeError } from '../errors.ts';
import { createKeyedLock } from '../keyed-lock.ts';
import type { Logger } from '../logger.ts';
import type { NodeMetrics } from '../observability/metrics.ts';
import type { Database } from '../storage/database.ts';
import type { Ledger } from '../storage/ledger.ts';
import type { SignJwtCredential } from './jwt-signer.ts';
import type { SignCredential } from './signer.ts';
import { type OwnStatusLists, STATUS_PURPOSES, type StatusPurpose, type StatusSlot } from './status-lists.ts';

type Json = Record<string, unknown>;

export interface IssuedRecord {
  status: StatusSlot[];
  issuedAt: string;
  /** How it was secured: a Data Integrity cryptosuite, or (with `format`) the JWT's algorithm. */
  cryptosuite: Cryptosuite | JwtSigningAlgorithm;
  format?: JwtFormat;
  /** Only when the node is configured to keep credential bodies. */
  credential?: Json;
}

export interface IssueOptions {
  cryptosuite?: unknown;
  /**
   * Secure with JOSE instead of Data Integrity: `vc+jwt` (VC 2.0, VC-JOSE-COSE; returned as an
   * EnvelopedVerifiableCredential) or `jwt_vc_json` (VC 1.1 JWT; returned as the compact JWT).
   */
  format?: unknown;
  /** The JWT's algorithm with `format`: EdDSA (default, the Ed25519 key) or ES256 (the P-256 key). */
  alg?: unknown;
  credentialStatus?: unknown;
  /**
   * Refuse a credential without `issuer` (the VC API's rule, VC DM 2.0 §4.7) instead of filling in this
   * node's DID, which in-process callers (scripts, the simulator) rely on.
   */
  requireIssuer?: boolean;
}

/** What `issue` returns: a credential with its proof, an EnvelopedVerifiableCredential, or a VC 1.1 JWT. */
export type IssuedCredential = Json | string;

export interface Issuer {
  issue(credential: unknown, options?: IssueOptions & { format?: undefined }): Promise<Json>;
  issue(credential: unknown, options: IssueOptions): Promise<IssuedCredential>;
  setStatus(credentialId: unknown, purpose: unknown, value: unknown): Promise<{ changed: boolean; slot: StatusSlot }>;
  get(credentialId: string): Promise<IssuedRecord | undefined>;
  /** Issued credentials in id order, a page at a time, each with its current status per purpose. */
  list(page: { after?: string; limit: number; contains?: string }): Promise<IssuedEntry[]>;
}

export interface IssuedEntry {
  id: string;
  issuedAt: string;
  name?: string;
  status: Array<StatusSlot & { set: boolean }>;
}

export interface IssuerOptions {
  database: Database;
  did: string;
  /** The issuer DID of ECDSA credentials: `did` for did:web, the P-256 did:key for a did:key node (decision 0021). */
  ecdsaDid?: string;
  statusLists: OwnStatusLists;
  /** Records each acknowledged credential durably outside the database (so a lost write is noticed). */
  ledger: Ledger;
  sign: SignCredential;
  /** Signs JOSE-secured credentials; without it `options.format` is refused. */
  signJwt?: SignJwtCredential;
  now?: () => Date;
  /** Keep issued credential bodies (off by default: the node holds no learner data it needs not). */
  storeCredentials?: boolean;
  /** Issuance and status changes are logged with ids, lists and indexes only: never subject data. */
  logger?: Logger;
  metrics?: Pick<NodeMetrics, 'credentialIssued' | 'statusChanged'>;
}

/**
 * XML dateTime with milliseconds: issuance is compared with registry actions'
 * effective times (accreditation "at issuance"), which a whole-second value
 * could misorder within the second the issuer was admitted.
 */
function dateTime(date: Date): string {
  return date.toISOString();
}

export function createIssuer(options: IssuerOptions): Issuer {
  const { database, did } = options;
  const now = options.now ?? (() => new Date());
  const withIdLock = createKeyedLock();

  /** Fills defaults and refuses what this node must not sign. */
  function prepare(input: unknown, did: string, requireIssuer: boolean, format?: JwtFormat): Json {
    if (!input || typeof input !== 'object' || Array.isArray(input)) {
      throw new RegistryError('INVALID_CREDENTIAL', 'credential must be an object');
    }
    const credential: Json = structuredClone(input as Json);
    if (credential.proof !== undefined) throw new RegistryError('INVALID_CREDENTIAL', 'credential already has a proof');
    // VC Data Model 2.0 rules, on the caller's credential before any default is added (refuse, never repair).
    assertIssuable(credential, {
      issuerRequired: requireIssuer,
      resourceDigests: bundledContextDigests,
      ownStatusListPrefix: options.statusLists.listUrl(''),
    });
    // A VC 1.1 JWT (jwt_vc_json) is a VC 1.1 credential; every other format defaults to VC 2.0.
    credential['@context'] ??= [format === 'jwt_vc_json' ? VC_V1 : VC_V2, OB_V3_CONTEXT];
    const base = asArray(credential['@context'] as unknown)[0];
    if (format === 'jwt_vc_json' && base !== VC_V1) {
      throw new RegistryError('INVALID_CREDENTIAL', 'jwt_vc_json secures VC 1.1 credentials: use vc+jwt for VC 2.0');
    }
    if (format === 'vc+jwt' && base !== VC_V2) {
      throw new RegistryError('INVALID_CREDENTIAL', 'vc+jwt secures VC 2.0 credentials: use jwt_vc_json for VC 1.1');
    }
    credential.type ??= ['VerifiableCredential', 'OpenBadgeCredential'];
    const issuer = credential.issuer;
    const foreign = () =>
      new RegistryError(
        'FOREIGN_ISSUER',
        did === options.did
          ? `this node issues only as ${did}`
          : `this node issues ECDSA credentials as its P-256 did:key ${did} (a did:key holds one key): set issuer to it or leave it out`,
      );
    if (issuer === undefined) credential.issuer = did;
    else if (typeof issuer === 'string') {
      if (issuer !== did) throw foreign();
    } else if (issuer && typeof issuer === 'object' && !Array.isArray(issuer)) {
      const profile = issuer as Json;
      if (profile.id === undefined) credential.issuer = { ...profile, id: did };
      else if (profile.id !== did) throw foreign();
    } else {
      throw new RegistryError('INVALID_CREDENTIAL', 'issuer must be a DID or a profile object');
    }
    credential.id ??= `urn:uuid:${randomUUID()}`;
    const v1 = asArray(credential['@context'] as unknown)[0] === VC_V1;
    if (v1) credential.issuanceDate ??= dateTime(now());
    else credential.validFrom ??= dateTime(now());
    const parsed = parseCredentialShape(credential);
    if ('problems' in parsed) {
      throw new RegistryError('INVALID_CREDENTIAL', parsed.problems.join('; '), { problems: parsed.problems });
    }
    return credential;
  }

  /** How the credential is to be secured, from the options: a cryptosuite, or a JWT format and algorithm. */
  function securing(
    issueOptions: IssueOptions,
  ): { cryptosuite: Cryptosuite } | { format: JwtFormat; alg: JwtSigningAlgorithm } {
    const { format } = issueOptions;
    if (format === undefined) {
      if (issueOptions.alg !== undefined)
        throw new RegistryError('INVALID_CREDENTIAL', 'options.alg needs options.format');
      const cryptosuite = issueOptions.cryptosuite ?? 'eddsa-rdfc-2022';
      if (!isCryptosuite(cryptosuite)) {
        throw new RegistryError('INVALID_CREDENTIAL', `options.cryptosuite must be one of ${CRYPTOSUITES.join(', ')}`);
      }
      return { cryptosuite };
    }
    if (!isJwtFormat(format) || !options.signJwt) {
      throw new RegistryError('INVALID_CREDENTIAL', `options.format must be one of ${JWT_FORMATS.join(', ')}`);
    }
    if (issueOptions.cryptosuite !== undefined) {
      throw new RegistryError(
        'INVALID_CREDENTIAL',
        'options.cryptosuite is for Data Integrity: a JWT takes options.alg',
      );
    }
    const alg = issueOptions.alg ?? 'EdDSA';
    if (!JWT_SIGNING_ALGORITHMS.includes(alg as JwtSigningAlgorithm)) {
      throw new RegistryError('INVALID_CREDENTIAL', `options.alg must be one of ${JWT_SIGNING_ALGORITHMS.join(', ')}`);
    }
    return { format, alg: alg as JwtSigningAlgorithm };
  }

  async function issue(input: unknown, issueOptions: IssueOptions = {}): Promise<IssuedCredential> {
    const secured = securing(issueOptions);
    const requests = parseStatusRequests(issueOptions.credentialStatus);
    // The P-256 key signs as the ECDSA issuer DID (decision 0021), whether in a proof or a JWT.
    const p256 = 'format' in secured ? secured.alg === 'ES256' : isEcdsaCryptosuite(secured.cryptosuite);
    const issuerDid = p256 ? (options.ecdsaDid ?? did) : did;
    const format = 'format' in secured ? secured.format : undefined;
    const credential = prepare(input, issuerDid, issueOptions.requireIssuer === true, format);
    const id = credential.id as string;
    // Check and write as one step per id: without the lock, parallel requests with one client-supplied id all
    // passed the check before any of them wrote, and each was acknowledged (issue 16, finding 12).
    return withIdLock(id, async () => {
      if (await database.issued.get(id)) {
        throw new NodeError('CREDENTIAL_EXISTS', `credential ${id} was already issued`);
      }
      const slots: StatusSlot[] = [];
      let stored = false;
      try {
        for (const request of requests) slots.push(await options.statusLists.allocate(request.purpose, request.size));
        const entries = [
          // A caller's own well-formed entries are kept; the node's follow.
          ...asArray(credential.credentialStatus as unknown),
          ...slots.map((slot, i) =>
            statusEntryFor(requests[i] as StatusRequest, options.statusLists.listUrl(slot.listId), slot.index),
          ),
        ];
        credential.credentialStatus = entries.length === 1 ? entries[0] : entries;
        const contexts = asArray(credential['@context'] as unknown);
        // VC 1.1 does not define BitstringStatusListEntry. Its terms go inline: verifiers' document loaders
        // (the W3C Data Integrity suites' among them) often cannot load the status/v1 context by URL.
        if (contexts[0] === VC_V1) credential['@context'] = [...contexts, STATUS_LIST_V1_INLINE_CONTEXT];
        let signed: IssuedCredential;
        try {
          if ('format' in secured) {
            const jwt = await options.signJwt!(credential, secured.format, secured.alg);
            signed = secured.format === 'vc+jwt' ? envelopedCredential(jwt) : jwt;
          } else signed = await options.sign(credential, secured.cryptosuite);
        } catch (error) {
          // jsonld safe mode names undefined terms: that is the caller's credential, not our fault.
          throw new RegistryError('INVALID_CREDENTIAL', `cannot sign this credential: ${(error as Error).message}`);
        }
        const record: IssuedRecord = {
          status: slots,
          issuedAt: now().toISOString(),
          ...('format' in secured
            ? { cryptosuite: secured.alg, format: secured.format }
            : { cryptosuite: secured.cryptosuite }),
          // What the node would show of a JWT is the credential inside it.
          ...(options.storeCredentials ? { credential: 'format' in secured ? credential : (signed as Json) } : {}),
        };
        await database.db.batch(
          [
            { type: 'put', sublevel: database.issued, key: id, value: record },
            ...slots.flatMap((slot) => options.statusLists.takeOperations(slot, id)),
          ] as never,
          { sync: true },
        );
        stored = true;
        const { credential: _body, ...indexEntry } = record;
        await options.ledger.acknowledge({ op: 'issue', id, record: indexEntry as Record<string, unknown> });
        // A JWT's label is its format (vc+jwt, jwt_vc_json): the metric's label set stays small.
        const securedAs = 'format' in secured ? secured.format : secured.cryptosuite;
        options.metrics?.credentialIssued(securedAs);
        options.logger?.info(
          {
            credentialId: id,
            cryptosuite: securedAs,
            status: slots.map(({ purpose, listId, index }) => ({ purpose, listId, index })),
          },
          'credential issued',
        );
        return signed;
      } catch (error) {
        // Once stored, the slots are the credential's even if what follows failed: never hand them out again.
        if (!stored) for (const slot of slots) options.statusLists.release(slot);
        throw error;
      }
    });
  }

  async function get(credentialId: string): Promise<IssuedRecord | undefined> {
    return (await database.issued.get(credentialId)) as IssuedRecord | undefined;
  }

  async function list(page: { after?: string; limit: number; contains?: string }): Promise<IssuedEntry[]> {
    const entries: IssuedEntry[] = [];
    const needle = page.contains?.toLowerCase();
    const range = page.after === undefined ? {} : { gt: page.after };
    for await (const [id, value] of database.issued.iterator(range)) {
      const record = value as IssuedRecord;
      const name = typeof record.credential?.name === 'string' ? record.credential.name : undefined;
      if (needle && !id.toLowerCase().includes(needle) && !name?.toLowerCase().includes(needle)) continue;
      const status = await Promise.all(
        record.status.map(async (slot) => ({ ...slot, set: await options.statusLists.getStatus(slot) })),
      );
      entries.push({ id, issuedAt: record.issuedAt, ...(name ? { name } : {}), status });
      if (entries.length >= page.limit) break;
    }
    return entries;
  }

  async function setStatus(credentialId: unknown, purpose: unknown, value: unknown) {
    if (typeof credentialId !== 'string' || credentialId === '') {
      throw new RegistryError('INVALID_CREDENTIAL', 'credentialId must be a non-empty string');
    }
    // A one-bit purpose takes true/false; a multi-bit `message` entry a number or its 0x… hex (checked below).
    const multiBit = typeof value === 'number' || (typeof value === 'string' && /^0x[0-9a-fA-F]{1,2}$/.test(value));
    if (typeof value !== 'boolean' && !multiBit) {
      throw new RegistryError(
        'INVALID_CREDENTIAL',
        'status must be true or false (or a status value for a message entry)',
      );
    }
    if (!STATUS_PURPOSES.includes(purpose as StatusPurpose)) {
      throw new RegistryError('INVALID_CREDENTIAL', `statusPurpose must be one of ${STATUS_PURPOSES.join(', ')}`);
    }
    const record = await get(credentialId);
    if (!record) throw new NodeError('CREDENTIAL_NOT_FOUND', `this node issued no credential ${credentialId}`);
    const slot = record.status.find((s) => s.purpose === purpose);
    if (!slot) {
      throw new RegistryError(
        'STATUS_PURPOSE_NOT_ISSUED',
        `credential ${credentialId} was issued without a ${purpose} entry`,
      );
    }
    const size = slot.size ?? 1;
    const numeric = typeof value === 'string' ? Number.parseInt(value.slice(2), 16) : Number(value);
    if (
      typeof value !== 'boolean' &&
      (size === 1 || !Number.isInteger(numeric) || numeric < 0 || numeric >= 2 ** size)
    ) {
      throw new RegistryError('INVALID_CREDENTIAL', `status must be a value from 0 to ${2 ** size - 1} for this entry`);
    }
    const status = typeof value === 'boolean' ? value : numeric;
    const { changed } = await options.statusLists.setStatus(slot, status);
    if (changed) {
      options.metrics?.statusChanged(slot.purpose);
      options.logger?.info(
        { credentialId, purpose: slot.purpose, listId: slot.listId, index: slot.index, status },
        'credential status changed',
      );
    }
    return { changed, slot };
  }

  // Without a format the result is always a JSON credential: the overloads say so to callers.
  return { issue: issue as Issuer['issue'], setStatus, get, list };
}
