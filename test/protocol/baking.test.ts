import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BakingError, bakePng, blankPng, extractFromPng, extractFromSvg } from '../../protocol/baking.ts';

const CREDENTIAL = JSON.stringify({ type: ['VerifiableCredential', 'OpenBadgeCredential'], name: 'Badge ü' });

describe('Open Badges 3.0 baking', () => {
  it('reads back a credential baked into a PNG', () => {
    expect(extractFromPng(bakePng(blankPng(), CREDENTIAL))).toEqual({ kind: 'json', text: CREDENTIAL });
  });

  it('reads a compressed iTXt chunk, and bounds what it inflates', () => {
    const png = bakePng(blankPng(), 'x');
    // Rebuild the chunk with the compression flag set, as other bakers write it.
    const text = extractFromPng(png);
    expect(text.text).toBe('x');
    const compressed = Buffer.concat([
      Buffer.from('openbadgecredential\0\x01\0\0\0', 'latin1'),
      deflateSync(Buffer.from(CREDENTIAL)),
    ]);
    const chunk = Buffer.alloc(compressed.length + 12);
    chunk.writeUInt32BE(compressed.length, 0);
    chunk.write('iTXt', 4, 'latin1');
    compressed.copy(chunk, 8);
    const blank = blankPng();
    const withChunk = Buffer.concat([blank.subarray(0, blank.length - 12), chunk, blank.subarray(blank.length - 12)]);
    expect(extractFromPng(withChunk).text).toBe(CREDENTIAL);
  });

  it('says a PNG without a credential is not baked, and a truncated one is malformed', () => {
    expect(() => extractFromPng(blankPng())).toThrow(expect.objectContaining({ code: 'NOT_BAKED' }));
    const truncated = bakePng(blankPng(), CREDENTIAL).subarray(0, 60);
    expect(() => extractFromPng(truncated)).toThrow(BakingError);
  });

  it('reads the credential of an SVG from its CDATA section, or a JWT from its verify attribute', () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[${CREDENTIAL}]]></openbadges:credential><circle r="4"/></svg>`;
    expect(extractFromSvg(svg)).toEqual({ kind: 'json', text: CREDENTIAL });
    expect(extractFromSvg('<svg><openbadges:credential verify="eyJ.a.b"></openbadges:credential></svg>')).toEqual({
      kind: 'jwt',
      text: 'eyJ.a.b',
    });
    expect(() => extractFromSvg('<svg></svg>')).toThrow(expect.objectContaining({ code: 'NOT_BAKED' }));
  });
});
