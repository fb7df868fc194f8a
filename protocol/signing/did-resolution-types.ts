/**
 * The shapes of DID resolution and dereferencing (W3C DID Resolution, "DID
 * Resolution" and "DID URL Dereferencing" function outputs), the media types
 * the HTTP binding negotiates, and the error codes with their RFC 9457 types
 * and HTTP statuses (the draft's "Errors" section and binding table).
 */
import type { DidKeyErrorCode } from './did-key.ts';

type Json = Record<string, unknown>;

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
