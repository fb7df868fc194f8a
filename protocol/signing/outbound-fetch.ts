/**
 * Every outbound request a credential or a caller can make the node send
 * (did:web documents, foreign status lists) goes through here: the address
 * guard (see pinned-fetch.ts), a timeout, a size limit, a per-host and a total
 * concurrency limit, and one shared fetch for identical requests in flight.
 *
 * Failures are reported with one code and one message whatever the far side
 * did (refused, reset, TLS failure, timeout, an HTTP error status, not JSON,
 * too large, or an address the guard refused): a caller who names a host and
 * port must not learn from the answer whether something listens there
 * (issue 16, finding 1). The real reason stays on `cause` for the operator's logs.
 */

import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { OUTBOUND_TIMEOUT_MS } from '../constants.ts';
import { withDeadline } from '../deadline.ts';
import { ProtocolError } from '../errors.ts';
import { isPrivateAddress } from './address-guard.ts';
import { createPinnedFetch } from './pinned-fetch.ts';

/** How many requests may run at once to one host name, and in total (issue 16, finding 4). */
export const OUTBOUND_PER_HOST = 2;
export const OUTBOUND_TOTAL = 16;
/** Requests waiting for a slot beyond these are failed at once rather than queued. */
export const OUTBOUND_MAX_QUEUED = 1_000;

export interface GuardedFetchOptions {
  fetch: typeof fetch;
  allowPrivateHosts: boolean;
  timeoutMs: number;
  maxBytes: number;
  /** Resolves a host name to its addresses, to refuse names that point inside before connecting. */
  lookup?: (host: string) => Promise<string[]>;
  /** Abandons the request (the caller's deadline, or its client went away). */
  signal?: AbortSignal;
}

/** The one failure every outbound request reports to the caller. */
export function fetchFailed(url: URL, cause?: unknown): ProtocolError {
  return new ProtocolError('FETCH_FAILED', `${url.origin} could not be fetched`, { cause });
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

async function fetchJsonOnce(url: URL, options: GuardedFetchOptions): Promise<unknown> {
  return JSON.parse(await fetchTextOnce(url, options, 'application/did+json, application/json'));
}

async function fetchTextOnce(url: URL, options: GuardedFetchOptions, accept: string): Promise<string> {
  return (await fetchDocumentOnce(url, options, accept, false)).text;
}

/** `gone`: a 410 answer is an answer (OB 2.0 marks a revoked hosted assertion so), its body read like any other. */
async function fetchDocumentOnce(
  url: URL,
  options: GuardedFetchOptions,
  accept: string,
  gone: boolean,
): Promise<{ status: number; text: string }> {
  options.signal?.throwIfAborted();
  if (!options.allowPrivateHosts) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (host === 'localhost' || host.endsWith('.localhost')) {
      throw new ProtocolError('DID_HOST_REFUSED', `refusing loopback host ${host}`);
    }
    // An address literal decides here; a name is checked again on the connection itself (pinned-fetch.ts).
    const addresses = isIP(host) ? [host] : options.lookup ? await options.lookup(host) : [];
    if (addresses.some(isPrivateAddress)) {
      throw new ProtocolError('DID_HOST_REFUSED', `refusing private or loopback address for ${host}`);
    }
  }
  return withDeadline(options.timeoutMs, options.signal, async (signal) => {
    const response = await options.fetch(url, {
      signal,
      redirect: 'error',
      headers: { accept },
    });
    if (!response.ok && !(gone && response.status === 410)) {
      await response.body?.cancel();
      throw new ProtocolError('FETCH_FAILED', `${url.origin} answered ${response.status}`, {
        cause: { status: response.status },
      });
    }
    return { status: response.status, text: await readLimited(response, options.maxBytes) };
  });
}

/**
 * Fetches JSON from a URL with the guard, timeout and size limit applied.
 * Any failure is the same `FETCH_FAILED` (see the module header).
 */
export async function fetchJsonGuarded(url: URL, options: GuardedFetchOptions): Promise<unknown> {
  try {
    return await fetchJsonOnce(url, options);
  } catch (error) {
    throw fetchFailed(url, error);
  }
}

export interface OutboundFetcherOptions {
  fetch?: typeof fetch;
  lookup?: (host: string) => Promise<string[]>;
  /** Allow loopback and private addresses (tests, closed networks). Default false. */
  allowPrivateHosts?: boolean;
  /** Per request, from the moment it gets a connection slot. Default OUTBOUND_TIMEOUT_MS. */
  timeoutMs?: number;
  perHost?: number;
  total?: number;
  maxQueued?: number;
}

export interface OutboundFetcher {
  /** GET `url` as JSON, at most `maxBytes`; abandoned when `signal` aborts. Throws `FETCH_FAILED`. */
  json(url: URL, options: { maxBytes: number; signal?: AbortSignal }): Promise<unknown>;
  /** GET `url` as text (e.g. a signed JWT), with the same guard and limits. Throws `FETCH_FAILED`. */
  text(url: URL, options: { maxBytes: number; signal?: AbortSignal; accept: string }): Promise<string>;
  /**
   * GET `url` as text, answering 410 Gone as well as success (an OB 2.0 hosted assertion that was revoked), with the
   * same guard and limits. Throws `FETCH_FAILED` for every other outcome.
   */
  document(
    url: URL,
    options: { maxBytes: number; signal?: AbortSignal; accept: string },
  ): Promise<{ status: number; text: string }>;
}

/** The host a request counts against: an address literal in one spelling (`[::ffff:8.8.8.8]` is 8.8.8.8). */
function hostKey(url: URL): string {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? ipaddr.process(host).toString() : host.toLowerCase();
}

/** Connection slots: at most `perHost` per host name and `total` overall, first come first served. */
function createSlots(perHost: number, total: number, maxQueued: number) {
  let active = 0;
  const byHost = new Map<string, number>();
  const waiting: Array<{ host: string; start: () => void }> = [];
  const free = (host: string) => active < total && (byHost.get(host) ?? 0) < perHost;
  const take = (host: string) => {
    active++;
    byHost.set(host, (byHost.get(host) ?? 0) + 1);
  };
  const release = (host: string) => {
    active--;
    const left = (byHost.get(host) ?? 1) - 1;
    if (left === 0) byHost.delete(host);
    else byHost.set(host, left);
    for (let i = 0; i < waiting.length; ) {
      if (free(waiting[i].host)) {
        const [next] = waiting.splice(i, 1);
        take(next.host);
        next.start();
      } else i++;
    }
  };
  const acquire = (host: string, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      if (free(host)) {
        take(host);
        return resolve();
      }
      if (waiting.length >= maxQueued) return reject(new Error('too many outbound requests queued'));
      const entry = {
        host,
        start: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const at = waiting.indexOf(entry);
        if (at >= 0) waiting.splice(at, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      waiting.push(entry);
    });
  return {
    async run<T>(host: string, signal: AbortSignal, task: () => Promise<T>): Promise<T> {
      await acquire(host, signal);
      try {
        return await task();
      } finally {
        release(host);
      }
    },
  };
}

/** Races `promise` against `signal`; `onAbort` runs once if the signal wins. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(signal.reason);
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}

/**
 * One fetcher per node, shared by did:web resolution and status lists, so the
 * limits hold across both. Identical requests in flight share one connection;
 * it is abandoned only when every caller waiting for it has gone.
 */
export function createOutboundFetcher(options: OutboundFetcherOptions = {}): OutboundFetcher {
  const settings = {
    fetch: options.fetch ?? createPinnedFetch({ allowPrivateHosts: options.allowPrivateHosts }),
    lookup: options.lookup,
    allowPrivateHosts: options.allowPrivateHosts ?? false,
    timeoutMs: options.timeoutMs ?? OUTBOUND_TIMEOUT_MS,
  };
  const slots = createSlots(
    options.perHost ?? OUTBOUND_PER_HOST,
    options.total ?? OUTBOUND_TOTAL,
    options.maxQueued ?? OUTBOUND_MAX_QUEUED,
  );
  type Flight = { promise: Promise<unknown>; controller: AbortController; waiting: number };
  const inFlight = new Map<string, Flight>();
  function shared<T>(
    url: URL,
    key: string,
    signal: AbortSignal | undefined,
    task: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(fetchFailed(url, signal.reason));
    let flight = inFlight.get(key);
    if (!flight) {
      const controller = new AbortController();
      const entry: Flight = { controller, waiting: 0, promise: Promise.resolve() };
      entry.promise = slots
        .run(hostKey(url), controller.signal, () => task(controller.signal))
        .catch((error) => {
          throw fetchFailed(url, error);
        })
        .finally(() => {
          if (inFlight.get(key) === entry) inFlight.delete(key);
        });
      // A shared request nobody waits for any more must not surface as an unhandled rejection.
      entry.promise.catch(() => {});
      flight = entry;
      inFlight.set(key, flight);
    }
    const joined = flight;
    joined.waiting++;
    return untilAborted(joined.promise as Promise<T>, signal, () => {
      if (--joined.waiting > 0) return;
      // The last caller left: a later identical request starts afresh rather than joining an aborted one.
      if (inFlight.get(key) === joined) inFlight.delete(key);
      joined.controller.abort(signal?.reason);
    }).catch((error) => {
      throw error instanceof ProtocolError ? error : fetchFailed(url, error);
    });
  }
  return {
    json: (url, { maxBytes, signal }) =>
      shared(url, `${maxBytes} ${url.href}`, signal, (s) => fetchJsonOnce(url, { ...settings, maxBytes, signal: s })),
    text: (url, { maxBytes, signal, accept }) =>
      shared(url, `text ${accept} ${maxBytes} ${url.href}`, signal, (s) =>
        fetchTextOnce(url, { ...settings, maxBytes, signal: s }, accept),
      ),
    document: (url, { maxBytes, signal, accept }) =>
      shared(url, `document ${accept} ${maxBytes} ${url.href}`, signal, (s) =>
        fetchDocumentOnce(url, { ...settings, maxBytes, signal: s }, accept, true),
      ),
  };
}
