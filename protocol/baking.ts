/**
 * Open Badges baking: a credential carried inside an image. OB 3.0 (§5.3 "Badge Baking"): PNG `iTXt` chunk with
 * keyword `openbadgecredential`; SVG `<openbadges:credential>` holding the credential (JSON in a CDATA section,
 * or a compact JWS in its `verify` attribute). OB 2.0 (Baking Specification 2.0): PNG `iTXt` keyword `openbadges`
 * (the assertion's JSON or its JWS; a legacy `tEXt openbadges` chunk holds the hosted URL); SVG
 * `<openbadges:assertion verify="…">` whose body is the assertion's JSON, or, with no body, whose `verify` is the
 * JWS (or the hosted URL).
 *
 * Files come from anyone (a dropped upload), so parsing is bounded: chunk
 * lengths are checked against the buffer, and compressed text is inflated with
 * an output limit.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib';

export const PNG_KEYWORD = 'openbadgecredential';
/** Open Badges 2.0's keyword (iTXt; tEXt in 1.x bakers). */
export const PNG_KEYWORD_V2 = 'openbadges';
const KEYWORDS = new Set([PNG_KEYWORD, PNG_KEYWORD_V2]);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** More than any credential needs; a zip bomb in a chunk stops here. */
const MAX_TEXT_BYTES = 1024 * 1024;

/** `url`: an OB 2.0 hosted assertion's URL, where a baker put the link rather than the assertion. */
export type BakedContent =
  | { kind: 'json'; text: string }
  | { kind: 'jwt'; text: string }
  | { kind: 'url'; text: string };

export class BakingError extends Error {
  constructor(
    readonly code: 'NOT_BAKED' | 'MALFORMED_IMAGE' | 'BAKED_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'BakingError';
  }
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).equals(PNG_SIGNATURE);
}

export function looksLikeSvg(text: string): boolean {
  return /<svg[\s>]/i.test(text.slice(0, 4096));
}

function classify(text: string): BakedContent {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return { kind: 'json', text: trimmed };
  return /^https?:\/\/\S+$/.test(trimmed) ? { kind: 'url', text: trimmed } : { kind: 'jwt', text: trimmed };
}

function tooLarge(what: string): BakingError {
  return new BakingError('BAKED_TOO_LARGE', `${what} is larger than ${MAX_TEXT_BYTES} bytes`);
}

/** The credential baked into a PNG, or a BakingError. */
export function extractFromPng(bytes: Uint8Array): BakedContent {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isPng(buffer)) throw new BakingError('MALFORMED_IMAGE', 'not a PNG file');
  let offset = 8;
  while (offset + 12 <= buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    const end = offset + 12 + length;
    if (end > buffer.length) throw new BakingError('MALFORMED_IMAGE', `the PNG's ${type} chunk runs past the file`);
    if (type === 'iTXt' || type === 'tEXt') {
      const data = buffer.subarray(offset + 8, offset + 8 + length);
      const text = type === 'iTXt' ? readItxt(data) : readText(data);
      if (text !== undefined) return classify(text);
    }
    if (type === 'IEND') break;
    offset = end;
  }
  throw new BakingError(
    'NOT_BAKED',
    'this PNG carries no Open Badges credential (no iTXt openbadgecredential or openbadges chunk)',
  );
}

/** The keyword of a text chunk, if it is one of the Open Badges keywords. */
function badgeKeyword(data: Buffer): number | undefined {
  const keywordEnd = data.indexOf(0);
  // PNG §11.3.4: a keyword is 1–79 bytes; a baker's chunk has one of ours.
  if (keywordEnd < 1 || keywordEnd > 79 || !KEYWORDS.has(data.toString('latin1', 0, keywordEnd))) return undefined;
  if (data.length - keywordEnd > MAX_TEXT_BYTES + 1024) throw tooLarge('the baked credential');
  return keywordEnd;
}

/** tEXt (PNG §11.3.4.3): keyword \0 text, Latin-1; Open Badges 1.x bakers put the hosted assertion's URL there. */
function readText(data: Buffer): string | undefined {
  const keywordEnd = badgeKeyword(data);
  return keywordEnd === undefined ? undefined : data.toString('latin1', keywordEnd + 1);
}

/** iTXt (PNG §11.3.4.5): keyword \0 flag method language \0 translated \0 text. */
function readItxt(data: Buffer): string | undefined {
  const keywordEnd = badgeKeyword(data);
  if (keywordEnd === undefined) return undefined;
  const compressed = data[keywordEnd + 1] === 1;
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) throw new BakingError('MALFORMED_IMAGE', 'the iTXt chunk is malformed');
  const raw = data.subarray(translatedEnd + 1);
  try {
    const text = compressed ? inflateSync(raw, { maxOutputLength: MAX_TEXT_BYTES }) : raw;
    return text.toString('utf8');
  } catch (error) {
    // A zip bomb: the output limit stops it before it is inflated.
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge('the compressed credential');
    throw new BakingError('MALFORMED_IMAGE', 'the compressed credential in the PNG cannot be read');
  }
}

/** The credential baked into an SVG, or a BakingError. */
export function extractFromSvg(svg: string): BakedContent {
  const open = /<openbadges:(credential|assertion)\b([^>]*?)(\/?)>/i.exec(svg);
  if (!open) {
    throw new BakingError(
      'NOT_BAKED',
      'this SVG carries no Open Badges credential (no openbadges:credential or openbadges:assertion element)',
    );
  }
  const element = `openbadges:${open[1].toLowerCase()}`;
  const verify = /\bverify\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(open[2]);
  const verifyValue = (verify?.[1] ?? verify?.[2] ?? '').trim();
  if (verifyValue.length > MAX_TEXT_BYTES) throw tooLarge('the verify attribute');
  // OB 3.0: a JWS in `verify` is the credential. OB 2.0: `verify` is the JWS only when the element has no body
  // (with a body, `verify` is the hosted URL and the body is the assertion).
  if (element === 'openbadges:credential' && verifyValue) return { kind: 'jwt', text: verifyValue };
  if (open[3] === '/') {
    if (verifyValue) return classify(verifyValue);
    throw new BakingError('MALFORMED_IMAGE', `the ${element} element is empty`);
  }
  const start = open.index + open[0].length;
  const close = svg.indexOf(`</${element}>`, start);
  if (close < 0) throw new BakingError('MALFORMED_IMAGE', `the ${element} element is not closed`);
  if (close - start > MAX_TEXT_BYTES) throw tooLarge(`the ${element} element`);
  let body = svg.slice(start, close).trim();
  if (body === '' && verifyValue) return classify(verifyValue);
  const cdata = /^<!\[CDATA\[([\s\S]*)\]\]>$/.exec(body);
  if (cdata) body = cdata[1];
  else
    body = body
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return classify(body);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** Bakes `credentialText` into a PNG: an uncompressed iTXt chunk right before IEND (`keyword`: 3.0's by default). */
export function bakePng(image: Uint8Array, credentialText: string, keyword = PNG_KEYWORD): Buffer {
  const buffer = Buffer.from(image);
  if (!isPng(buffer)) throw new BakingError('MALFORMED_IMAGE', 'not a PNG file');
  const iend = buffer.lastIndexOf(Buffer.from('IEND', 'latin1')) - 4;
  if (iend < 8) throw new BakingError('MALFORMED_IMAGE', 'the PNG has no IEND chunk');
  const data = Buffer.concat([Buffer.from(`${keyword}\0\0\0\0\0`, 'latin1'), Buffer.from(credentialText, 'utf8')]);
  return Buffer.concat([buffer.subarray(0, iend), chunk('iTXt', data), buffer.subarray(iend)]);
}

/** A plain 1×1 PNG to bake into when the node has no badge image. */
export function blankPng(): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
  const idat = deflateSync(Buffer.from([0, 0x1f, 0x4e, 0x8a, 0xff]));
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}
