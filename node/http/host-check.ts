/**
 * Refuses requests for a Host this node is not: a browser tricked by DNS
 * rebinding sends the attacker's host name, never one of ours. Active only
 * when the operator named the node's hosts (`publicUrl`, `allowedHosts`).
 */
import type { MiddlewareHandler } from 'hono';
import { didWebToUrl } from '../../protocol/signing/did-web.ts';
import { NodeError } from '../errors.ts';

/** The literal loopback names a rebinding attack cannot make a browser send for a foreign origin. */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

function splitHost(host: string): { name: string; port?: string } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  return match ? { name: match[1].replace(/\.$/, ''), port: match[2] } : { name: host.toLowerCase() };
}

/**
 * The hosts a node answers for, from its settings: `allowed` switches the check on (the operator's list and
 * the public URL's host); `extra` are allowed too once it is on: the bound address, and the did:web host,
 * which others fetch the node's DID document from even when it differs from the public URL's.
 */
export function nodeHosts(options: { allowedHosts: string[]; publicUrl?: string; did: string; bound: string }) {
  const allowed = [...options.allowedHosts, ...(options.publicUrl ? [new URL(options.publicUrl).host] : [])];
  const didWebHost = options.did.startsWith('did:web:') ? [didWebToUrl(options.did).host] : [];
  return { allowed, extra: [options.bound, ...didWebHost] };
}

/**
 * `allowed` entries are `host` (any port) or `host:port`; an empty list allows every host.
 * `extra` entries (the bound address) are allowed too, but never switch the check on.
 */
export function hostCheck(options: { allowed: string[]; extra?: string[] }): MiddlewareHandler {
  const entries = options.allowed.length > 0 ? [...options.allowed, ...LOOPBACK, ...(options.extra ?? [])] : [];
  const allowed = entries.map(splitHost);
  const matches = (host: string) => {
    const { name, port } = splitHost(host);
    return allowed.some((a) => a.name === name && (a.port === undefined || a.port === port));
  };
  return async function checkHost(c, next) {
    if (allowed.length > 0) {
      const host = c.req.header('host') ?? new URL(c.req.url).host;
      if (!matches(host)) {
        throw new NodeError('HOST_NOT_ALLOWED', `this node does not answer for host ${host.slice(0, 200)}`);
      }
    }
    await next();
  };
}
