/**
 * Normalizes DID documents found in the wild so Data Integrity suites accept
 * them: relative `#key` ids become absolute, and the contexts that define the
 * verification method types in use are added (DEPENDENCIES.md: Multikey methods
 * without the multikey context are otherwise rejected).
 */
import { DID_V1_CONTEXT, ED25519_2020_CONTEXT, MULTIKEY_V1_CONTEXT } from './contexts.ts';

type Json = Record<string, unknown>;

const RELATIONSHIPS = [
  'verificationMethod',
  'assertionMethod',
  'authentication',
  'capabilityInvocation',
  'capabilityDelegation',
  'keyAgreement',
] as const;

function absolute(id: unknown, did: string): unknown {
  return typeof id === 'string' && id.startsWith('#') ? `${did}${id}` : id;
}

function normalizeMethod(method: unknown, did: string): unknown {
  if (typeof method === 'string') return absolute(method, did);
  if (!method || typeof method !== 'object') return method;
  const vm = method as Json;
  return { ...vm, id: absolute(vm.id, did), controller: vm.controller ?? did };
}

/**
 * Returns a normalized copy of `document` if it is the DID document of `did`,
 * or null if it is not a DID document for that DID.
 */
export function normalizeDidDocument(document: unknown, did: string): Json | null {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return null;
  const doc = document as Json;
  if (doc.id !== did) return null;
  const normalized: Json = { ...doc };
  const types = new Set<string>();
  for (const relationship of RELATIONSHIPS) {
    const value = doc[relationship];
    if (value === undefined) continue;
    const list = (Array.isArray(value) ? value : [value]).map((m) => normalizeMethod(m, did));
    for (const m of list) if (m && typeof m === 'object') types.add(String((m as Json).type));
    normalized[relationship] = list;
  }
  const contexts = new Set<unknown>(
    Array.isArray(doc['@context']) ? doc['@context'] : doc['@context'] ? [doc['@context']] : [DID_V1_CONTEXT],
  );
  if (types.has('Multikey')) contexts.add(MULTIKEY_V1_CONTEXT);
  if (types.has('Ed25519VerificationKey2020')) contexts.add(ED25519_2020_CONTEXT);
  normalized['@context'] = [...contexts];
  return normalized;
}

/** Finds a verification method by id anywhere in a (normalized) DID document. */
export function findVerificationMethod(doc: Json, id: string): Json | undefined {
  for (const relationship of RELATIONSHIPS) {
    const value = doc[relationship];
    if (!Array.isArray(value)) continue;
    for (const m of value) {
      if (m && typeof m === 'object' && (m as Json).id === id) return m as Json;
    }
  }
  return undefined;
}

/** The context a standalone verification method node needs for its type. */
export function contextForMethod(method: Json): string[] {
  if (method.type === 'Ed25519VerificationKey2020') return [ED25519_2020_CONTEXT];
  return [MULTIKEY_V1_CONTEXT];
}

/** A DID document holding just the given (Ed25519 or P-256) Multikeys, usable for assertions (credentials, publications). */
export function didDocumentFromKeys(did: string, keys: Array<{ id: string; publicKeyMultibase: string }>): Json {
  return {
    '@context': [DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT],
    id: did,
    verificationMethod: keys.map((k) => ({
      id: k.id,
      type: 'Multikey',
      controller: did,
      publicKeyMultibase: k.publicKeyMultibase,
    })),
    assertionMethod: keys.map((k) => k.id),
    authentication: keys.map((k) => k.id),
  };
}
