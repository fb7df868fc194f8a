/**
 * did:web resolution over HTTPS with a timeout, a size limit and a refusal of
 * loopback/private hosts unless allowed. Written here rather than taken from
 * web-did-resolver because that package hard-wires its own fetch and offers no
 * timeout, size limit or address guard (see docs/decisions/0002).
 */
import { isIP } from 'node:net';
import type { DIDResolutionResult, DIDResolver } from 'did-resolver';
import { ProtocolError } from '../errors.ts';
import { normalizeDidDocument } from './did-document.ts';
import { createOutboundFetcher, type OutboundFetcher } from './outbound-fetch.ts';

export interface DidWebOptions {
  /** The node's shared outbound fetcher (limits across did:web and status lists); built from the options below when absent. */
  fetcher?: OutboundFetcher;
  /** The fetch to use (default: one that checks the address it connects to, see pinned-fetch.ts). */
  fetch?: typeof fetch;
  /** Resolves a host name to its addresses, to refuse names that point inside. */
  lookup?: (host: string) => Promise<string[]>;
  /** Allow loopback and private addresses (tests, closed networks). Default false. */
  allowPrivateHosts?: boolean;
  /** Use http:// instead of https:// (only for tests on loopback). Default false. */
  insecureHttp?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
}

/** Maps `did:web:host%3Aport:a:b` to `https://host:port/a/b/did.json` (did:web spec §3.2). */
export function didWebToUrl(did: string, scheme: 'https' | 'http' = 'https'): URL {
  const parts = did.split(':');
  if (parts.length < 3 || parts[0] !== 'did' || parts[1] !== 'web' || parts[2] === '') {
    throw new ProtocolError('INVALID_DID', `not a did:web: ${did}`);
  }
  const host = decodeURIComponent(parts[2]);
  if (/[/?#@\s]/.test(host)) throw new ProtocolError('INVALID_DID', `invalid did:web host: ${host}`);
  const path = parts.slice(3).map(decodeURIComponent);
  if (path.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes('/'))) {
    throw new ProtocolError('INVALID_DID', `invalid did:web path: ${did}`);
  }
  const pathname = path.length === 0 ? '/.well-known/did.json' : `/${path.join('/')}/did.json`;
  return new URL(`${scheme}://${host}${pathname}`);
}

function failure(error: string, message: string): DIDResolutionResult {
  return { didDocument: null, didResolutionMetadata: { error, message }, didDocumentMetadata: {} };
}

/** A did-resolver driver for did:web. Resolution options may carry an AbortSignal (`signal`). */
export function createDidWebResolver(options: DidWebOptions = {}): DIDResolver {
  const fetcher =
    options.fetcher ??
    createOutboundFetcher({
      fetch: options.fetch,
      lookup: options.lookup,
      allowPrivateHosts: options.allowPrivateHosts,
      timeoutMs: options.timeoutMs,
    });
  const maxBytes = options.maxBytes ?? 256 * 1024;
  return async (did, _parsed, _resolver, resolutionOptions) => {
    let url: URL;
    try {
      url = didWebToUrl(did, options.insecureHttp ? 'http' : 'https');
    } catch (error) {
      return failure('invalidDid', (error as Error).message);
    }
    // One answer for every way the fetch can fail, and for a document that is not this DID's: see outbound-fetch.ts.
    const unavailable = () => failure('notFound', `the DID document of ${did} could not be fetched`);
    let json: unknown;
    try {
      json = await fetcher.json(url, { maxBytes, signal: resolutionOptions?.signal as AbortSignal | undefined });
    } catch (error) {
      // A refusal by this node's own address policy, for a DID whose host is itself an address (or localhost),
      // tells the caller only what the DID says; a name that resolved inside stays uniform (no internal DNS
      // oracle), as does every failure on the far side.
      if (refusedByPolicy(error) && namesItsAddress(url.hostname)) {
        return failure(
          'notFound',
          `the DID document of ${did} was not fetched: its host is a private or loopback address, refused by this node's policy (--allow-private-hosts)`,
        );
      }
      return unavailable();
    }
    const didDocument = normalizeDidDocument(json, did);
    if (!didDocument) return unavailable();
    return {
      didDocument: didDocument as never,
      didResolutionMetadata: { contentType: 'application/did+ld+json' },
      didDocumentMetadata: {},
    };
  };
}

/**
 * Was the fetch refused before connecting, by the address policy (an address literal, localhost, or a name whose
 * lookup gave a private address)? The outbound fetcher keeps that reason on `cause`, behind its uniform failure.
 */
function refusedByPolicy(error: unknown): boolean {
  const cause = error instanceof ProtocolError ? error.cause : undefined;
  return cause instanceof ProtocolError && cause.code === 'DID_HOST_REFUSED';
}

/** The host is an address literal or localhost: refusing it reveals nothing the DID does not say. */
function namesItsAddress(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return isIP(host) !== 0 || host === 'localhost' || host.endsWith('.localhost');
}
