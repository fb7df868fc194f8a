import { describe, expect, it } from 'vitest';
import { decideAddress, isPrivateAddress } from '../../../protocol/signing/address-guard.ts';

/** What the URL parser makes of a bracketed host: the spelling the guard actually receives. */
function urlHost(literal: string): string {
  return new URL(`https://${literal}:8443/x`).hostname.replace(/^\[|\]$/g, '');
}

describe('the address guard', () => {
  // [address, range that must decide it]
  const refused: Array<[string, string]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['169.254.169.254', 'linkLocal'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['ff02::1', 'multicast'],
    ['100::1', 'discard'],
    ['2001:db8::1', 'reserved'],
    // The finding: IPv4-mapped IPv6, as written and as the URL parser rewrites it.
    ['::ffff:127.0.0.1', 'ipv4Mapped/loopback'],
    ['::ffff:7f00:1', 'ipv4Mapped/loopback'],
    ['::ffff:169.254.169.254', 'ipv4Mapped/linkLocal'],
    ['::ffff:a9fe:a9fe', 'ipv4Mapped/linkLocal'],
    ['::ffff:10.0.0.1', 'ipv4Mapped/private'],
    ['::ffff:0.0.0.0', 'ipv4Mapped/unspecified'],
    // IPv4-compatible (deprecated) and SIIT forms.
    ['::7f00:1', 'ipv4Compatible/loopback'],
    ['::a9fe:a9fe', 'ipv4Compatible/linkLocal'],
    ['::ffff:0:7f00:1', 'rfc6145/loopback'],
    // NAT64 (well-known prefix) and 6to4 carrying a private IPv4; local-use NAT64 and Teredo outright.
    ['64:ff9b::7f00:1', 'rfc6052/loopback'],
    ['64:ff9b::a9fe:a9fe', 'rfc6052/linkLocal'],
    ['64:ff9b::c0a8:101', 'rfc6052/private'],
    ['64:ff9b:1::808:808', 'rfc6052'],
    ['2002:7f00:1::1', '6to4/loopback'],
    ['2002:c0a8:101::1', '6to4/private'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
    // Unicast to ipaddr.js, but outside 2000::/3, the only space allocated for global unicast.
    ['4000::1', 'unassigned'],
    // Not an address at all: nothing is known to be safe about it.
    ['localhost', 'invalid'],
    ['', 'invalid'],
    ['127.0.0.1.nip.io', 'invalid'],
  ];

  it.each(refused)('refuses %s (%s)', (address, range) => {
    const decision = decideAddress(address);
    expect(decision).toMatchObject({ allowed: false, range });
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    ['8.8.8.8'],
    ['93.184.216.34'],
    ['172.32.0.1'],
    ['100.128.0.1'],
    ['2001:4860:4860::8888'],
    ['2606:4700::1111'],
    ['::ffff:8.8.8.8'],
    ['64:ff9b::808:808'],
    ['2002:808:808::1'],
  ])('allows the public unicast address %s', (address) => {
    expect(decideAddress(address).allowed).toBe(true);
    expect(isPrivateAddress(address)).toBe(false);
  });

  it.each([
    ['[::ffff:127.0.0.1]', '::ffff:7f00:1'],
    ['[::ffff:169.254.169.254]', '::ffff:a9fe:a9fe'],
    ['[::127.0.0.1]', '::7f00:1'],
    ['[64:ff9b::127.0.0.1]', '64:ff9b::7f00:1'],
    ['0x7f.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
  ])('refuses %s in a URL, which the URL parser rewrites to %s', (literal, rewritten) => {
    expect(urlHost(literal)).toBe(rewritten);
    expect(isPrivateAddress(urlHost(literal))).toBe(true);
  });
});
