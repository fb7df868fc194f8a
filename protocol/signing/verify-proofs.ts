/**
 * Checks every proof on a credential or presentation. jsonld-signatures counts
 * a proof set as verified when *any* proof verifies; a proof set here is
 * verified only when *every* proof does, and unsupported proofs fail it.
 */
import { CredentialIssuancePurpose } from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';
import type { DocumentLoader } from './document-loader.ts';
import { createVerifySuites, isSdBaseProof, isSupportedProof, proofSuiteName } from './suites.ts';

export interface ProofResult {
  suite: string;
  verificationMethod?: string;
  verified: boolean;
  /** Set when the proof could not be checked at all (e.g. its key did not resolve). */
  unresolvedKey?: boolean;
  /** A stable code for failures that are not a bad signature (e.g. SD_BASE_PROOF). */
  code?: string;
  error?: string;
}

export interface ProofsResult {
  verified: boolean;
  proofs: ProofResult[];
}

export interface VerifyProofsOptions {
  documentLoader: DocumentLoader;
  /** The proof purpose; defaults to credential issuance (key must be the issuer's assertionMethod). */
  purpose?: object;
}

function proofsOf(document: Record<string, unknown>): Record<string, unknown>[] {
  const proof = document.proof;
  if (!proof) return [];
  return (Array.isArray(proof) ? proof : [proof]).filter((p) => p && typeof p === 'object');
}

function errorMessage(error: unknown): string {
  if (!error) return 'invalid proof';
  const e = error as { message?: string; errors?: unknown[] };
  if (Array.isArray(e.errors) && e.errors.length > 0) return errorMessage(e.errors[0]);
  return e.message ?? String(error);
}

function isKeyResolutionError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  if (code === 'DID_NOT_FOUND') return true;
  const nested = (error as { errors?: unknown[]; cause?: unknown })?.errors ?? [];
  return (
    nested.some(isKeyResolutionError) ||
    (!!(error as { cause?: unknown })?.cause && isKeyResolutionError((error as { cause?: unknown }).cause))
  );
}

export async function verifyProofs(
  document: Record<string, unknown>,
  options: VerifyProofsOptions,
): Promise<ProofsResult> {
  const proofs = proofsOf(document);
  if (proofs.length === 0) return { verified: false, proofs: [] };
  const results: ProofResult[] = proofs
    .filter((p) => !isSupportedProof(p))
    .map((p) => ({ suite: proofSuiteName(p), verified: false, error: 'unsupported proof type' }));
  // A base proof is the issuer-to-holder form of ecdsa-sd-2023: reported as such, not as a bad signature.
  for (const proof of proofs.filter((p) => isSupportedProof(p) && isSdBaseProof(p))) {
    results.push({
      suite: proofSuiteName(proof),
      ...(typeof proof.verificationMethod === 'string' ? { verificationMethod: proof.verificationMethod } : {}),
      verified: false,
      code: 'SD_BASE_PROOF',
      error:
        'an ecdsa-sd-2023 base proof is for the holder only; present a derived (selective disclosure) proof instead',
    });
  }
  const supported = proofs.filter((p) => isSupportedProof(p) && !isSdBaseProof(p));
  if (supported.length > 0) {
    const outcome = await jsigs.verify(document, {
      suite: createVerifySuites(),
      purpose: options.purpose ?? new CredentialIssuancePurpose(),
      documentLoader: options.documentLoader,
    });
    for (const proof of supported) {
      const match = outcome.results?.find((r) => r.proof?.proofValue === proof.proofValue);
      const vm = typeof proof.verificationMethod === 'string' ? proof.verificationMethod : undefined;
      if (match) {
        results.push({
          suite: proofSuiteName(proof),
          verificationMethod: vm,
          verified: match.verified,
          ...(match.verified
            ? {}
            : { error: errorMessage(match.error), unresolvedKey: isKeyResolutionError(match.error) }),
        });
      } else {
        const error = outcome.error;
        results.push({
          suite: proofSuiteName(proof),
          verificationMethod: vm,
          verified: false,
          error: errorMessage(error),
          unresolvedKey: isKeyResolutionError(error),
        });
      }
    }
  }
  return { verified: results.every((r) => r.verified), proofs: results };
}
