/**
 * Checks every proof on a credential or presentation, each by its own
 * verification method (VC Data Integrity §4.3 Verify Proof): whether that key
 * is the issuer's is a separate check, made by the caller. Proof sets and
 * chains follow VC Data Integrity §4.5 (Verify Proof Sets and Chains): every
 * `previousProof` must name a proof of the set, and a proof counts only when
 * the proofs it names verify too. jsonld-signatures counts a set as verified
 * when *any* proof does; here an invalid proof fails the set, and a proof no
 * suite here can check is set aside (docs/decisions/0023).
 */
import jsigs from 'jsonld-signatures';
import type { DocumentLoader } from './document-loader.ts';
import { createVerifySuites, isSdBaseProof, isSupportedProof, proofSuiteName } from './suites.ts';

export type ProofFailure =
  | 'INVALID_SIGNATURE'
  | 'UNSUPPORTED_PROOF'
  | 'MALFORMED_PROOF'
  | 'PROOF_PURPOSE_MISMATCH'
  | 'INVALID_CHALLENGE'
  | 'INVALID_DOMAIN'
  | 'PREVIOUS_PROOF_MISSING'
  | 'PREVIOUS_PROOF_INVALID'
  | 'KEY_UNRESOLVED'
  | 'SD_BASE_PROOF'
  // JOSE-secured credentials (protocol/jose/vc-jwt.ts)
  | 'ALG_NONE_REFUSED'
  | 'ALG_NOT_ALLOWED'
  | 'MALFORMED_JWT';

export interface ProofResult {
  suite: string;
  /** The proof's own `id`, which `previousProof` refers to. */
  id?: string;
  verificationMethod?: string;
  verified: boolean;
  /** Why it did not verify. */
  code?: ProofFailure;
  /** Set when the proof could not be checked at all (its key did not resolve). */
  unresolvedKey?: boolean;
  error?: string;
}

export interface ProofsResult {
  /**
   * At least one proof verified and every other proof either verified or is of a kind no suite here checks and is
   * not needed by another proof (docs/decisions/0023).
   */
  verified: boolean;
  proofs: ProofResult[];
}

export interface VerifyProofsOptions {
  documentLoader: DocumentLoader;
  /** The proof purpose; defaults to assertion (the key must be an assertionMethod of its own controller). */
  purpose?: object;
}

type Json = Record<string, unknown>;

function errorMessage(error: unknown): string {
  if (!error) return 'invalid proof';
  const e = error as { message?: string; errors?: unknown[] };
  if (Array.isArray(e)) return errorMessage(e[0]);
  if (Array.isArray(e.errors) && e.errors.length > 0) return errorMessage(e.errors[0]);
  return e.message ?? String(error);
}

function isKeyResolutionError(error: unknown): boolean {
  if (Array.isArray(error)) return error.some(isKeyResolutionError);
  const code = (error as { code?: string })?.code;
  if (code === 'DID_NOT_FOUND') return true;
  const nested = (error as { errors?: unknown[]; cause?: unknown })?.errors ?? [];
  return (
    nested.some(isKeyResolutionError) ||
    (!!(error as { cause?: unknown })?.cause && isKeyResolutionError((error as { cause?: unknown }).cause))
  );
}

/** `previousProof`: a string or a list of strings (VC Data Integrity §2.1); undefined when absent, null if malformed. */
function previousProofsOf(proof: Json): string[] | undefined | null {
  const value = proof.previousProof;
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value;
  return null;
}

function malformed(proof: Json): string | undefined {
  for (const name of ['type', 'verificationMethod', 'proofPurpose'] as const) {
    if (typeof proof[name] !== 'string') return `proof.${name} must be a string`;
  }
  if (previousProofsOf(proof) === null) return 'proof.previousProof must be a string or a list of strings';
  return undefined;
}

interface VerifySuite {
  matchProof(options: { proof: Json; document: Json; documentLoader: DocumentLoader }): Promise<boolean>;
  verifyProof(options: {
    proof: Json;
    document: Json;
    purpose: object;
    proofSet: Json[];
    documentLoader: DocumentLoader;
  }): Promise<{ verified: boolean; verificationMethod?: Json; error?: unknown }>;
}
interface Purpose {
  validate(
    proof: Json,
    options: { document: Json; suite: VerifySuite; verificationMethod?: Json; documentLoader: DocumentLoader },
  ): Promise<{ valid: boolean; error?: unknown }>;
}

/**
 * VC Data Integrity §4.5: a chained proof may sign the document together with the proofs it names (the input
 * document's `proof` set to them), as the suites' fixtures do. jsonld-signatures always removes `proof` before
 * canonicalizing, so this calls the suite and then the purpose itself, as jsonld-signatures does for one proof.
 */
async function verifyChained(
  document: Json,
  proof: Json,
  previous: Json[],
  options: VerifyProofsOptions,
): Promise<boolean> {
  const { proof: _all, ...unsecured } = document;
  const input = { ...unsecured, proof: previous.length === 1 ? previous[0] : previous };
  const scoped = { '@context': document['@context'], ...proof };
  const purpose = (options.purpose ?? new jsigs.purposes.AssertionProofPurpose()) as Purpose;
  for (const suite of createVerifySuites() as VerifySuite[]) {
    if (!(await suite.matchProof({ proof: scoped, document: input, documentLoader: options.documentLoader }))) continue;
    const result = await suite.verifyProof({
      proof: scoped,
      document: input,
      purpose,
      proofSet: [],
      documentLoader: options.documentLoader,
    });
    if (!result.verified) return false;
    const { valid } = await purpose.validate(scoped, {
      document: input,
      suite,
      verificationMethod: result.verificationMethod,
      documentLoader: options.documentLoader,
    });
    return valid;
  }
  return false;
}

async function verifyOne(document: Json, proof: Json, options: VerifyProofsOptions): Promise<ProofResult> {
  const base = {
    suite: proofSuiteName(proof),
    ...(typeof proof.id === 'string' ? { id: proof.id } : {}),
    ...(typeof proof.verificationMethod === 'string' ? { verificationMethod: proof.verificationMethod } : {}),
  };
  const shapeProblem = malformed(proof);
  if (shapeProblem) return { ...base, verified: false, code: 'MALFORMED_PROOF', error: shapeProblem };
  if (!isSupportedProof(proof)) {
    return { ...base, verified: false, code: 'UNSUPPORTED_PROOF', error: 'unsupported proof type' };
  }
  // A base proof is the issuer-to-holder form of ecdsa-sd-2023: reported as such, not as a bad signature.
  if (isSdBaseProof(proof)) {
    return {
      ...base,
      verified: false,
      code: 'SD_BASE_PROOF',
      error:
        'an ecdsa-sd-2023 base proof is for the holder only; present a derived (selective disclosure) proof instead',
    };
  }
  // VC Data Integrity §4.3: a proofPurpose other than the expected one is an error before any cryptography.
  const purpose = options.purpose ?? new jsigs.purposes.AssertionProofPurpose();
  const expected = (purpose as { term?: unknown }).term;
  if (typeof expected === 'string' && proof.proofPurpose !== expected) {
    return {
      ...base,
      verified: false,
      code: 'PROOF_PURPOSE_MISMATCH',
      error: `proofPurpose is ${String(proof.proofPurpose)}, expected ${expected}`,
    };
  }
  // §4.3 steps for options.challenge / options.domain (INVALID_CHALLENGE_ERROR, INVALID_DOMAIN_ERROR).
  const { challenge, domain } = purpose as { challenge?: unknown; domain?: unknown };
  if (typeof challenge === 'string' && proof.challenge !== challenge) {
    return { ...base, verified: false, code: 'INVALID_CHALLENGE', error: 'the challenge does not match' };
  }
  const domains = Array.isArray(proof.domain) ? proof.domain : [proof.domain];
  if (typeof domain === 'string' && !domains.includes(domain)) {
    return { ...base, verified: false, code: 'INVALID_DOMAIN', error: 'the domain does not match' };
  }
  // One proof at a time, so that each result is this proof's own and one proof cannot stand in for another.
  const outcome = await jsigs.verify(
    { ...document, proof },
    {
      suite: createVerifySuites(),
      purpose,
      documentLoader: options.documentLoader,
    },
  );
  if (outcome.verified) return { ...base, verified: true };
  const error = outcome.results?.[0]?.error ?? outcome.error;
  const unresolvedKey = isKeyResolutionError(error);
  return {
    ...base,
    verified: false,
    code: unresolvedKey ? 'KEY_UNRESOLVED' : 'INVALID_SIGNATURE',
    error: errorMessage(error),
    ...(unresolvedKey ? { unresolvedKey } : {}),
  };
}

export async function verifyProofs(document: Json, options: VerifyProofsOptions): Promise<ProofsResult> {
  const raw = document.proof;
  if (raw === undefined) return { verified: false, proofs: [] };
  const all = Array.isArray(raw) ? raw : [raw];
  const proofs = all.filter((p): p is Json => !!p && typeof p === 'object' && !Array.isArray(p));
  if (proofs.length !== all.length || proofs.length === 0) {
    // VC Data Integrity §4.3: a proof that is not a map is a PARSING_ERROR.
    return {
      verified: false,
      proofs: [{ suite: 'unknown', verified: false, code: 'MALFORMED_PROOF', error: 'proof must be a map' }],
    };
  }
  const results = await Promise.all(proofs.map((p) => verifyOne(document, p, options)));

  // Chains (VC Data Integrity §4.5): every id named must be another proof of this set, which must verify as well.
  const byId = new Map<string, number>();
  proofs.forEach((p, i) => {
    if (typeof p.id === 'string') byId.set(p.id, i);
  });
  const previous = proofs.map((p) => previousProofsOf(p) ?? []);
  await Promise.all(
    previous.map(async (ids, i) => {
      const named = ids.map((id) => byId.get(id)).filter((j): j is number => j !== undefined && j !== i);
      if (results[i].code !== 'INVALID_SIGNATURE' || named.length !== ids.length) return;
      const signedOver = named.map((j) => proofs[j]);
      if (await verifyChained(document, proofs[i], signedOver, options).catch(() => false)) {
        const { code: _code, error: _error, ...rest } = results[i];
        results[i] = { ...rest, verified: true };
      }
    }),
  );
  previous.forEach((ids, i) => {
    const missing = ids.find((id) => byId.get(id) === undefined || byId.get(id) === i);
    if (missing !== undefined && results[i].code !== 'MALFORMED_PROOF') {
      results[i] = {
        ...results[i],
        verified: false,
        code: 'PREVIOUS_PROOF_MISSING',
        error: `previousProof ${missing} is not a proof of this set`,
      };
    }
  });
  // A proof stands only on verified predecessors; repeat until nothing changes (chains are short: ≤ proofs).
  for (let changed = true; changed; ) {
    changed = false;
    previous.forEach((ids, i) => {
      const failing = ids.find((id) => results[byId.get(id)!]?.verified === false);
      if (results[i].verified && failing !== undefined) {
        results[i] = {
          ...results[i],
          verified: false,
          code: 'PREVIOUS_PROOF_INVALID',
          error: `previousProof ${failing} does not verify`,
        };
        changed = true;
      }
    });
  }

  const needed = new Set(previous.flat());
  const setAside = (r: ProofResult) => r.code === 'UNSUPPORTED_PROOF' && !(r.id !== undefined && needed.has(r.id));
  const verified = results.some((r) => r.verified) && results.every((r) => r.verified || setAside(r));
  return { verified, proofs: results };
}
