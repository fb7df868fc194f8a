/**
 * DID resolution and DID URL dereferencing for this node (W3C DID Resolution,
 * "DID Resolution Algorithm" and "DID URL Dereferencing Algorithm"): method
 * drivers (did:key locally, did:web over guarded HTTPS), an optional source of
 * documents the node already holds (fixtures in tests; the replicated key
 * history), and a small TTL cache. Errors are data: a stable camelCase code in
 * the metadata's `error` (the HTTP binding renders it as the draft's RFC 9457
 * object, see `problemOf`), never a throw.
 */
import type { DIDResolutionResult } from 'did-resolver';
import { normalizeDidDocument } from './did-document.ts';
import { type DidKeyErrorCode, type DidKeyOptions, resolveDidKeyDocument } from './did-key.ts';
import { didMethodOf, isDid, parseDidUrl } from './did-url.ts';
import { createDidWebResolver, type DidWebOptions } from './did-web.ts';

export type DidErrorCode =
  | 'invalidDid'
  | 'invalidDidUrl'
  | 'invalidOptions'
  | 'notFound'
  | 'representationNotSupported'
  | 'invalidDidDocument'
  | 'methodNotSupported'
  | 'featureNotSupported'
  | 'internalError'
  | 'invalidVerificationMethod'
  | 'invalidRelationshipForVerificationMethod'
  | DidKeyErrorCode;

type Json = Record<string, unknown>;

export interface DidResolutionMetadata {
  contentType?: string;
  error?: DidErrorCode;
  message?: string;
  [key: string]: unknown;
}

export interface ResolutionResult {
  didDocument: Json | null;
  didResolutionMetadata: DidResolutionMetadata;
  didDocumentMetadata: Json;
}

export interface DereferencingResult {
  dereferencingMetadata: DidResolutionMetadata;
  /** A DID document, a verification method or service node, or (for text/uri-list) the selected URLs. */
  contentStream: unknown;
  contentMetadata: Json;
}

/**
 * Resolution and dereferencing options as the HTTP binding receives them (query parameters: strings), plus
 * `accept`, the media type of the DID document representation the caller wants (default `application/did`).
 */
export type ResolutionOptions = Record<string, string | undefined>;

export interface DidResolution {
  resolve(did: string, options?: ResolutionOptions): Promise<ResolutionResult>;
  dereference(didUrl: string, options?: ResolutionOptions): Promise<DereferencingResult>;
}

export interface DidResolutionOptions {
  web?: DidWebOptions;
  /**
   * Documents the node holds itself, consulted first: returns a document,
   * null for "known not to exist", or undefined to fall through to the method.
   */
  known?: (did: string) => Promise<unknown | null | undefined> | unknown | null | undefined;
  cacheTtlMs?: number;
  maxCacheEntries?: number;
  now?: () => number;
}

/** The media type of a DID document in the current draft (DID v1.1); the default representation. */
export const DID_MEDIA_TYPE = 'application/did';
/** Media types of a DID document representation (the draft's, DID v1.0's, and plain JSON-LD / JSON). */
export const DID_DOCUMENT_MEDIA_TYPES = [
  'application/did',
  'application/did+ld+json',
  'application/did+json',
  'application/ld+json',
  'application/json',
];
export const URI_LIST_MEDIA_TYPE = 'text/uri-list';

const ERROR_TYPES: Record<DidErrorCode, string> = {
  invalidDid: 'INVALID_DID',
  invalidDidUrl: 'INVALID_DID_URL',
  invalidOptions: 'INVALID_OPTIONS',
  notFound: 'NOT_FOUND',
  representationNotSupported: 'REPRESENTATION_NOT_SUPPORTED',
  invalidDidDocument: 'INVALID_DID_DOCUMENT',
  methodNotSupported: 'METHOD_NOT_SUPPORTED',
  featureNotSupported: 'FEATURE_NOT_SUPPORTED',
  internalError: 'INTERNAL_ERROR',
  // CID 1.0 §3.5 processing errors, used by the draft's verificationRelationship check.
  invalidVerificationMethod: 'INVALID_VERIFICATION_METHOD',
  invalidRelationshipForVerificationMethod: 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD',
  // did:key's own codes ride on the draft's closest error type (so the binding's status table applies); the
  // did:key code itself stays in the problem's `code` member.
  invalidPublicKeyLength: 'INVALID_DID',
  invalidPublicKey: 'INVALID_DID',
  invalidPublicKeyType: 'INVALID_OPTIONS',
  unsupportedPublicKeyType: 'FEATURE_NOT_SUPPORTED',
};

const TITLES: Record<string, string> = {
  INVALID_DID: 'Invalid DID',
  INVALID_DID_URL: 'Invalid DID URL',
  INVALID_OPTIONS: 'Invalid options',
  NOT_FOUND: 'Not found',
  REPRESENTATION_NOT_SUPPORTED: 'Representation not supported',
  INVALID_DID_DOCUMENT: 'Invalid DID document',
  METHOD_NOT_SUPPORTED: 'DID method not supported',
  FEATURE_NOT_SUPPORTED: 'Feature not supported',
  INTERNAL_ERROR: 'Internal error',
  INVALID_VERIFICATION_METHOD: 'Invalid verification method',
  INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD: 'Verification method not authorized for the relationship',
};

/** An error code as the current draft's RFC 9457 error object (its "Errors" section). */
export function problemOf(
  code: DidErrorCode,
  message?: string,
): { type: string; title: string; detail?: string; code: string } {
  const name = ERROR_TYPES[code] ?? 'INTERNAL_ERROR';
  // CID errors are defined in the security vocabulary; the draft's own under its namespace.
  const base =
    name.startsWith('INVALID_VERIFICATION') || name.startsWith('INVALID_RELATIONSHIP')
      ? 'https://w3id.org/security#'
      : 'https://www.w3.org/ns/did#';
  return { type: `${base}${name}`, title: TITLES[name] ?? name, ...(message ? { detail: message } : {}), code };
}

/** The HTTP status for an error code (the draft's HTTP(S) binding table). */
export function statusOf(code: DidErrorCode): 400 | 404 | 406 | 500 | 501 {
  switch (ERROR_TYPES[code]) {
    case 'INVALID_DID':
    case 'INVALID_DID_URL':
    case 'INVALID_OPTIONS':
    // A caller's verificationRelationship that the document does not grant is the caller's error, not ours.
    case 'INVALID_VERIFICATION_METHOD':
    case 'INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD':
      return 400;
    case 'NOT_FOUND':
      return 404;
    case 'REPRESENTATION_NOT_SUPPORTED':
      return 406;
    case 'METHOD_NOT_SUPPORTED':
    case 'FEATURE_NOT_SUPPORTED':
      return 501;
    default:
      return 500;
  }
}

function failed(error: DidErrorCode, message?: string): ResolutionResult {
  return {
    didDocument: null,
    didResolutionMetadata: { error, ...(message ? { message } : {}) },
    didDocumentMetadata: {},
  };
}
function derefFailed(error: DidErrorCode, message?: string): DereferencingResult {
  return {
    dereferencingMetadata: { error, ...(message ? { message } : {}) },
    contentStream: null,
    contentMetadata: {},
  };
}

const METHOD_ERRORS: Record<string, DidErrorCode> = {
  unsupportedDidMethod: 'methodNotSupported',
  invalidDid: 'invalidDid',
  notFound: 'notFound',
};

const BOOLEAN_OPTIONS = ['enableExperimentalPublicKeyTypes', 'enableEncryptionKeyDerivation', 'expandRelativeUrls'];
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
// DID parameters and options this resolver reads; others are ignored (they change nothing here).
const VERSION_OPTIONS = ['versionId', 'versionTime'];

function booleanOption(options: ResolutionOptions, name: string): boolean | undefined {
  const value = options[name];
  return value === undefined ? undefined : value === 'true';
}

function checkOptions(method: string, options: ResolutionOptions): ResolutionResult | undefined {
  for (const name of BOOLEAN_OPTIONS) {
    const value = options[name];
    if (value !== undefined && value !== 'true' && value !== 'false') {
      return failed('invalidOptions', `${name} must be true or false`);
    }
  }
  if (options.versionTime !== undefined && !DATETIME.test(options.versionTime)) {
    return failed('invalidOptions', 'versionTime must be an XML Schema dateTime');
  }
  // did:key documents never change, so every versionTime names the one document; version ids do not exist.
  if (options.versionId !== undefined) {
    return failed('featureNotSupported', `versionId: ${method} documents are not versioned by this resolver`);
  }
  if (method !== 'key' && VERSION_OPTIONS.some((o) => options[o] !== undefined)) {
    return failed('featureNotSupported', `versionTime: did:${method} history is not resolvable here`);
  }
  return undefined;
}

export function createDidResolution(options: DidResolutionOptions = {}): DidResolution {
  const web = createDidWebResolver(options.web);
  const ttl = options.cacheTtlMs ?? 5 * 60_000;
  const maxEntries = options.maxCacheEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; result: ResolutionResult }>();

  async function resolveUncached(did: string, opts: ResolutionOptions): Promise<ResolutionResult> {
    const method = didMethodOf(did);
    if (!method || !isDid(did)) return failed('invalidDid', 'not a conformant DID (DID Core §3.1)');
    if (method !== 'key' && method !== 'web') return failed('methodNotSupported', `did:${method} is not supported`);
    const invalid = checkOptions(method, opts);
    if (invalid) return invalid;
    const contentType = opts.accept ?? DID_MEDIA_TYPE;
    // Documents the node holds first, but never for did:key: its document is a pure function of the DID
    // (did:key spec, "Read"), so no held or published document can add keys to it.
    if (method !== 'key') {
      const held = await options.known?.(did);
      if (held === null) return failed('notFound', `${did} is known not to exist`);
      if (held !== undefined) {
        const didDocument = normalizeDidDocument(held, did);
        if (didDocument) return { didDocument, didResolutionMetadata: { contentType }, didDocumentMetadata: {} };
      }
    }
    if (method === 'key') {
      const keyOptions: DidKeyOptions = {
        publicKeyFormat: opts.publicKeyFormat,
        enableExperimentalPublicKeyTypes: booleanOption(opts, 'enableExperimentalPublicKeyTypes'),
        enableEncryptionKeyDerivation: booleanOption(opts, 'enableEncryptionKeyDerivation'),
      };
      const result = resolveDidKeyDocument(did, keyOptions);
      if (result.error) return failed(result.error, result.message);
      return { didDocument: result.document, didResolutionMetadata: { contentType }, didDocumentMetadata: {} };
    }
    // did:web: the driver has the did-resolver shape (only its first argument is read).
    const result = (await web(did, undefined as never, undefined as never, {})) as DIDResolutionResult;
    const error = result.didResolutionMetadata.error;
    if (error || !result.didDocument) {
      return failed(METHOD_ERRORS[error ?? 'notFound'] ?? 'notFound', result.didResolutionMetadata.message as string);
    }
    return {
      didDocument: result.didDocument as unknown as Json,
      didResolutionMetadata: { contentType },
      didDocumentMetadata: {},
    };
  }

  async function resolve(did: string, opts: ResolutionOptions = {}): Promise<ResolutionResult> {
    // Only the default resolution is cached: options change the document, and most callers use none.
    const plain = Object.entries(opts).every(([k, v]) => v === undefined || k === 'accept');
    if (!plain) return resolveUncached(did, opts);
    const hit = cache.get(did);
    let result: ResolutionResult;
    if (hit && now() - hit.at < ttl) result = hit.result;
    else {
      result = await resolveUncached(did, {});
      // Failures are not cached: a did:web host that was down may come back.
      if (!result.didResolutionMetadata.error) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(did, { at: now(), result });
      }
    }
    if (opts.accept === undefined || result.didResolutionMetadata.error) return result;
    return { ...result, didResolutionMetadata: { ...result.didResolutionMetadata, contentType: opts.accept } };
  }

  async function dereference(didUrl: string, opts: ResolutionOptions = {}): Promise<DereferencingResult> {
    const parsed = parseDidUrl(didUrl);
    if (!parsed) return derefFailed('invalidDidUrl', 'not a conformant DID URL (DID Core §3.2)');
    // "All dereferencing options and all DID parameters of the input DID URL MUST be passed as resolution options."
    const params: ResolutionOptions = { ...opts };
    if (parsed.query !== undefined) {
      for (const [k, v] of new URLSearchParams(parsed.query)) params[k] = v;
    }
    const accept = opts.accept ?? DID_MEDIA_TYPE;
    const documentType = DID_DOCUMENT_MEDIA_TYPES.includes(accept) ? accept : DID_MEDIA_TYPE;
    const resolved = await resolve(parsed.did, { ...params, accept: documentType });
    if (!resolved.didDocument) {
      const { error, message } = resolved.didResolutionMetadata;
      return derefFailed(error ?? 'notFound', message);
    }
    const document = resolved.didDocument;
    const contentMetadata = resolved.didDocumentMetadata;
    if (parsed.path !== '') return derefFailed('notFound', 'no DID path is defined for this method');

    if (params.service !== undefined || params.serviceType !== undefined) {
      return dereferenceService(parsed.did, document, params, parsed.fragment, accept, contentMetadata);
    }
    if (accept !== documentType) {
      return derefFailed('representationNotSupported', `${accept} is not a representation of this resource`);
    }
    if (parsed.fragment === undefined) {
      return { dereferencingMetadata: { contentType: documentType }, contentStream: document, contentMetadata };
    }
    const id = `${parsed.did}#${parsed.fragment}`;
    const node = findNode(document, id, parsed.did);
    if (!node) return derefFailed('notFound', `${parsed.did} has no ${id}`);
    const relationship = params.verificationRelationship;
    if (relationship !== undefined) {
      if (!isVerificationMethod(node))
        return derefFailed('invalidVerificationMethod', `${id} is not a verification method`);
      const granted = toArray(document[relationship]).some(
        (m) => absolute(typeof m === 'string' ? m : (m as Json)?.id, parsed.did) === id,
      );
      if (!granted) {
        return derefFailed('invalidRelationshipForVerificationMethod', `${id} is not in ${relationship}`);
      }
    }
    return {
      dereferencingMetadata: { contentType: documentType },
      contentStream: { '@context': document['@context'], ...node },
      contentMetadata: {},
    };
  }

  return { resolve, dereference };
}

function toArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function absolute(id: unknown, did: string): string | undefined {
  if (typeof id !== 'string') return undefined;
  if (id.startsWith('#')) return `${did}${id}`;
  if (!id.includes(':')) return `${did}#${id}`;
  return id;
}

function isVerificationMethod(node: Json): boolean {
  return (
    typeof node.type === 'string' &&
    typeof node.controller === 'string' &&
    (node.publicKeyMultibase !== undefined || node.publicKeyJwk !== undefined || node.publicKeyBase58 !== undefined)
  );
}

// The resource a fragment names: a verification method, embedded or listed, or a service (by absolute id).
function findNode(document: Json, id: string, did: string): Json | undefined {
  for (const key of [
    'verificationMethod',
    'authentication',
    'assertionMethod',
    'keyAgreement',
    'capabilityInvocation',
    'capabilityDelegation',
    'service',
  ]) {
    for (const item of toArray(document[key])) {
      if (item && typeof item === 'object' && absolute((item as Json).id, did) === id) return item as Json;
    }
  }
  return undefined;
}

// "If the input DID URL contains the DID parameter service and/or serviceType, and optionally relativeRef".
function dereferenceService(
  did: string,
  document: Json,
  params: ResolutionOptions,
  fragment: string | undefined,
  accept: string,
  contentMetadata: Json,
): DereferencingResult {
  const selected = toArray(document.service).filter((s): s is Json => {
    if (!s || typeof s !== 'object') return false;
    const service = s as Json;
    if (params.service !== undefined && absolute(service.id, did) !== absolute(params.service, did)) return false;
    if (params.serviceType !== undefined && !toArray(service.type).includes(params.serviceType)) return false;
    return true;
  });
  if (selected.length === 0) return derefFailed('notFound', 'no service matches');
  if (DID_DOCUMENT_MEDIA_TYPES.includes(accept)) {
    return {
      dereferencingMetadata: { contentType: accept },
      contentStream: { ...document, service: selected },
      contentMetadata,
    };
  }
  if (accept !== URI_LIST_MEDIA_TYPE) {
    return derefFailed('representationNotSupported', `${accept} is not a representation of a service selection`);
  }
  const urls: string[] = [];
  for (const service of selected) {
    for (const endpoint of toArray(service.serviceEndpoint)) {
      if (typeof endpoint !== 'string') continue;
      let url: URL;
      try {
        url = params.relativeRef !== undefined ? new URL(params.relativeRef, endpoint) : new URL(endpoint);
      } catch {
        continue;
      }
      if (fragment !== undefined) {
        // The selected URL "inherits" the DID URL's fragment; one of its own is an error.
        if (url.hash !== '') return derefFailed('invalidDidUrl', 'the service endpoint URL already has a fragment');
        url.hash = fragment;
      }
      urls.push(url.href);
    }
  }
  if (urls.length === 0) return derefFailed('notFound', 'the selected services have no endpoint URL');
  return { dereferencingMetadata: { contentType: URI_LIST_MEDIA_TYPE }, contentStream: urls, contentMetadata: {} };
}
