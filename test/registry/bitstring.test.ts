import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createBitstring, decodeBitstring, encodeBitstring, getBit, withBit } from '../../registry/status/bitstring.ts';

describe('the Bitstring Status List encoding', () => {
  it('puts index 0 in the left-most bit of the first byte (spec §3.1)', () => {
    const bits = withBit(createBitstring(16), 0, true);
    expect(bits[0]).toBe(0x80);
    expect(getBit(withBit(createBitstring(16), 9, true), 9)).toBe(true);
  });

  it('round-trips through GZIP and multibase base64url', () => {
    let bits = createBitstring();
    for (const i of [0, 7, 8, 4242, 131_071]) bits = withBit(bits, i, true);
    const encoded = encodeBitstring(bits);
    expect(encoded.startsWith('u')).toBe(true);
    expect(decodeBitstring(encoded)).toEqual(bits);
  });

  it('rejects out-of-range indexes and undecodable lists', () => {
    expect(() => getBit(createBitstring(8), 8)).toThrow(expect.objectContaining({ code: 'STATUS_INDEX_OUT_OF_RANGE' }));
    expect(() => decodeBitstring('zabc')).toThrow(expect.objectContaining({ code: 'STATUS_LIST_INVALID' }));
    expect(() => decodeBitstring('u!!!')).toThrow(expect.objectContaining({ code: 'STATUS_LIST_INVALID' }));
  });

  it('refuses a gzip bomb larger than 16 MiB decoded', () => {
    const bomb = `u${gzipSync(Buffer.alloc(17 * 1024 * 1024)).toString('base64url')}`;
    expect(() => decodeBitstring(bomb)).toThrow(expect.objectContaining({ code: 'STATUS_LIST_INVALID' }));
  });
});
