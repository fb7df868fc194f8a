/**
 * Proof verification as a self-contained job: the document plus the DID
 * documents its proofs need, resolved beforehand by the caller. The job does no
 * I/O, so it can run in the calling thread or in a worker thread alike.
 */
import { lazyModule } from '../lazy-module.ts';
import { createDidResolution } from './did-resolution.ts';
import { createDocumentLoader } from './document-loader.ts';
import type { ProofsResult } from './verify-proofs.ts';

// jsonld.js, jsonld-signatures and the cryptosuites come with verify-proofs.ts: loaded by the first job, so that a
// node whose proofs are checked in worker threads never loads them on its main thread for verification.
/** Loads what proof jobs run with (a proof worker does so before it watches its built-ins). */
export const loadProofStack = lazyModule(async () => {
  const [{ verifyProofs }, { default: jsigs }] = await Promise.all([
    import('./verify-proofs.ts'),
    import('jsonld-signatures'),
  ]);
  return { verifyProofs, jsigs };
});

export type ProofPurposeSpec = { kind: 'assertion' } | { kind: 'authentication'; challenge?: string; domain?: string };

export interface ProofJob {
  document: Record<string, unknown>;
  purpose: ProofPurposeSpec;
  /** DID (or https controller id) → document (null: known not to resolve). did:key needs no entry. */
  didDocuments: Record<string, unknown>;
}

export interface ProofVerifier {
  verify(job: ProofJob): Promise<ProofsResult>;
  close?(): Promise<void>;
}

/** Runs a proof job in this thread. */
export async function runProofJob(job: ProofJob): Promise<ProofsResult> {
  const { verifyProofs, jsigs } = await loadProofStack();
  const didResolution = createDidResolution({
    known: (did) =>
      Object.hasOwn(job.didDocuments, did) ? job.didDocuments[did] : did.startsWith('did:key:') ? undefined : null,
    cacheTtlMs: 0,
  });
  const documentLoader = createDocumentLoader({
    didResolution,
    controllerDocuments: (id) => {
      const document = Object.hasOwn(job.didDocuments, id) ? job.didDocuments[id] : undefined;
      return document && typeof document === 'object' ? (document as Record<string, unknown>) : undefined;
    },
  });
  const purpose =
    job.purpose.kind === 'authentication'
      ? new jsigs.purposes.AuthenticationProofPurpose({
          challenge: job.purpose.challenge,
          domain: job.purpose.domain,
        })
      : undefined;
  return verifyProofs(job.document, { documentLoader, purpose });
}

export function createInProcessProofVerifier(): ProofVerifier {
  return { verify: runProofJob };
}
