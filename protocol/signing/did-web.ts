/**
 * did:web resolution over HTTPS with a timeout, a size limit and a refusal of
 * loopback/private hosts unless allowed. Written here rather than taken from
 * web-did-resolver because that package hard-wires its own fetch and offers no
 * timeout, size limit or address guard (see docs/decisions/0002).
 */
import { isIP } from 'node:net';
import type { DIDResolutionResult, DIDResolver } from 'did-resolver';
import { ProtocolError } from '../errors.ts';
import { isPrivateAddress } from './address-guard.ts';
import { normalizeDidDocument } from './did-document.ts';
import { AddressRefusedError, createPinnedFetch } from './pinned-fetch.ts';

export interface DidWebOptions {
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

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new ProtocolError('FETCH_TOO_LARGE', `response larger than ${maxBytes} bytes`);
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new ProtocolError('FETCH_TOO_LARGE', `response larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Fetches JSON from a URL with the guard, timeout and size limit applied.
 * Shared by did:web and foreign status lists.
 */
export async function fetchJsonGuarded(
  url: URL,
  options: Required<Pick<DidWebOptions, 'fetch' | 'allowPrivateHosts' | 'timeoutMs' | 'maxBytes'>> & {
    lookup?: DidWebOptions['lookup'];
  },
): Promise<{ status: number; json?: unknown }> {
  if (!options.allowPrivateHosts) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (host === 'localhost' || host.endsWith('.localhost')) {
      throw new ProtocolError('DID_HOST_REFUSED', `refusing loopback host ${host}`);
    }
    const addresses = isIP(host) ? [host] : options.lookup ? await options.lookup(host) : [];
    if (addresses.some(isPrivateAddress)) {
      throw new ProtocolError('DID_HOST_REFUSED', `refusing private or loopback address for ${host}`);
    }
  }
  let response: Response;
  try {
    response = await options.fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
      headers: { accept: 'application/did+json, application/json' },
    });
  } catch (error) {
    if (error instanceof AddressRefusedError) throw new ProtocolError('DID_HOST_REFUSED', error.message);
    throw new ProtocolError('FETCH_FAILED', `fetch ${url.origin} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { status: response.status };
  }
  const text = await readLimited(response, options.maxBytes);
  try {
    return { status: response.status, json: JSON.parse(text) };
  } catch (error) {
    throw new ProtocolError('FETCH_FAILED', `${url.origin} did not return JSON`, { cause: error });
  }
}

function failure(error: string, message: string): DIDResolutionResult {
  return { didDocument: null, didResolutionMetadata: { error, message }, didDocumentMetadata: {} };
}

/** A did-resolver driver for did:web. */
export function createDidWebResolver(options: DidWebOptions = {}): DIDResolver {
  const settings = {
    fetch: options.fetch ?? createPinnedFetch({ allowPrivateHosts: options.allowPrivateHosts }),
    lookup: options.lookup,
    allowPrivateHosts: options.allowPrivateHosts ?? false,
    timeoutMs: options.timeoutMs ?? 5_000,
    maxBytes: options.maxBytes ?? 256 * 1024,
  };
  return async (did) => {
    let url: URL;
    try {
      url = didWebToUrl(did, options.insecureHttp ? 'http' : 'https');
    } catch (error) {
      return failure('invalidDid', (error as Error).message);
    }
    try {
      const { status, json } = await fetchJsonGuarded(url, settings);
      if (json === undefined) return failure('notFound', `${url.href} answered ${status}`);
      const didDocument = normalizeDidDocument(json, did);
      if (!didDocument) return failure('notFound', `${url.href} did not hold a DID document for ${did}`);
      return {
        didDocument: didDocument as never,
        didResolutionMetadata: { contentType: 'application/did+ld+json' },
        didDocumentMetadata: {},
      };
    } catch (error) {
      return failure('notFound', (error as Error).message);
    }
  };
}
