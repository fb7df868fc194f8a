import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  BakingError,
  bakePng,
  blankPng,
  extractFromPng,
  extractFromSvg,
  PNG_KEYWORD_V2,
} from '../../protocol/baking.ts';

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

/** A PNG with one extra chunk of `type` holding `data`, right before IEND (CRC not checked by readers here). */
function withChunk(type: string, data: Buffer): Buffer {
  const chunk = Buffer.alloc(data.length + 12);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  data.copy(chunk, 8);
  const blank = blankPng();
  return Buffer.concat([blank.subarray(0, blank.length - 12), chunk, blank.subarray(blank.length - 12)]);
}

describe('Open Badges 2.0 baking', () => {
  const ASSERTION = JSON.stringify({ '@context': 'https://w3id.org/openbadges/v2', type: 'Assertion', id: 'x' });

  it('reads the iTXt openbadges chunk (the assertion, or its JWS) and a legacy tEXt URL', () => {
    expect(extractFromPng(bakePng(blankPng(), ASSERTION, PNG_KEYWORD_V2))).toEqual({ kind: 'json', text: ASSERTION });
    expect(extractFromPng(bakePng(blankPng(), 'aGVhZA.cGF5bG9hZA.c2ln', PNG_KEYWORD_V2)).kind).toBe('jwt');
    const legacy = withChunk('tEXt', Buffer.from('openbadges\0https://example.org/a.json', 'latin1'));
    expect(extractFromPng(legacy)).toEqual({ kind: 'url', text: 'https://example.org/a.json' });
  });

  it('refuses a baked chunk over the size limit, and a zip bomb', () => {
    const huge = bakePng(blankPng(), 'x'.repeat(1024 * 1024 + 4096), PNG_KEYWORD_V2);
    expect(() => extractFromPng(huge)).toThrow(expect.objectContaining({ code: 'BAKED_TOO_LARGE' }));
    const bomb = withChunk(
      'iTXt',
      Buffer.concat([Buffer.from('openbadges\0\x01\0\0\0', 'latin1'), deflateSync(Buffer.alloc(4 * 1024 * 1024, 32))]),
    );
    expect(() => extractFromPng(bomb)).toThrow(expect.objectContaining({ code: 'BAKED_TOO_LARGE' }));
  });

  it('refuses a malformed openbadges chunk and a chunk length past the file', () => {
    const malformed = withChunk('iTXt', Buffer.from('openbadges\0\0', 'latin1'));
    expect(() => extractFromPng(malformed)).toThrow(expect.objectContaining({ code: 'MALFORMED_IMAGE' }));
    const lying = withChunk('iTXt', Buffer.from('openbadges\0\0\0\0\0{}', 'latin1'));
    lying.writeUInt32BE(0x7fffffff, lying.indexOf('iTXt', 0, 'latin1') - 4);
    expect(() => extractFromPng(lying)).toThrow(expect.objectContaining({ code: 'MALFORMED_IMAGE' }));
  });

  it('reads an SVG openbadges:assertion: its body, or a self-closed verify JWS', () => {
    const hosted = `<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a"><![CDATA[${ASSERTION}]]></openbadges:assertion></svg>`;
    expect(extractFromSvg(hosted)).toEqual({ kind: 'json', text: ASSERTION });
    const signed = '<svg><openbadges:assertion verify="aGVhZA.cGF5bG9hZA.c2ln"/></svg>';
    expect(extractFromSvg(signed)).toEqual({ kind: 'jwt', text: 'aGVhZA.cGF5bG9hZA.c2ln' });
    expect(() => extractFromSvg('<svg><openbadges:assertion verify="x">{}</svg>')).toThrow(
      expect.objectContaining({ code: 'MALFORMED_IMAGE' }),
    );
    const big = `<svg><openbadges:assertion>${'x'.repeat(1024 * 1024 + 1)}</openbadges:assertion></svg>`;
    expect(() => extractFromSvg(big)).toThrow(expect.objectContaining({ code: 'BAKED_TOO_LARGE' }));
  });
});
