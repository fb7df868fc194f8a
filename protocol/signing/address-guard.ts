/**
 * Which addresses a node must never be made to call on someone else's say-so
 * (SSRF guard). Decided on the parsed address and the IANA special-purpose
 * ranges ipaddr.js knows, never on the address's spelling: the URL parser
 * rewrites `[::ffff:127.0.0.1]` to `::ffff:7f00:1`, which a prefix test on the
 * dotted form misses (issue 16, finding 1).
 */
import ipaddr from 'ipaddr.js';

export interface AddressDecision {
  /** True only for a public unicast address. */
  allowed: boolean;
  /** The range that decided (ipaddr.js names, plus `invalid`, `ipv4Compatible`, `unassigned`). */
  range: string;
  /** For IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4, …): the IPv4 address decided on. */
  embedded?: string;
}

function toIPv4(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

function lastIPv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  return toIPv4(address.parts[6], address.parts[7]);
}

/** IPv6 ranges whose last (or, for 6to4, second and third) 16-bit groups are an IPv4 address the packet reaches. */
function embeddedIPv4(address: ipaddr.IPv6, range: string): ipaddr.IPv4 | undefined {
  const p = address.parts;
  switch (range) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d (SIIT)
      return lastIPv4(address);
    case 'rfc6052':
      // 64:ff9b::/96 is the well-known NAT64 prefix; 64:ff9b:1::/48 is for local use and may embed anywhere.
      return p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 ? lastIPv4(address) : undefined;
    case '6to4': // 2002:aabb:ccdd::/48
      return toIPv4(p[1], p[2]);
    default:
      return undefined;
  }
}

function decideIPv4(address: ipaddr.IPv4): AddressDecision {
  const range = address.range();
  return { allowed: range === 'unicast', range };
}

/** Decides whether a node may connect to `address` (an IP address literal, without brackets). */
export function decideAddress(address: string): AddressDecision {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    // Not an address: whatever it is, nothing is known to be safe about it.
    return { allowed: false, range: 'invalid' };
  }
  if (parsed.kind() === 'ipv4') return decideIPv4(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  const embedded = embeddedIPv4(v6, range);
  if (embedded) {
    const inner = decideIPv4(embedded);
    return { allowed: inner.allowed, range: `${range}/${inner.range}`, embedded: embedded.toString() };
  }
  if (range !== 'unicast') return { allowed: false, range };
  // ::a.b.c.d (deprecated IPv4-compatible form): ipaddr.js files it under unicast, but it names an IPv4 host.
  if (v6.parts.slice(0, 6).every((part) => part === 0)) {
    const compatible = lastIPv4(v6);
    const inner = decideIPv4(compatible);
    return { allowed: inner.allowed, range: `ipv4Compatible/${inner.range}`, embedded: compatible.toString() };
  }
  // Only 2000::/3 is allocated as global unicast; anything else "unicast" to ipaddr.js is unassigned space.
  if (!v6.match(ipaddr.IPv6.parse('2000::'), 3)) return { allowed: false, range: 'unassigned' };
  return { allowed: true, range };
}

/** True for any address a public resolver must never be made to call: everything but public unicast. */
export function isPrivateAddress(address: string): boolean {
  return !decideAddress(address).allowed;
}
