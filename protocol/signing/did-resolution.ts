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
import { createDereference } from './did-dereference.ts';
import { normalizeDidDocument } from './did-document.ts';
import { resolveDidJwkDocument } from './did-jwk.ts';
import { type DidKeyOptions, resolveDidKeyDocument } from './did-key.ts';
import {
  type DereferencingResult,
  DID_MEDIA_TYPE,
  type DidErrorCode,
  type ResolutionOptions,
  type ResolutionResult,
} from './did-resolution-types.ts';
import { didMethodOf, isDid } from './did-url.ts';
import { createDidWebResolver, type DidWebOptions } from './did-web.ts';

type Json = Record<string, unknown>;

export interface DidResolution {
  /** `control.signal` abandons any network work still pending (a verification's deadline, a client that left). */
  resolve(did: string, options?: ResolutionOptions, control?: ResolutionControl): Promise<ResolutionResult>;
  dereference(didUrl: string, options?: ResolutionOptions, control?: ResolutionControl): Promise<DereferencingResult>;
}

export interface ResolutionControl {
  signal?: AbortSignal;
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

function failed(error: DidErrorCode, message?: string): ResolutionResult {
  return {
    didDocument: null,
    didResolutionMetadata: { error, ...(message ? { message } : {}) },
    didDocumentMetadata: {},
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
// Methods whose document is a pure function of the DID (no held or published document can add keys to it).
const PURE_METHODS = new Set(['key', 'jwk']);

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
  // did:key and did:jwk documents never change, so every versionTime names the one document; version ids do not exist.
  if (options.versionId !== undefined) {
    return failed('featureNotSupported', `versionId: ${method} documents are not versioned by this resolver`);
  }
  if (!PURE_METHODS.has(method) && VERSION_OPTIONS.some((o) => options[o] !== undefined)) {
    return failed('featureNotSupported', `versionTime: did:${method} history is not resolvable here`);
  }
  return undefined;
}

export function createDidResolution(options: DidResolutionOptions = {}): DidResolution {
  const web = createDidWebResolver(options.web);
  const ttl = options.cacheTtlMs ?? 5 * 60_000;
  // Anonymous requests choose the DIDs resolved (any 32 bytes are a did:key): a small cache, not a large one.
  const maxEntries = options.maxCacheEntries ?? 1_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; result: ResolutionResult }>();

  /**
   * A document the node holds (replica, declared keys, fixtures), but never for did:key or did:jwk: their
   * document is a pure function of the DID (the methods' "Read"), so no held document can add keys to it.
   */
  async function resolveHeld(did: string, opts: ResolutionOptions): Promise<ResolutionResult | undefined> {
    const method = didMethodOf(did);
    if (!method || PURE_METHODS.has(method) || !isDid(did) || checkOptions(method, opts)) return undefined;
    const held = await options.known?.(did);
    if (held === null) return failed('notFound', `${did} is known not to exist`);
    if (held === undefined) return undefined;
    const didDocument = normalizeDidDocument(held, did);
    if (!didDocument) return undefined;
    return {
      didDocument,
      didResolutionMetadata: { contentType: opts.accept ?? DID_MEDIA_TYPE },
      didDocumentMetadata: {},
    };
  }

  async function resolveUncached(
    did: string,
    opts: ResolutionOptions,
    control: ResolutionControl,
  ): Promise<ResolutionResult> {
    const method = didMethodOf(did);
    if (!method || !isDid(did)) return failed('invalidDid', 'not a conformant DID (DID Core §3.1)');
    if (method !== 'key' && method !== 'jwk' && method !== 'web') {
      return failed('methodNotSupported', `did:${method} is not supported`);
    }
    const invalid = checkOptions(method, opts);
    if (invalid) return invalid;
    const contentType = opts.accept ?? DID_MEDIA_TYPE;
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
    if (method === 'jwk') {
      const result = resolveDidJwkDocument(did);
      if (result.error) return failed(result.error, result.message);
      return { didDocument: result.document, didResolutionMetadata: { contentType }, didDocumentMetadata: {} };
    }
    // did:web: the driver has the did-resolver shape (only its first and last arguments are read).
    const result = (await web(
      did,
      undefined as never,
      undefined as never,
      {
        signal: control.signal,
      } as never,
    )) as DIDResolutionResult;
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

  async function resolve(
    did: string,
    opts: ResolutionOptions = {},
    control: ResolutionControl = {},
  ): Promise<ResolutionResult> {
    // Held documents first and fresh, never cached: a replicated did-document or keys declared by governors
    // may change any time (a document cached from declared keys must not hide a newer publication).
    const held = await resolveHeld(did, opts);
    if (held) return held;
    // Only the default resolution is cached: options change the document, and most callers use none.
    const plain = Object.entries(opts).every(([k, v]) => v === undefined || k === 'accept');
    if (!plain) return resolveUncached(did, opts, control);
    const hit = cache.get(did);
    let result: ResolutionResult;
    if (hit && now() - hit.at < ttl) result = hit.result;
    else {
      result = await resolveUncached(did, {}, control);
      // Failures are not cached: a did:web host that was down may come back.
      if (!result.didResolutionMetadata.error) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(did, { at: now(), result });
      }
    }
    if (opts.accept === undefined || result.didResolutionMetadata.error) return result;
    return { ...result, didResolutionMetadata: { ...result.didResolutionMetadata, contentType: opts.accept } };
  }

  const dereference = createDereference(resolve);

  return { resolve, dereference };
}
