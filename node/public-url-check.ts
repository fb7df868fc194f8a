/**
 * Why a node's public URL would not work in production: credentials embed it (status list URLs, the issuer's
 * endpoints), and every other node refuses plain http to a non-loopback host, so a credential issued under such
 * a URL can never have its status checked elsewhere. Loopback is a developer's machine: no warning there.
 */
import ipaddr from 'ipaddr.js';

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback';
}

/** A warning to print at start, or undefined when `publicUrl` is https or loopback. */
export function publicUrlWarning(publicUrl: string, given: boolean): string | undefined {
  const url = new URL(publicUrl);
  if (url.protocol === 'https:' || isLoopbackHost(url.hostname)) return undefined;
  return `the public URL ${publicUrl}${given ? '' : ' (the HTTP address; no --public-url given)'} is not https: credentials issued now embed status list URLs other nodes refuse to fetch; give --public-url https://<your host> (TLS at a reverse proxy)`;
}
