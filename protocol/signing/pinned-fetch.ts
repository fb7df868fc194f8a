/**
 * A fetch for outbound requests to addresses named by others (did:web hosts,
 * status list URLs) that checks the address it actually connects to. Checking
 * a name's addresses before calling fetch leaves a gap: the name can resolve
 * to a public address for the check and to a private one for the connection
 * (DNS rebinding). Here the check runs inside the socket's own lookup, so the
 * address checked is the address used. GET only; no redirects are followed.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { isPrivateAddress } from './address-guard.ts';

export interface PinnedFetchOptions {
  /** Allow loopback and private addresses (tests, closed networks). Default false. */
  allowPrivateHosts?: boolean;
  /** Resolves a host name (default: the system resolver); injected by tests. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

export class AddressRefusedError extends Error {
  readonly code = 'DID_HOST_REFUSED';
}

const NULL_BODY = new Set([101, 204, 205, 304]);

export function createPinnedFetch(options: PinnedFetchOptions = {}): typeof fetch {
  const resolve =
    options.resolve ??
    ((host: string) =>
      new Promise<LookupAddress[]>((ok, fail) =>
        dnsLookup(host, { all: true }, (error, addresses) => (error ? fail(error) : ok(addresses))),
      ));
  const refuse = (host: string) => new AddressRefusedError(`refusing private or loopback address for ${host}`);

  // The shape net.connect expects of `lookup`: one address, or all of them when it asks for `all`.
  const lookup = (
    hostname: string,
    lookupOptions: { all?: boolean },
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) return callback(new Error(`${hostname} has no address`), '');
        if (!options.allowPrivateHosts && addresses.some((a) => isPrivateAddress(a.address))) {
          return callback(refuse(hostname), '');
        }
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: Error) => callback(error, ''),
    );
  };

  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!client) throw new TypeError(`unsupported protocol ${url.protocol}`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // An address literal is never looked up: check it here.
    if (isIP(host) && !options.allowPrivateHosts && isPrivateAddress(host)) throw refuse(host);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    return new Promise<Response>((resolveResponse, reject) => {
      const request = client.request(
        url,
        // No agent: a connection is never kept or reused for another request, and one aborted while it
        // connects is closed rather than parked in a keep-alive pool.
        { method: 'GET', headers, lookup: lookup as never, signal: init.signal ?? undefined, agent: false },
        (res) => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          const status = res.statusCode ?? 502;
          const body = NULL_BODY.has(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          if (!body) res.resume();
          resolveResponse(new Response(body, { status, statusText: res.statusMessage, headers: responseHeaders }));
        },
      );
      request.on('error', reject);
      request.end();
    });
  }) as typeof fetch;
}
