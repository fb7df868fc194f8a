/**
 * The W3C DID Resolution HTTP(S) binding: `GET /1.0/identifiers/{did or DID URL}`.
 *
 * The `Accept` header picks the function's output: `application/did-resolution`
 * (a resolution result) or `application/did-url-dereferencing` (a dereferencing
 * result) as the current draft defines them, with RFC 9457 error objects; the
 * January 2025 draft's `application/ld+json;profile="https://w3id.org/did-resolution"`
 * (its result shape, with string error codes, which deployed clients still
 * read); or a DID document media type (`application/did`, `application/did+ld+json`,
 * `application/did+json`, …) for the bare document or dereferenced resource.
 * See docs/decisions/0019-did-resolution-representations.md.
 */
import { type Context, Hono } from 'hono';
import type { DidResolution } from '../../../protocol/signing/did-resolution.ts';
import {
  type DereferencingResult,
  DID_DOCUMENT_MEDIA_TYPES,
  type DidErrorCode,
  type DidResolutionMetadata,
  problemOf,
  type ResolutionOptions,
  type ResolutionResult,
  statusOf,
  URI_LIST_MEDIA_TYPE,
} from '../../../protocol/signing/did-resolution-types.ts';
import { parseDidUrl } from '../../../protocol/signing/did-url.ts';

const RESOLUTION = 'application/did-resolution';
const DEREFERENCING = 'application/did-url-dereferencing';
const LEGACY_RESOLUTION = 'application/ld+json;profile="https://w3id.org/did-resolution"';
const LEGACY_DEREFERENCING = 'application/ld+json;profile="https://w3id.org/did-url-dereferencing"';
const RESULT_CONTEXT = 'https://w3id.org/did-resolution/v1';
// The DID document media type the January 2025 draft's results named.
const LEGACY_DOCUMENT_TYPE = 'application/did+ld+json';
// DID parameters that select something inside the document (DID Resolution, "Dereferencing the Resource").
const DEREFERENCING_PARAMETERS = ['service', 'serviceType', 'relativeRef'];

type Representation =
  | { kind: 'result'; legacy: boolean; dereferencing?: boolean }
  | { kind: 'document'; mediaType: string }
  | { kind: 'uri-list' }
  | { kind: 'default' };

/** Picks the representation from an Accept header (RFC 9110 §12.5.1: highest q first, then order). */
export function negotiate(accept: string | undefined): Representation | undefined {
  if (!accept || accept.trim() === '') return { kind: 'default' };
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      let q = 1;
      let profile: string | undefined;
      for (const param of params) {
        const [name, value = ''] = param.split('=').map((s) => s.trim());
        if (name.toLowerCase() === 'q') q = Number(value);
        if (name.toLowerCase() === 'profile') profile = value.replace(/^"|"$/g, '');
      }
      return { type: type.toLowerCase(), profile, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type, profile } of ranges) {
    if (type === RESOLUTION) return { kind: 'result', legacy: false };
    if (type === DEREFERENCING) return { kind: 'result', legacy: false, dereferencing: true };
    if (type === 'application/ld+json' && profile) {
      const profiles = profile.split(/\s+/);
      if (profiles.includes('https://w3id.org/did-resolution')) return { kind: 'result', legacy: true };
      if (profiles.includes('https://w3id.org/did-url-dereferencing')) {
        return { kind: 'result', legacy: true, dereferencing: true };
      }
    }
    if (DID_DOCUMENT_MEDIA_TYPES.includes(type)) return { kind: 'document', mediaType: type };
    if (type === URI_LIST_MEDIA_TYPE) return { kind: 'uri-list' };
    if (type === '*/*' || type === 'application/*') return { kind: 'default' };
  }
  return undefined;
}

function send(c: Context, body: unknown, status: number, contentType: string): Response {
  return c.body(JSON.stringify(body), status as 200, { 'content-type': contentType });
}

function currentMetadata(metadata: DidResolutionMetadata): Record<string, unknown> {
  const { error, message, ...rest } = metadata;
  return error ? { ...rest, error: problemOf(error, message) } : rest;
}

function statusFor(error: DidErrorCode | undefined, contentMetadata: Record<string, unknown>): number {
  if (error) return statusOf(error);
  return contentMetadata.deactivated === true ? 410 : 200;
}

function renderResolution(c: Context, result: ResolutionResult, legacy: boolean): Response {
  const { error } = result.didResolutionMetadata;
  const status = statusFor(error, result.didDocumentMetadata);
  if (legacy) {
    const metadata = error
      ? result.didResolutionMetadata
      : { ...result.didResolutionMetadata, contentType: LEGACY_DOCUMENT_TYPE };
    return send(
      c,
      { '@context': RESULT_CONTEXT, ...result, didResolutionMetadata: metadata },
      status,
      LEGACY_RESOLUTION,
    );
  }
  return send(
    c,
    { '@context': RESULT_CONTEXT, ...result, didResolutionMetadata: currentMetadata(result.didResolutionMetadata) },
    status,
    RESOLUTION,
  );
}

function renderDereferencing(c: Context, result: DereferencingResult, legacy: boolean, legacyType: string): Response {
  const { error } = result.dereferencingMetadata;
  const status = statusFor(error, result.contentMetadata);
  if (legacy) {
    // The shape deployed did:key resolvers (and the CCG did:key suite) read: the resource under `didDocument`.
    return send(
      c,
      {
        '@context': RESULT_CONTEXT,
        didDocument: result.contentStream,
        didDereferencingMetadata: result.dereferencingMetadata,
        didDocumentMetadata: result.contentMetadata,
      },
      status,
      legacyType,
    );
  }
  return send(
    c,
    {
      '@context': RESULT_CONTEXT,
      dereferencingMetadata: currentMetadata(result.dereferencingMetadata),
      contentStream: result.contentStream,
      contentMetadata: result.contentMetadata,
    },
    status,
    DEREFERENCING,
  );
}

function failedResolution(error: DidErrorCode, message: string): ResolutionResult {
  return { didDocument: null, didResolutionMetadata: { error, message }, didDocumentMetadata: {} };
}
function failedDereferencing(error: DidErrorCode, message: string): DereferencingResult {
  return { dereferencingMetadata: { error, message }, contentStream: null, contentMetadata: {} };
}

export function identifierRoutes(deps: { didResolution: DidResolution }) {
  const app = new Hono();
  app.get('/:did{.+}', async (c) => {
    // Decode exactly as often as the client encoded. The binding URL-encodes the DID (URL) when it passes
    // options ("did%3Akey%3A…"): then hono's one decoding of the parameter gives the DID and the HTTP query holds
    // the options. A DID appended as it is ("did:web:host%3A8443") is taken verbatim, percent-escapes included
    // (they are part of the DID), and the HTTP query is the DID URL's own query. Never a second decoding: that
    // turned "%25" into a URIError (500) and a did:web port's "%3A" into a path separator.
    const url = new URL(c.req.url);
    const rawPath = url.pathname.slice(url.pathname.indexOf('/1.0/identifiers/') + '/1.0/identifiers/'.length);
    const encoded = !rawPath.startsWith('did:');
    const options: ResolutionOptions = {};
    let input: string;
    if (encoded) {
      input = c.req.param('did');
      for (const [k, v] of url.searchParams) options[k] = v;
    } else input = `${rawPath}${url.search}`;

    const representation = negotiate(c.req.header('accept'));
    const parsed = parseDidUrl(input);
    const query = parsed?.query === undefined ? undefined : new URLSearchParams(parsed.query);
    // A DID whose query only carries resolution options is resolved; anything more is dereferenced.
    const isResolution =
      parsed !== undefined &&
      parsed.path === '' &&
      parsed.fragment === undefined &&
      !DEREFERENCING_PARAMETERS.some((p) => query?.has(p));

    if (!parsed) {
      const looksLikeUrl = input.startsWith('did:') && /[/?#]/.test(input);
      const message = looksLikeUrl
        ? 'not a conformant DID URL (DID Core §3.2)'
        : 'not a conformant DID (DID Core §3.1)';
      const legacy = representation?.kind === 'result' && representation.legacy;
      if (looksLikeUrl)
        return renderDereferencing(c, failedDereferencing('invalidDidUrl', message), legacy, LEGACY_RESOLUTION);
      return renderResolution(c, failedResolution('invalidDid', message), legacy);
    }
    if (!representation) {
      const message = `none of ${c.req.header('accept')} is available; ask for ${RESOLUTION}, ${DEREFERENCING} or ${DID_DOCUMENT_MEDIA_TYPES.join(', ')}`;
      if (isResolution) return renderResolution(c, failedResolution('representationNotSupported', message), false);
      return renderDereferencing(c, failedDereferencing('representationNotSupported', message), false, DEREFERENCING);
    }

    if (isResolution && !(representation.kind === 'result' && representation.dereferencing)) {
      if (query) for (const [k, v] of query) options[k] = v;
      if (representation.kind === 'uri-list') {
        return renderResolution(
          c,
          failedResolution('representationNotSupported', 'a DID resolves to a document, not URLs'),
          false,
        );
      }
      const legacy = representation.kind === 'result' && representation.legacy;
      const accept = representation.kind === 'document' ? representation.mediaType : undefined;
      const result = await deps.didResolution.resolve(parsed.did, { ...options, accept }, { signal: c.req.raw.signal });
      if (representation.kind === 'document' && result.didDocument) {
        return send(c, result.didDocument, statusFor(undefined, result.didDocumentMetadata), representation.mediaType);
      }
      return renderResolution(c, result, legacy);
    }

    const accept =
      representation.kind === 'document'
        ? representation.mediaType
        : representation.kind === 'uri-list'
          ? URI_LIST_MEDIA_TYPE
          : representation.kind === 'result' && representation.legacy
            ? LEGACY_DOCUMENT_TYPE
            : undefined;
    const result = await deps.didResolution.dereference(input, { ...options, accept }, { signal: c.req.raw.signal });
    const { contentType, error } = result.dereferencingMetadata;
    if (!error && contentType === URI_LIST_MEDIA_TYPE) {
      // The binding: 303 to the selected service endpoint URL, with an empty body.
      const [first] = result.contentStream as string[];
      return c.body(null, 303, { location: first });
    }
    if (!error && (representation.kind === 'document' || representation.kind === 'uri-list')) {
      return send(
        c,
        result.contentStream,
        statusFor(undefined, result.contentMetadata),
        contentType ?? representation.kind,
      );
    }
    const legacy = representation.kind === 'result' && representation.legacy;
    const legacyType =
      representation.kind === 'result' && representation.dereferencing ? LEGACY_DEREFERENCING : LEGACY_RESOLUTION;
    return renderDereferencing(c, result, legacy, legacyType);
  });
  return app;
}
