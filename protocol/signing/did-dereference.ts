/**
 * DID URL dereferencing (W3C DID Resolution, "DID URL Dereferencing Algorithm"):
 * resolve the DID, then select the resource: the document, a verification
 * method or service by fragment (with the `verificationRelationship` check), or
 * services by the `service` / `serviceType` / `relativeRef` DID parameters.
 */
import {
  type DereferencingResult,
  DID_DOCUMENT_MEDIA_TYPES,
  DID_MEDIA_TYPE,
  type DidErrorCode,
  type ResolutionOptions,
  type ResolutionResult,
  URI_LIST_MEDIA_TYPE,
} from './did-resolution-types.ts';
import { parseDidUrl } from './did-url.ts';

type Json = Record<string, unknown>;
type Resolve = (
  did: string,
  options?: ResolutionOptions,
  control?: { signal?: AbortSignal },
) => Promise<ResolutionResult>;

function derefFailed(error: DidErrorCode, message?: string): DereferencingResult {
  return {
    dereferencingMetadata: { error, ...(message ? { message } : {}) },
    contentStream: null,
    contentMetadata: {},
  };
}

/** The dereference function over a resolve function. */
export function createDereference(resolve: Resolve) {
  return async function dereference(
    didUrl: string,
    opts: ResolutionOptions = {},
    control: { signal?: AbortSignal } = {},
  ): Promise<DereferencingResult> {
    const parsed = parseDidUrl(didUrl);
    if (!parsed) return derefFailed('invalidDidUrl', 'not a conformant DID URL (DID Core §3.2)');
    // "All dereferencing options and all DID parameters of the input DID URL MUST be passed as resolution options."
    const params: ResolutionOptions = { ...opts };
    if (parsed.query !== undefined) {
      for (const [k, v] of new URLSearchParams(parsed.query)) params[k] = v;
    }
    const accept = opts.accept ?? DID_MEDIA_TYPE;
    const documentType = DID_DOCUMENT_MEDIA_TYPES.includes(accept) ? accept : DID_MEDIA_TYPE;
    const resolved = await resolve(parsed.did, { ...params, accept: documentType }, control);
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
  };
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
