/**
 * The verification coordinator: small checks in a fixed order (schema, proof,
 * issuer key, validity, status, trust), each reported `ok | failed |
 * unchecked`. It gathers what the checks need (DID documents, status lists)
 * and hands CPU-heavy proof checks to a ProofVerifier (in-process or workers).
 */

import { createHash } from 'node:crypto';
import {
  MAX_CREDENTIALS_PER_REQUEST,
  MAX_DIDS_PER_CREDENTIAL,
  MAX_DIDS_PER_REQUEST,
  MAX_PROOFS_PER_DOCUMENT,
  MAX_STATUS_ENTRIES_PER_CREDENTIAL,
  MAX_STATUS_ENTRIES_PER_REQUEST,
  VERIFY_DEADLINE_MS,
} from '../../protocol/constants.ts';
import { withDeadline } from '../../protocol/deadline.ts';
import {
  JwtCredentialError,
  type OpenedJwt,
  openJwtCredential,
  securedJwtOf,
  verifyJwtCredential,
} from '../../protocol/jose/vc-jwt.ts';
import { ob2InputOf } from '../../protocol/ob2/documents.ts';
import { bundledContextDigests } from '../../protocol/signing/context-digests.ts';
import type { DidResolution } from '../../protocol/signing/did-resolution.ts';
import type { HttpsControllers } from '../../protocol/signing/https-controllers.ts';
import type { ProofJob, ProofPurposeSpec, ProofVerifier } from '../../protocol/signing/proof-verifier.ts';
import type { ProofsResult } from '../../protocol/signing/verify-proofs.ts';
import { RegistryError } from '../../registry/errors.ts';
import type { TrustAnswer, TrustQuery } from '../../registry/trust.ts';
import { nestedCredentialsOf, nestedNotices } from '../../registry/verification/clr.ts';
import { asArray, type CredentialShape, checkShape, issuerIdOf } from '../../registry/verification/credential-shape.ts';
import {
  credentialCost,
  presentationCost,
  requestCost,
  type VerificationLimits,
} from '../../registry/verification/limits.ts';
import {
  buildReport,
  type Check,
  type CheckName,
  failed,
  ISSUER_NOT_DID,
  isValid,
  type Notice,
  ok,
  STATUS_REPLICA_STALE,
  unchecked,
  type VerificationReport,
} from '../../registry/verification/report.ts';
import {
  parseStatusEntry,
  readStatusList,
  statusListSignerProblem,
  statusOutcome,
} from '../../registry/verification/status.ts';
import { checkJwtValidity, checkValidity } from '../../registry/verification/validity.ts';
import type { FreshnessView } from '../replication/replica-freshness.ts';
import { abandoned } from './abandoned.ts';
import { type BitstringCache, createBitstringCache } from './bitstring-cache.ts';
import type { Ob2Verifier } from './ob2-verifier.ts';
import type { SkillsCheck } from './skills-check.ts';
import type { StatusListSource } from './status-lists.ts';

type Json = Record<string, unknown>;

/** The registry's view of an issuer for one credential: the trust answer and who the networks say it is. */
export interface TrustResult {
  answer: TrustAnswer;
  issuer?: {
    name?: string;
    url?: string;
    logo?: string;
    networks: Array<{ id: string; name?: string; accreditations?: unknown[] }>;
  };
}

/** May ask other federations (decision 0026), so it may be asynchronous and takes the deadline's signal. */
export type TrustEvaluator = (query: TrustQuery, signal?: AbortSignal) => TrustResult | Promise<TrustResult>;

export interface VerifierOptions {
  /** Was a signing key valid at issuance, by the issuer's published key history (undefined: no history)? */
  keyValidity?: (
    verificationMethod: string,
    issuedAt: Date,
  ) => { valid: boolean; code: string; message: string } | undefined;
  /** Resolves OB alignments to published skills; without it there is no skills check. */
  skills?: SkillsCheck;
  /** Evaluates trust paths from the node's anchors; without it the trust check is unchecked. */
  trust?: TrustEvaluator;
  didResolution: DidResolution;
  /**
   * https controller documents (1EdTech's verification-method convention), from the hosts the operator allowed
   * (decision 0035); without it an https issuer or key is not resolved at all.
   */
  httpsControllers?: HttpsControllers;
  proofVerifier: ProofVerifier;
  statusLists: StatusListSource;
  /**
   * How current the replica is for an issuer's status lists (the followed networks listing it). Without it, or
   * when it answers undefined (no replication runs), a replicated list counts as current.
   */
  replicaFreshness?: (issuer: string) => FreshnessView | undefined;
  now?: () => Date;
  /**
   * How many verified status lists to remember (least recently used go first), so a list's proof is checked
   * once per version. Only a verified list is remembered: a failure, whatever caused it, is checked again.
   */
  maxStatusListCache?: number;
  /** One deadline for the outbound work of one verification request (default VERIFY_DEADLINE_MS). */
  deadlineMs?: number;
  /** Verifies Open Badges 2.0 assertions (hosted, signed); without it they are reported unchecked. */
  ob2?: Ob2Verifier;
  /** Where decoded status lists are remembered (default: a cache of its own, bitstring-cache.ts). */
  bitstrings?: BitstringCache;
}

export interface VerifyOptions {
  /** Evaluate validity as of this time instead of now. */
  at?: Date;
  /** Abandons pending outbound work (pass the HTTP request's signal: a client that left stops the work). */
  signal?: AbortSignal;
  /**
   * Checks the caller requires (VC API `options.checks`; schema and proof always): their failures are errors, so
   * `verified` is false, and other checks' failures are warnings. Without it: schema, proof and issuer are required,
   * and validity, status and trust are warnings, as in W3C VCALM (docs/decisions/0022).
   */
  required?: readonly CheckName[];
  /** The identity the holder claims (email, URL, telephone), checked against an OB 2.0 badge's recipient. */
  recipient?: string;
}

/** Refused before any work, with PAYLOAD_TOO_COMPLEX (413): see registry/verification/limits.ts. */
export const VERIFICATION_LIMITS: VerificationLimits = {
  statusEntriesPerCredential: MAX_STATUS_ENTRIES_PER_CREDENTIAL,
  proofsPerDocument: MAX_PROOFS_PER_DOCUMENT,
  didsPerCredential: MAX_DIDS_PER_CREDENTIAL,
  credentialsPerRequest: MAX_CREDENTIALS_PER_REQUEST,
  statusEntriesPerRequest: MAX_STATUS_ENTRIES_PER_REQUEST,
  didsPerRequest: MAX_DIDS_PER_REQUEST,
};

export interface PresentationReport extends VerificationReport {
  credentials: VerificationReport[];
}

export interface CredentialVerifier {
  verifyCredential(credential: unknown, options?: VerifyOptions): Promise<VerificationReport>;
  /** Several credentials for one request (/skills/match): limits and the deadline apply to them together. */
  verifyCredentials(credentials: unknown[], options?: VerifyOptions): Promise<VerificationReport[]>;
  verifyPresentation(
    presentation: unknown,
    options?: VerifyOptions & { challenge?: string; domain?: string },
  ): Promise<PresentationReport>;
}

function firstProofCreated(document: Json): string | undefined {
  const created = (asArray(document.proof as unknown)[0] as Json | undefined)?.created;
  return typeof created === 'string' && !Number.isNaN(Date.parse(created)) ? created : undefined;
}

/** OB 3.0: credentialSubject.achievement.achievementType, when the accreditation is that narrow. */
function achievementTypeOf(document: Json): string | undefined {
  const subject = asArray(document.credentialSubject as unknown)[0] as Json | undefined;
  const type = (subject?.achievement as Json | undefined)?.achievementType;
  return typeof type === 'string' ? type : undefined;
}

/** Freezes an object and everything in it (iteratively: JSON from outside may be deep). */
function deepFreeze(value: object): void {
  const seen = new Set<object>();
  const stack: object[] = [value];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    Object.freeze(node);
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push(child);
  }
}

function didOf(url: string): string {
  return url.split('#')[0];
}

function verificationMethodsOf(document: Json): string[] {
  return asArray(document.proof as unknown)
    .map((p) => (p && typeof p === 'object' ? (p as Json).verificationMethod : undefined))
    .filter((vm): vm is string => typeof vm === 'string');
}

/**
 * A JOSE-secured credential (a compact JWT, or an EnvelopedVerifiableCredential of one), opened; undefined for
 * anything else. Its credential is then what every check but the proof reads (VC-JOSE-COSE, VC DM 1.1 §6.3.1).
 */
function openSecured(credential: unknown): { opened: OpenedJwt } | { malformed: string } | undefined {
  const jwt = securedJwtOf(credential);
  if (jwt === undefined) return undefined;
  try {
    return { opened: openJwtCredential(jwt) };
  } catch (error) {
    if (error instanceof JwtCredentialError) return { malformed: error.message };
    throw error;
  }
}

/** A proof job that could not run (e.g. its worker was found corrupted and replaced) proves nothing either way. */
type ProofOutcome = ProofsResult | { internalError: string };

/**
 * The proof check from a proof-set result, and a notice for each proof set aside: a proof of a kind this node
 * cannot check, which no other proof needs, while another proof verified (docs/decisions/0023).
 */
function proofCheck(outcome: ProofOutcome, notices: Notice[]): Check {
  if ('internalError' in outcome) return unchecked('proof', 'PROOF_CHECK_FAILED', outcome.internalError);
  const result = outcome;
  if (result.proofs.length === 0) return failed('proof', 'NO_PROOF', 'no proof');
  if (result.verified) {
    for (const p of result.proofs.filter((r) => !r.verified)) {
      notices.push({ code: 'UNSUPPORTED_PROOF_IGNORED', message: `${p.suite} proof not checked: unsupported here` });
    }
    return ok(
      'proof',
      result.proofs
        .filter((p) => p.verified)
        .map((p) => p.suite)
        .join(' + '),
    );
  }
  const bad =
    result.proofs.find((p) => !p.verified && p.code !== 'UNSUPPORTED_PROOF') ?? result.proofs.find((p) => !p.verified)!;
  const detail = `${bad.suite}: ${bad.error ?? 'does not verify'}`;
  if (bad.code === 'KEY_UNRESOLVED') return unchecked('proof', 'KEY_UNRESOLVED', detail);
  return failed('proof', bad.code ?? 'INVALID_SIGNATURE', detail);
}

/** The verification methods of the proofs that verified. */
function verifiedMethods(outcome: ProofOutcome | undefined): string[] {
  if (!outcome || 'internalError' in outcome) return [];
  return outcome.proofs.filter((p) => p.verified && p.verificationMethod).map((p) => p.verificationMethod!);
}

export function createVerifier(options: VerifierOptions): CredentialVerifier {
  const now = options.now ?? (() => new Date());
  const maxCache = options.maxStatusListCache ?? 10_000;
  // Digests of verified lists (with the DID documents that verified them), in least-recently-used order.
  // 10,000 entries of ~45 bytes each: the cache stays well under a few MiB whatever lists are posted.
  const verifiedLists = new Map<string, true>();
  const bitstrings = options.bitstrings ?? createBitstringCache();
  // The digest of a list's (or DID document's) content, remembered per object: the sources hand out the same
  // object while a list is current (this node's own, the replica, the fetched-list cache; the DID cache), and a
  // new version is a new object. Hashing the list and its DID documents for every credential was ~5% of the main
  // thread's time under bench:verify, ~9% for batches (decision 0046). The object is frozen when first digested,
  // so that its digest cannot go stale: code that changed it in place would throw instead.
  const digests = new WeakMap<object, string>();
  function contentDigest(value: unknown): string {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
    const known = digests.get(value);
    if (known !== undefined) return known;
    const digest = createHash('sha256').update(JSON.stringify(value)).digest('base64url');
    deepFreeze(value);
    digests.set(value, digest);
    return digest;
  }

  async function runProofs(job: ProofJob): Promise<ProofOutcome> {
    try {
      return await options.proofVerifier.verify(job);
    } catch (error) {
      return { internalError: `proof check failed internally: ${(error as Error).message}` };
    }
  }

  const deadlineMs = options.deadlineMs ?? VERIFY_DEADLINE_MS;
  const withVerifyDeadline = <T>(parent: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>) =>
    withDeadline(deadlineMs, parent, work);

  async function resolveDids(
    dids: string[],
    signal: AbortSignal,
  ): Promise<{ documents: Json; failures: Map<string, string> }> {
    // Keyed by DIDs from the input: no inherited names.
    const documents: Json = Object.create(null);
    const failures = new Map<string, string>();
    await Promise.all(
      [...new Set(dids)].map(async (did) => {
        if (!did.startsWith('did:')) {
          const controllers = options.httpsControllers;
          if (!controllers || !did.startsWith('https:')) {
            failures.set(did, 'not a DID');
            return;
          }
          const result = await controllers.resolve(did, { signal });
          if (result.document) documents[did] = result.document;
          else {
            documents[did] = null;
            failures.set(did, `${result.error} (${result.message})`);
          }
          return;
        }
        const result = await options.didResolution.resolve(did, {}, { signal });
        if (result.didDocument) documents[did] = result.didDocument;
        else {
          documents[did] = null;
          // The resolver's message is safe to show: outbound failures are uniform by design (outbound-fetch.ts).
          const message = result.didResolutionMetadata.message;
          failures.set(
            did,
            `${result.didResolutionMetadata.error ?? 'notFound'}${typeof message === 'string' ? ` (${message})` : ''}`,
          );
        }
      }),
    );
    return { documents, failures };
  }

  /**
   * Whether a status list may decide the status of `issuerId`'s credential: undefined if so, else the check.
   * A list signed by another DID counts only when it was fetched from the address the issuer's own signed
   * credential names (as the Bitstring Status List spec allows, and deployed issuers do), with a warning; a list
   * from the replica must be the issuer's own (docs/decisions/0013).
   */
  async function statusListProblem(
    lookup: { credential: Json; fetched?: boolean },
    issuerId: string,
    didDocuments: Json,
    warnings: Notice[],
    signal: AbortSignal,
  ): Promise<Check | undefined> {
    const slc = lookup.credential;
    const signer = statusListSignerProblem(slc, issuerId);
    if (signer && !lookup.fetched) return failed('status', 'STATUS_LIST_SIGNER_MISMATCH', signer);
    if (signer) {
      warnings.push({
        code: 'STATUS_LIST_SIGNER_DIFFERS',
        message: `status list ${String(slc.id)}: ${signer}; it counts as the list the credential names`,
      });
    }
    const dids = [...new Set(verificationMethodsOf(slc).map(didOf))];
    const missing = dids.filter((d) => !Object.hasOwn(didDocuments, d));
    const extra = missing.length > 0 ? (await resolveDids(missing, signal)).documents : {};
    const keyDocuments: Json = Object.assign(Object.create(null), didDocuments, extra);
    const key = [slc, ...dids.map((d) => keyDocuments[d] ?? null)].map(contentDigest).join('.');
    if (verifiedLists.delete(key)) {
      verifiedLists.set(key, true);
      return undefined;
    }
    const result = await runProofs({ document: slc, purpose: { kind: 'assertion' }, didDocuments: keyDocuments });
    if ('internalError' in result) return unchecked('status', 'STATUS_LIST_UNCHECKED', result.internalError);
    if (!result.verified) return failed('status', 'STATUS_LIST_INVALID', 'status list proof does not verify');
    // Proofs are verified by their own keys; a list speaks for its issuer only through the issuer's keys.
    const listIssuer = issuerIdOf(slc);
    if (verifiedMethods(result).some((vm) => didOf(vm) !== listIssuer)) {
      return failed('status', 'STATUS_LIST_INVALID', 'status list signed by a key that is not its issuer’s');
    }
    if (verifiedLists.size >= maxCache) verifiedLists.delete(verifiedLists.keys().next().value as string);
    verifiedLists.set(key, true);
    return undefined;
  }

  /**
   * A status read from the replica is as current as the replica (decision 0041): a set bit stands (a revocation
   * is final, and a stale copy cannot have invented it), but "not set" from a replica that has not completed a
   * sync since this node started is no answer: unchecked, STATUS_REPLICA_STALE.
   */
  function replicaOutcome(outcome: Check, freshness: FreshnessView | undefined): Check {
    if (!freshness || freshness.current || outcome.status !== 'ok') return outcome;
    const networks = freshness.networks.map((n) => n.network);
    return unchecked(
      'status',
      STATUS_REPLICA_STALE,
      `${outcome.message ?? 'status'} in this node's replica, which has not synced with a peer of ${
        networks.length > 0 ? `network ${networks.join(', ')}` : 'any network listing the issuer'
      } since it started (${freshness.startedAt}): a later change may not have arrived`,
    );
  }

  async function statusCheck(
    shape: CredentialShape,
    didDocuments: Json,
    at: Date,
    warnings: Notice[],
    signal: AbortSignal,
    used: { freshness?: FreshnessView },
  ): Promise<Check> {
    if (shape.statusEntries.length === 0) return ok('status', 'no status entry');
    const outcomes: Check[] = [];
    for (const raw of shape.statusEntries) {
      const entry = parseStatusEntry(raw);
      if ('code' in entry) {
        outcomes.push(unchecked('status', entry.code, entry.message));
        continue;
      }
      const lookup = signal.aborted
        ? undefined
        : await options.statusLists.get(entry.listUrl, { issuer: shape.issuerId, signal });
      if (!lookup || ('error' in lookup && signal.aborted)) {
        const { code, message } = abandoned(signal);
        outcomes.push(unchecked('status', code, message));
        continue;
      }
      if ('error' in lookup) {
        outcomes.push(unchecked('status', lookup.error.code, lookup.error.message));
        continue;
      }
      const listProblem = await statusListProblem(lookup, shape.issuerId, didDocuments, warnings, signal);
      if (listProblem) {
        outcomes.push(listProblem);
        continue;
      }
      if (lookup.replica && options.replicaFreshness) used.freshness ??= options.replicaFreshness(shape.issuerId);
      try {
        const outcome = statusOutcome(
          readStatusList(lookup.credential, { entry, now: at, decode: bitstrings.decode }),
          entry,
        );
        outcomes.push(lookup.replica ? replicaOutcome(outcome, used.freshness) : outcome);
      } catch (error) {
        const code = error instanceof RegistryError ? error.code : 'STATUS_LIST_INVALID';
        outcomes.push(failed('status', code, (error as Error).message));
      }
    }
    // The worst outcome decides: failed over unchecked over ok.
    const worst = outcomes.find((c) => c.status === 'failed') ?? outcomes.find((c) => c.status === 'unchecked');
    return worst ?? ok('status', outcomes.map((c) => c.message).join('; '));
  }

  async function verifyCredential(credential: unknown, verifyOptions: VerifyOptions = {}): Promise<VerificationReport> {
    credentialCost(credential, VERIFICATION_LIMITS);
    return withVerifyDeadline(verifyOptions.signal, (signal) =>
      verifyOne(credential, verifyOptions.at ?? now(), signal, verifyOptions.required, false, verifyOptions.recipient),
    );
  }

  async function verifyCredentials(credentials: unknown[], verifyOptions: VerifyOptions = {}) {
    requestCost(credentials, VERIFICATION_LIMITS);
    const at = verifyOptions.at ?? now();
    return withVerifyDeadline(verifyOptions.signal, (signal) =>
      Promise.all(
        credentials.map((c) => verifyOne(c, at, signal, verifyOptions.required, false, verifyOptions.recipient)),
      ),
    );
  }

  async function verifyOne(
    credential: unknown,
    at: Date,
    signal: AbortSignal,
    required?: readonly CheckName[],
    nested = false,
    recipient?: string,
  ): Promise<VerificationReport> {
    // Open Badges 2.0 (an assertion, its hosted URL, or a JWS of one): its own checks, the same report.
    const ob2 = ob2InputOf(credential);
    if (ob2) {
      if (options.ob2) return options.ob2.verify(ob2, { at, signal, ...(required ? { required } : {}), recipient });
      return buildReport({
        checks: (['schema', 'proof', 'issuer', 'validity', 'status', 'trust'] as const).map((name) =>
          unchecked(name, 'OB2_NOT_SUPPORTED', 'this verifier is not set up for Open Badges 2.0'),
        ),
        issuer: { did: null, networks: [] },
      });
    }
    const malformed = (check: Check, code: string) =>
      buildReport({
        checks: [
          check,
          ...(['proof', 'issuer', 'validity', 'status', 'trust'] as const).map((name) =>
            unchecked(name, code, 'not checked: the credential is malformed'),
          ),
        ],
        issuer: { did: null, networks: [] },
      });
    const secured = openSecured(credential);
    if (secured && 'malformed' in secured) {
      return malformed(failed('schema', 'MALFORMED_JWT', secured.malformed), 'MALFORMED_JWT');
    }
    const jose = secured?.opened;
    // A JWT's claims count against the limits as a credential sent as JSON would.
    if (jose) credentialCost(jose.credential, VERIFICATION_LIMITS);
    const schema = checkShape(jose ? jose.credential : credential, { resourceDigests: bundledContextDigests });
    if (!schema.shape) return malformed(schema.check, 'INVALID_SHAPE');
    const { shape } = schema;
    const document = (jose ? jose.credential : credential) as Json;
    const methods = jose ? (jose.verificationMethod ? [jose.verificationMethod] : []) : verificationMethodsOf(document);
    const { documents, failures } = await resolveDids([shape.issuerId, ...methods.map(didOf)], signal);
    const warnings: Notice[] = schema.warnings.map((message) => ({ code: 'OB_CONTEXT_MISSING', message }));

    // Data Integrity: each proof is checked by its own verification method, whether or not the issuer resolves;
    // that the key is the issuer's is the issuer check below, with its own codes. A JWT: its one signature, by
    // the key its header names (one signature check, in-process).
    const proofs = jose
      ? await verifyJwtCredential(jose, documents).catch(
          (error: Error): ProofOutcome => ({ internalError: `JWT check failed internally: ${error.message}` }),
        )
      : await runProofs({ document, purpose: { kind: 'assertion' }, didDocuments: documents });
    const proof = proofCheck(proofs, warnings);

    let issuer: Check;
    const signers = verifiedMethods(proofs);
    const byIssuer = signers.filter((vm) => didOf(vm) === shape.issuerId);
    if (byIssuer.length === 0 && failures.has(shape.issuerId) && signal.aborted) {
      const { code, message } = abandoned(signal);
      issuer = unchecked('issuer', code, message);
    } else if (!shape.issuerId.startsWith('did:') && !documents[shape.issuerId] && signers.length > 0) {
      // An issuer named by a URL that is not a DID (VC DM 2.0 allows any URL) has no controller document saying
      // which keys speak for it: the relationship is not established, which is not evidence of tampering
      // (decision 0028). Unchecked, never ok, so the credential is neither valid nor trusted.
      issuer = unchecked(
        'issuer',
        ISSUER_NOT_DID,
        `${shape.issuerId} is not a DID: which keys speak for it cannot be established (the proof is by ${signers[0]})`,
      );
    } else if (byIssuer.length === 0 && failures.has(shape.issuerId)) {
      issuer = failed('issuer', 'DID_UNRESOLVABLE', `${shape.issuerId}: ${failures.get(shape.issuerId)}`);
    } else if (signers.length === 0) {
      issuer = unchecked('issuer', 'PROOF_FAILED', 'the issuer key is only established by a valid proof');
    } else if (byIssuer.length === 0) {
      issuer = failed('issuer', 'ISSUER_KEY_MISMATCH', `${signers[0]} is not a key of the issuer ${shape.issuerId}`);
    } else {
      // Another party's valid proof (an endorsement, a notary's chained proof) is no issuer's word, but no harm.
      for (const vm of signers.filter((m) => didOf(m) !== shape.issuerId)) {
        warnings.push({ code: 'PROOF_NOT_BY_ISSUER', message: `a proof by ${vm}, which is not the issuer's key` });
      }
      const signedAt = shape.validFrom ?? firstProofCreated(document);
      const invalidKey = byIssuer
        .map((vm) => options.keyValidity?.(vm, signedAt ? new Date(signedAt) : at))
        .find((v) => v && !v.valid);
      issuer = invalidKey
        ? failed('issuer', invalidKey.code, invalidKey.message)
        : ok('issuer', `signed by ${byIssuer.join(', ')}`);
    }

    const replicaUsed: { freshness?: FreshnessView } = {};
    const checks = [
      schema.check,
      proof,
      issuer,
      jose?.signatureLifetime ? checkJwtValidity(shape, jose.signatureLifetime, at) : checkValidity(shape, at),
      await statusCheck(shape, documents, at, warnings, signal, replicaUsed),
    ];
    const issuedAt = shape.validFrom ?? firstProofCreated(document);
    const trust = await options.trust?.(
      {
        issuer: shape.issuerId,
        credentialTypes: shape.types.filter((t) => t !== 'VerifiableCredential'),
        achievementType: achievementTypeOf(document),
        issuedAt: issuedAt ? new Date(issuedAt) : at,
        at,
      },
      signal,
    );
    if (!trust) checks.push(unchecked('trust', 'NO_TRUST_REGISTRY', 'this node has no trust registry'));
    else if (trust.answer.trusted) checks.push(ok('trust', trust.answer.message));
    else if (trust.answer.code === 'NO_ANCHORS' || trust.answer.unchecked)
      checks.push(unchecked('trust', trust.answer.code, trust.answer.message));
    else checks.push(failed('trust', trust.answer.code, trust.answer.message));
    const skills = options.skills?.(document, trust?.answer.accreditation);
    if (skills) {
      checks.push(skills.check);
      warnings.push(...skills.warnings);
    }
    // Who the issuer is comes from the registry, not from what the credential says about itself.
    const listed = trust?.issuer;
    // CLR 2.0: each nested credential verified in its own right (one level: a CLR nested in a CLR is not opened).
    const inner = nested ? [] : nestedCredentialsOf(document, shape.types);
    if (inner.length > 0) requestCost(inner, VERIFICATION_LIMITS);
    const credentials = await Promise.all(inner.map((c) => verifyOne(c, at, signal, required, true)));
    warnings.push(...nestedNotices(credentials));
    const report = buildReport({
      checks,
      warnings,
      ...(required ? { required } : {}),
      issuer: listed
        ? { did: shape.issuerId, ...listed }
        : { did: shape.issuerId, ...(shape.issuerName ? { claimedName: shape.issuerName } : {}), networks: [] },
      credentialId: shape.id,
      ...(trust?.answer.trustPath ? { trustPath: trust.answer.trustPath } : {}),
      ...(skills ? { skills: skills.skills } : {}),
      ...(replicaUsed.freshness ? { freshness: replicaUsed.freshness } : {}),
    });
    return credentials.length > 0 ? { ...report, credentials } : report;
  }

  async function verifyPresentation(
    presentation: unknown,
    verifyOptions: VerifyOptions & { challenge?: string; domain?: string } = {},
  ): Promise<PresentationReport> {
    if (!presentation || typeof presentation !== 'object' || Array.isArray(presentation)) {
      throw new RegistryError('INVALID_PRESENTATION', 'verifiablePresentation must be an object');
    }
    const vp = presentation as Json;
    if (!asArray(vp.type as unknown).includes('VerifiablePresentation')) {
      throw new RegistryError('INVALID_PRESENTATION', 'type must include VerifiablePresentation');
    }
    presentationCost(vp, VERIFICATION_LIMITS);
    return withVerifyDeadline(verifyOptions.signal, (signal) => verifyPresentationWithin(vp, verifyOptions, signal));
  }

  async function verifyPresentationWithin(
    vp: Json,
    verifyOptions: VerifyOptions & { challenge?: string; domain?: string },
    signal: AbortSignal,
  ): Promise<PresentationReport> {
    const at = verifyOptions.at ?? now();
    const embedded = asArray(vp.verifiableCredential as unknown);
    const credentials = await Promise.all(
      embedded.map((c) => verifyOne(c, at, signal, verifyOptions.required, false, verifyOptions.recipient)),
    );
    const warnings: Notice[] = [];
    const methods = verificationMethodsOf(vp);
    let proof: Check;
    if (methods.length === 0) {
      proof = failed('proof', 'NO_PROOF', 'the presentation is not signed');
    } else {
      const firstProof = asArray(vp.proof as unknown)[0] as Json;
      if (verifyOptions.challenge === undefined)
        warnings.push({ code: 'NO_CHALLENGE', message: 'no challenge was requested: replay is not prevented' });
      const purpose: ProofPurposeSpec = {
        kind: 'authentication',
        challenge: verifyOptions.challenge ?? (typeof firstProof.challenge === 'string' ? firstProof.challenge : ''),
        domain: verifyOptions.domain,
      };
      const { documents } = await resolveDids(methods.map(didOf), signal);
      proof = proofCheck(await runProofs({ document: vp, purpose, didDocuments: documents }), warnings);
    }
    const holder = typeof vp.holder === 'string' ? vp.holder : (vp.holder as Json | undefined)?.id;
    const holderCheck =
      typeof holder === 'string' && methods.some((vm) => didOf(vm) !== holder)
        ? failed('issuer', 'HOLDER_KEY_MISMATCH', `presentation signed by a key that is not the holder ${holder}'s`)
        : proof.status === 'ok'
          ? ok('issuer', holder ? `holder ${holder}` : 'no holder stated')
          : unchecked('issuer', 'PROOF_FAILED', 'holder key is only established by a valid proof');
    // An embedded credential that fails integrity makes the presentation unverified (an error); one that is only
    // revoked, suspended or expired makes it not valid (the status check: a warning unless required).
    const allCredentials: Check =
      credentials.length === 0
        ? ok('status', 'no credentials')
        : credentials.every(isValid)
          ? ok('status', `${credentials.length} credential(s) valid`)
          : failed('status', 'CREDENTIAL_NOT_VALID', 'an embedded credential is not valid (see credentials)');
    const embeddedErrors: Notice[] = credentials
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => !c.verified)
      .map(({ c, i }) => ({
        code: 'CREDENTIAL_NOT_VERIFIED',
        message: `credential ${i + 1} does not verify: ${c.errors.map((e) => e.code).join(', ')}`,
      }));
    const report = buildReport({
      checks: [
        ok('schema', 'VerifiablePresentation'),
        proof,
        holderCheck,
        ok('validity', 'presentations carry no validity period here'),
        allCredentials,
        credentials.length > 0 && credentials.every((c) => c.trusted)
          ? ok('trust', 'every credential is from a trusted issuer')
          : credentials.some((c) => c.checks.find((k) => k.name === 'trust')?.status === 'failed')
            ? failed('trust', 'CREDENTIAL_NOT_TRUSTED', 'a credential is not from an issuer trusted here')
            : unchecked('trust', 'TRUST_UNCHECKED', 'trust of the credentials could not be established'),
      ],
      warnings,
      errors: embeddedErrors,
      ...(verifyOptions.required ? { required: verifyOptions.required } : {}),
      issuer: { did: typeof holder === 'string' ? holder : null, networks: [] },
    });
    return { ...report, credentials };
  }

  return { verifyCredential, verifyCredentials, verifyPresentation };
}
