/**
 * The verification coordinator: small checks in a fixed order (schema, proof,
 * issuer key, validity, status, trust), each reported `ok | failed |
 * unchecked`. It gathers what the checks need (DID documents, status lists)
 * and hands CPU-heavy proof checks to a ProofVerifier (in-process or workers).
 */
import { createHash } from 'node:crypto';
import type { DidResolution } from '../../protocol/signing/did-resolution.ts';
import type { ProofPurposeSpec, ProofVerifier } from '../../protocol/signing/proof-verifier.ts';
import type { ProofsResult } from '../../protocol/signing/verify-proofs.ts';
import { RegistryError } from '../../registry/errors.ts';
import type { TrustAnswer, TrustQuery } from '../../registry/trust.ts';
import { asArray, type CredentialShape, checkShape } from '../../registry/verification/credential-shape.ts';
import {
  buildReport,
  type Check,
  failed,
  ok,
  unchecked,
  type VerificationReport,
} from '../../registry/verification/report.ts';
import { isStatusSet, parseStatusEntry, readStatusList, sameIssuer } from '../../registry/verification/status.ts';
import { checkValidity } from '../../registry/verification/validity.ts';
import type { SkillsCheck } from './skills-check.ts';
import type { StatusListSource } from './status-lists.ts';

type Json = Record<string, unknown>;

/** The registry's view of an issuer for one credential: the trust answer and who the networks say it is. */
export type TrustEvaluator = (query: TrustQuery) => {
  answer: TrustAnswer;
  issuer?: {
    name?: string;
    url?: string;
    logo?: string;
    networks: Array<{ id: string; name?: string; accreditations?: unknown[] }>;
  };
};

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
  proofVerifier: ProofVerifier;
  statusLists: StatusListSource;
  now?: () => Date;
  /** Verified status lists kept by content, so a list is checked once per version. */
  maxStatusListCache?: number;
}

export interface VerifyOptions {
  /** Evaluate validity as of this time instead of now. */
  at?: Date;
}

export interface PresentationReport extends VerificationReport {
  credentials: VerificationReport[];
}

export interface CredentialVerifier {
  verifyCredential(credential: unknown, options?: VerifyOptions): Promise<VerificationReport>;
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

function didOf(url: string): string {
  return url.split('#')[0];
}

function verificationMethodsOf(document: Json): string[] {
  return asArray(document.proof as unknown)
    .map((p) => (p && typeof p === 'object' ? (p as Json).verificationMethod : undefined))
    .filter((vm): vm is string => typeof vm === 'string');
}

/** The proof check from a proof-set result. */
function proofCheck(result: ProofsResult): Check {
  if (result.proofs.length === 0) return failed('proof', 'NO_PROOF', 'no proof');
  if (result.verified) return ok('proof', result.proofs.map((p) => p.suite).join(' + '));
  const bad = result.proofs.find((p) => !p.verified)!;
  if (bad.unresolvedKey) return unchecked('proof', 'KEY_UNRESOLVED', `${bad.suite}: ${bad.error}`);
  if (bad.code) return failed('proof', bad.code, `${bad.suite}: ${bad.error}`);
  if (bad.error === 'unsupported proof type')
    return failed('proof', 'UNSUPPORTED_PROOF', `${bad.suite} is not supported`);
  return failed('proof', 'INVALID_SIGNATURE', `${bad.suite}: ${bad.error}`);
}

export function createVerifier(options: VerifierOptions): CredentialVerifier {
  const now = options.now ?? (() => new Date());
  const maxCache = options.maxStatusListCache ?? 10_000;
  const verifiedLists = new Map<string, boolean>();

  async function resolveDids(dids: string[]): Promise<{ documents: Json; failures: Map<string, string> }> {
    const documents: Json = {};
    const failures = new Map<string, string>();
    await Promise.all(
      [...new Set(dids)].map(async (did) => {
        if (!did.startsWith('did:')) {
          failures.set(did, 'not a DID');
          return;
        }
        const result = await options.didResolution.resolve(did);
        if (result.didDocument) documents[did] = result.didDocument;
        else {
          documents[did] = null;
          failures.set(did, `${result.didResolutionMetadata.error ?? 'notFound'}`);
        }
      }),
    );
    return { documents, failures };
  }

  async function statusListUsable(slc: Json, didDocuments: Json): Promise<string | undefined> {
    const key = createHash('sha256').update(JSON.stringify(slc)).digest('base64url');
    const known = verifiedLists.get(key);
    if (known !== undefined) return known ? undefined : 'status list proof does not verify';
    const dids = verificationMethodsOf(slc).map(didOf);
    const missing = dids.filter((d) => !(d in didDocuments));
    const extra = missing.length > 0 ? (await resolveDids(missing)).documents : {};
    const result = await options.proofVerifier.verify({
      document: slc,
      purpose: { kind: 'assertion' },
      didDocuments: { ...didDocuments, ...extra },
    });
    if (verifiedLists.size >= maxCache) verifiedLists.delete(verifiedLists.keys().next().value as string);
    verifiedLists.set(key, result.verified);
    return result.verified ? undefined : 'status list proof does not verify';
  }

  async function statusCheck(shape: CredentialShape, didDocuments: Json, at: Date, warnings: string[]): Promise<Check> {
    if (shape.statusEntries.length === 0) return ok('status', 'no status entry');
    const outcomes: Check[] = [];
    for (const raw of shape.statusEntries) {
      const entry = parseStatusEntry(raw);
      if ('code' in entry) {
        outcomes.push(unchecked('status', entry.code, entry.message));
        continue;
      }
      const lookup = await options.statusLists.get(entry.listUrl, { issuer: shape.issuerId });
      if ('error' in lookup) {
        outcomes.push(unchecked('status', lookup.error.code, lookup.error.message));
        continue;
      }
      const proofProblem = await statusListUsable(lookup.credential, didDocuments);
      if (proofProblem) {
        outcomes.push(failed('status', 'STATUS_LIST_INVALID', proofProblem));
        continue;
      }
      try {
        const bits = readStatusList(lookup.credential, { entry, now: at });
        if (!sameIssuer(lookup.credential, shape.issuerId)) {
          warnings.push(`status list ${entry.listUrl} is signed by another DID than the credential issuer`);
        }
        if (isStatusSet(bits, entry)) {
          const code =
            entry.purpose === 'revocation' ? 'REVOKED' : entry.purpose === 'suspension' ? 'SUSPENDED' : 'STATUS_SET';
          outcomes.push(failed('status', code, `${entry.purpose} bit ${entry.index} is set`));
        } else {
          outcomes.push(ok('status', `${entry.purpose}: not set`));
        }
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
    const at = verifyOptions.at ?? now();
    const schema = checkShape(credential);
    if (!schema.shape) {
      return buildReport({
        checks: [
          schema.check,
          ...(['proof', 'issuer', 'validity', 'status', 'trust'] as const).map((name) =>
            unchecked(name, 'INVALID_SHAPE', 'not checked: the credential is malformed'),
          ),
        ],
        issuer: { did: null, networks: [] },
      });
    }
    const { shape } = schema;
    const document = credential as Json;
    const methods = verificationMethodsOf(document);
    const { documents, failures } = await resolveDids([shape.issuerId, ...methods.map(didOf)]);

    const proofs = failures.has(shape.issuerId)
      ? undefined
      : await options.proofVerifier.verify({ document, purpose: { kind: 'assertion' }, didDocuments: documents });
    const proof = proofs
      ? proofCheck(proofs)
      : unchecked('proof', 'KEY_UNRESOLVED', `issuer DID ${shape.issuerId} did not resolve`);

    let issuer: Check;
    const foreign = methods.filter((vm) => didOf(vm) !== shape.issuerId);
    if (failures.has(shape.issuerId)) {
      issuer = failed('issuer', 'DID_UNRESOLVABLE', `${shape.issuerId}: ${failures.get(shape.issuerId)}`);
    } else if (foreign.length > 0) {
      issuer = failed('issuer', 'ISSUER_KEY_MISMATCH', `${foreign[0]} is not a key of the issuer ${shape.issuerId}`);
    } else if (proof.status === 'ok') {
      const signedAt = shape.validFrom ?? firstProofCreated(document);
      const invalidKey = methods
        .map((vm) => options.keyValidity?.(vm, signedAt ? new Date(signedAt) : at))
        .find((v) => v && !v.valid);
      issuer = invalidKey
        ? failed('issuer', invalidKey.code, invalidKey.message)
        : ok('issuer', `signed by ${methods.join(', ')}`);
    } else {
      issuer = unchecked('issuer', 'PROOF_FAILED', 'the issuer key is only established by a valid proof');
    }

    const warnings = [...schema.warnings];
    const checks = [
      schema.check,
      proof,
      issuer,
      checkValidity(shape, at),
      await statusCheck(shape, documents, at, warnings),
    ];
    const issuedAt = shape.validFrom ?? firstProofCreated(document);
    const trust = options.trust?.({
      issuer: shape.issuerId,
      credentialTypes: shape.types.filter((t) => t !== 'VerifiableCredential'),
      achievementType: achievementTypeOf(document),
      issuedAt: issuedAt ? new Date(issuedAt) : at,
      at,
    });
    if (!trust) checks.push(unchecked('trust', 'NO_TRUST_REGISTRY', 'this node has no trust registry'));
    else if (trust.answer.trusted) checks.push(ok('trust', trust.answer.message));
    else if (trust.answer.code === 'NO_ANCHORS')
      checks.push(unchecked('trust', trust.answer.code, trust.answer.message));
    else checks.push(failed('trust', trust.answer.code, trust.answer.message));
    const skills = options.skills?.(document, trust?.answer.accreditation);
    if (skills) {
      checks.push(skills.check);
      warnings.push(...skills.warnings);
    }
    // Who the issuer is comes from the registry, not from what the credential says about itself.
    const listed = trust?.issuer;
    return buildReport({
      checks,
      warnings,
      issuer: listed
        ? { did: shape.issuerId, ...listed }
        : { did: shape.issuerId, ...(shape.issuerName ? { claimedName: shape.issuerName } : {}), networks: [] },
      credentialId: shape.id,
      ...(trust?.answer.trustPath ? { trustPath: trust.answer.trustPath } : {}),
      ...(skills ? { skills: skills.skills } : {}),
    });
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
    const embedded = asArray(vp.verifiableCredential as unknown);
    const credentials = await Promise.all(embedded.map((c) => verifyCredential(c, verifyOptions)));
    const warnings: string[] = [];
    const methods = verificationMethodsOf(vp);
    let proof: Check;
    if (methods.length === 0) {
      proof = failed('proof', 'NO_PROOF', 'the presentation is not signed');
    } else {
      const firstProof = asArray(vp.proof as unknown)[0] as Json;
      if (verifyOptions.challenge === undefined) warnings.push('no challenge was requested: replay is not prevented');
      const purpose: ProofPurposeSpec = {
        kind: 'authentication',
        challenge: verifyOptions.challenge ?? (typeof firstProof.challenge === 'string' ? firstProof.challenge : ''),
        domain: verifyOptions.domain,
      };
      const { documents } = await resolveDids(methods.map(didOf));
      proof = proofCheck(await options.proofVerifier.verify({ document: vp, purpose, didDocuments: documents }));
    }
    const holder = typeof vp.holder === 'string' ? vp.holder : (vp.holder as Json | undefined)?.id;
    const holderCheck =
      typeof holder === 'string' && methods.some((vm) => didOf(vm) !== holder)
        ? failed('issuer', 'HOLDER_KEY_MISMATCH', `presentation signed by a key that is not the holder ${holder}'s`)
        : proof.status === 'ok'
          ? ok('issuer', holder ? `holder ${holder}` : 'no holder stated')
          : unchecked('issuer', 'PROOF_FAILED', 'holder key is only established by a valid proof');
    const allCredentials: Check =
      credentials.length === 0
        ? ok('status', 'no credentials')
        : credentials.every((c) => c.verified)
          ? ok('status', `${credentials.length} credential(s) verified`)
          : failed('status', 'CREDENTIAL_NOT_VERIFIED', 'an embedded credential did not verify');
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
      issuer: { did: typeof holder === 'string' ? holder : null, networks: [] },
    });
    return { ...report, credentials };
  }

  return { verifyCredential, verifyPresentation };
}
