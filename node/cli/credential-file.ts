/**
 * What `ler-node verify FILE` sends for a file: the JSON inside it, a compact JWS/JWT it holds (a VC-JWT, a
 * signed Open Badges 2.0 assertion), a hosted OB 2.0 assertion's URL, or what a baked PNG or SVG badge carries
 * (OB 3.0 and 2.0 baking, protocol/baking.ts). A huge or malformed image is refused here, with the baking code.
 */
import { readFile } from 'node:fs/promises';
import { BakingError, extractFromPng, extractFromSvg, isPng, looksLikeSvg } from '../../protocol/baking.ts';
import { CliError, EXIT, parseJson } from './cli-errors.ts';

const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const URL_TEXT = /^https?:\/\/\S+$/;

function fromText(text: string, what: string): unknown {
  const trimmed = text.trim();
  if (COMPACT.test(trimmed) || URL_TEXT.test(trimmed)) return trimmed;
  return parseJson(trimmed, what);
}

/** The credential in `file`, as POST /credentials/verify takes it (an object, or a string). */
export async function readCredentialFile(file: string): Promise<unknown> {
  const bytes = await readFile(file);
  try {
    if (isPng(bytes)) {
      const baked = extractFromPng(bytes);
      return baked.kind === 'json' ? parseJson(baked.text, `the credential baked in ${file}`) : baked.text;
    }
    const text = bytes.toString('utf8');
    if (looksLikeSvg(text)) {
      const baked = extractFromSvg(text);
      return baked.kind === 'json' ? parseJson(baked.text, `the credential baked in ${file}`) : baked.text;
    }
    return fromText(text, file);
  } catch (error) {
    if (error instanceof BakingError) throw new CliError(`${file}: ${error.message} (${error.code})`, EXIT.badImage);
    throw error;
  }
}
