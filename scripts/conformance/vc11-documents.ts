/**
 * What the w3c/vc-test-suite (VC Data Model 1.1) generator answers for one input file (vc11-generator.ts is the
 * command around it). The suite's inputs carry placeholder proofs (`{"type": "RsaSignature2018"}`, no signature
 * value), so it tests the data model, not signatures: a document passes when the node's own data-model checks
 * accept it — the verifier's schema check and the issuer's data-model rules (`parseCredentialShape`,
 * `issuanceProblems`) — plus the data model's one rule for a proof, that it names its `type` (VC DM 1.1 §4.7; the
 * node's proof check refuses an untyped proof as MALFORMED_PROOF, but it also refuses the placeholders, which
 * lack the Data Integrity fields). A passing document is printed unchanged.
 */
import { JwtCredentialError, openJwtCredential } from '../../protocol/jose/vc-jwt.ts';
import { issuanceProblems } from '../../registry/issuing/data-model-rules.ts';
import { asArray, parseCredentialShape } from '../../registry/verification/credential-shape.ts';

type Json = Record<string, unknown>;

/** The marker the conformance runner looks for to count a failure as "not applicable" (the reason follows it). */
export const NOT_APPLICABLE = 'NOT_APPLICABLE:';

export type GeneratorAnswer = { output: string } | { error: string };

export interface GeneratorRequest {
  kind: 'credential' | 'presentation';
  /** The suite's command-line flags (`--jwt KEYS`, `--jwt-aud AUD`, `--jwt-no-jws`, `--jwt-presentation`, `--jwt-decode`). */
  flags: string[];
  /** The input file's text. */
  text: string;
}

const JWT_ENCODING_NOT_APPLICABLE =
  `${NOT_APPLICABLE} the suite asks for a JWT signed with RS256/ES256K private keys it hands over, in the name of ` +
  "the input's issuer; this node signs only as itself, with keys that never leave its store, using EdDSA/ES256/ES384 " +
  '(decision 0030)';

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** VC DM 1.1 §4.7: each proof, where there is one, names its method with `type`. */
function proofProblems(document: Json): string[] {
  if (!Object.hasOwn(document, 'proof')) return [];
  const proofs = asArray(document.proof as unknown);
  if (proofs.length === 0) return ['proof must be one or more objects'];
  return proofs.flatMap((proof, i) =>
    !isObject(proof)
      ? [`proof[${i}] must be an object`]
      : typeof proof.type === 'string' && proof.type !== ''
        ? []
        : [`proof[${i}].type is required`],
  );
}

export function credentialProblems(value: unknown): string[] {
  if (!isObject(value)) return ['credential must be an object'];
  const parsed = parseCredentialShape(value);
  const { proof: _proof, ...unsecured } = value;
  // The issuer's rules read a credential before it is signed: the proof is checked on its own.
  return [
    ...('problems' in parsed ? parsed.problems : []),
    ...issuanceProblems(unsecured, { issuerRequired: true }),
    ...proofProblems(value),
  ];
}

/** VC DM 1.1 §4.10: a presentation's type includes VerifiablePresentation; its credentials are credentials. */
export function presentationProblems(value: unknown): string[] {
  if (!isObject(value)) return ['presentation must be an object'];
  const problems: string[] = [];
  if (!asArray(value.type as unknown).includes('VerifiablePresentation')) {
    problems.push('type must include VerifiablePresentation');
  }
  asArray(value.verifiableCredential as unknown).forEach((credential, i) => {
    let inner: unknown = credential;
    if (typeof credential === 'string') {
      try {
        inner = openJwtCredential(credential).credential;
      } catch (error) {
        if (!(error instanceof JwtCredentialError)) throw error;
        problems.push(`verifiableCredential[${i}]: ${error.message}`);
        return;
      }
    }
    problems.push(...credentialProblems(inner).map((p) => `verifiableCredential[${i}]: ${p}`));
  });
  return [...problems, ...proofProblems(value)];
}

/** The answer to one request of the suite: the document to print, or why there is none. */
export function answer(request: GeneratorRequest): GeneratorAnswer {
  if (request.flags.includes('--jwt-decode')) {
    // VC DM 1.1 §6.3.1 "JWT Decoding", as the node's verifier opens a VC 1.1 JWT (its signature is not checked).
    try {
      return { output: JSON.stringify(openJwtCredential(request.text.trim()).credential) };
    } catch (error) {
      if (error instanceof JwtCredentialError) return { error: `${error.code}: ${error.message}` };
      throw error;
    }
  }
  if (request.flags.includes('--jwt')) return { error: JWT_ENCODING_NOT_APPLICABLE };
  let document: unknown;
  try {
    document = JSON.parse(request.text);
  } catch {
    return { error: 'INVALID_JSON: the input is not JSON' };
  }
  // The verifier's and the issuer's checks overlap (both refuse a missing issuer): each problem once.
  const problems = [
    ...new Set(request.kind === 'credential' ? credentialProblems(document) : presentationProblems(document)),
  ];
  if (problems.length > 0) return { error: `INVALID_${request.kind.toUpperCase()}: ${problems.join('; ')}` };
  return { output: JSON.stringify(document) };
}
