/**
 * How much work a credential or presentation asks of a verifier, counted
 * before any of it is done (issue 16, finding 4): every status entry, proof
 * and DID can mean an outbound request, so a document naming thousands of
 * them must be refused whole, not half-worked. Pure: reads only its input.
 */
import { RegistryError } from '../errors.ts';
import { asArray } from './credential-shape.ts';

type Json = Record<string, unknown>;

export interface VerificationLimits {
  statusEntriesPerCredential: number;
  proofsPerDocument: number;
  didsPerCredential: number;
  credentialsPerRequest: number;
  statusEntriesPerRequest: number;
  didsPerRequest: number;
}

export interface VerificationCost {
  credentials: number;
  statusEntries: number;
  dids: Set<string>;
}

function isObject(value: unknown): value is Json {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** A DID, or an https controller id (1EdTech's convention): each may cost a fetch, so each counts. */
function didOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !(value.startsWith('did:') || value.startsWith('https:'))) return undefined;
  return value.split('#')[0];
}

function tooMuch(limit: keyof VerificationLimits, max: number, found: number, what: string): RegistryError {
  return new RegistryError('PAYLOAD_TOO_COMPLEX', `${what}: ${found}, at most ${max} are verified`, {
    limit,
    max,
    found,
  });
}

/** The DIDs a document's proofs name (verification methods without fragments). */
function proofDids(document: Json, limits: VerificationLimits, what: string): string[] {
  const proofs = asArray(document.proof as unknown);
  if (proofs.length > limits.proofsPerDocument) {
    throw tooMuch('proofsPerDocument', limits.proofsPerDocument, proofs.length, `proofs on the ${what}`);
  }
  return proofs.flatMap((p) => {
    const did = isObject(p) ? didOf(p.verificationMethod) : undefined;
    return did ? [did] : [];
  });
}

/** Counts one credential; throws PAYLOAD_TOO_COMPLEX when it alone is over a limit. Non-objects cost nothing. */
export function credentialCost(credential: unknown, limits: VerificationLimits): VerificationCost {
  if (!isObject(credential)) return { credentials: 1, statusEntries: 0, dids: new Set() };
  const statusEntries = asArray(credential.credentialStatus as unknown).length;
  if (statusEntries > limits.statusEntriesPerCredential) {
    throw tooMuch(
      'statusEntriesPerCredential',
      limits.statusEntriesPerCredential,
      statusEntries,
      'status entries in a credential',
    );
  }
  const issuer = isObject(credential.issuer) ? credential.issuer.id : credential.issuer;
  const dids = new Set([
    ...(didOf(issuer) ? [didOf(issuer) as string] : []),
    ...proofDids(credential, limits, 'credential'),
  ]);
  if (dids.size > limits.didsPerCredential) {
    throw tooMuch('didsPerCredential', limits.didsPerCredential, dids.size, 'distinct DIDs in a credential');
  }
  return { credentials: 1, statusEntries, dids };
}

/** Counts several credentials verified for one request; throws PAYLOAD_TOO_COMPLEX over any limit. */
export function requestCost(
  credentials: unknown[],
  limits: VerificationLimits,
  extraDids: string[] = [],
): VerificationCost {
  if (credentials.length > limits.credentialsPerRequest) {
    throw tooMuch(
      'credentialsPerRequest',
      limits.credentialsPerRequest,
      credentials.length,
      'credentials in the request',
    );
  }
  const total: VerificationCost = { credentials: 0, statusEntries: 0, dids: new Set(extraDids) };
  for (const credential of credentials) {
    const cost = credentialCost(credential, limits);
    total.credentials += cost.credentials;
    total.statusEntries += cost.statusEntries;
    for (const did of cost.dids) total.dids.add(did);
  }
  if (total.statusEntries > limits.statusEntriesPerRequest) {
    throw tooMuch(
      'statusEntriesPerRequest',
      limits.statusEntriesPerRequest,
      total.statusEntries,
      'status entries in the request',
    );
  }
  if (total.dids.size > limits.didsPerRequest) {
    throw tooMuch('didsPerRequest', limits.didsPerRequest, total.dids.size, 'distinct DIDs in the request');
  }
  return total;
}

/** Counts a presentation: its own proofs and holder, and every credential in it. */
export function presentationCost(presentation: Json, limits: VerificationLimits): VerificationCost {
  const holder = isObject(presentation.holder) ? presentation.holder.id : presentation.holder;
  const own = [...(didOf(holder) ? [didOf(holder) as string] : []), ...proofDids(presentation, limits, 'presentation')];
  return requestCost(asArray(presentation.verifiableCredential as unknown), limits, own);
}
