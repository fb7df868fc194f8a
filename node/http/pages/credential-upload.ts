/**
 * What the verify form sent, as a credential: a chosen or dropped file (JSON,
 * or a baked PNG/SVG badge) or pasted JSON. Answers a sentence for a person
 * when it is none of these.
 */

import {
  type BakedContent,
  BakingError,
  extractFromPng,
  extractFromSvg,
  isPng,
  looksLikeSvg,
} from '../../../protocol/baking.ts';
import { JwtCredentialError, openJwtCredential } from '../../../protocol/jose/vc-jwt.ts';
import { ob2InputOf } from '../../../protocol/ob2/documents.ts';
import type { OutboundFetcher } from '../../../protocol/signing/outbound-fetch.ts';

type Json = Record<string, unknown>;
/**
 * `secured`: what gets verified when it is not the credential shown: the compact JWT (or OB 2.0 JWS) the credential
 * came in, or the URL of a hosted OB 2.0 assertion a badge image links to.
 */
export type Upload = { credential: Json; secured?: string } | { error: string; pasted?: string };

const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function fromJwt(jwt: string, from: string, pasted?: string): Upload {
  // A signed Open Badges 2.0 assertion: the JWS is verified, the assertion it carries is shown.
  const ob2 = ob2InputOf(jwt);
  if (ob2?.kind === 'jws') return { credential: ob2.assertion, secured: jwt };
  try {
    return { credential: openJwtCredential(jwt).credential, secured: jwt };
  } catch (error) {
    if (error instanceof JwtCredentialError) {
      return { error: `${from} looks like a JWT, but not a JWT-secured credential: ${error.message}.`, pasted };
    }
    throw error;
  }
}

function parse(text: string, from: string, pasted?: string): Upload {
  if (COMPACT_JWT.test(text.trim())) return fromJwt(text.trim(), from, pasted);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: `${from} is not valid JSON, so it cannot be a credential.`, pasted };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { error: `${from} is JSON, but not a credential (a JSON object).`, pasted };
  }
  return { credential: value as Json };
}

export async function readCredentialUpload(file: unknown, pastedField: unknown): Promise<Upload> {
  if (file instanceof File && file.size > 0) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      if (isPng(bytes)) return fromBaked(extractFromPng(bytes), 'The badge image');
      const text = new TextDecoder().decode(bytes);
      if (looksLikeSvg(text)) return fromBaked(extractFromSvg(text), 'The badge image');
      return parse(text, 'The file');
    } catch (error) {
      if (error instanceof BakingError) return { error: `${error.message}.` };
      throw error;
    }
  }
  const pasted = typeof pastedField === 'string' ? pastedField.trim() : '';
  if (!pasted) return { error: 'Choose a file, drop one, or paste a credential first.' };
  return parse(pasted, 'The pasted text', pasted);
}

function fromBaked(content: BakedContent, from: string): Upload {
  // A hosted Open Badges 2.0 assertion's URL: the hosted copy is what is verified.
  if (content.kind === 'url') return { credential: { id: content.text, type: 'Assertion' }, secured: content.text };
  if (content.kind === 'jwt') return fromJwt(content.text, `The credential in ${from.toLowerCase()}`);
  return parse(content.text, `The credential in ${from.toLowerCase()}`);
}

/** More than any credential needs. */
const MAX_LINKED_BYTES = 1024 * 1024;

/** The credential a link points to: https (http only where private hosts are allowed), through the guard. */
export async function fetchCredential(
  outbound: { fetcher: OutboundFetcher; allowHttp: boolean },
  link: string,
  signal?: AbortSignal,
): Promise<Upload> {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return { error: 'The link is not a web address.' };
  }
  if (url.protocol !== 'https:' && !(outbound.allowHttp && url.protocol === 'http:')) {
    return { error: 'Only https links to a credential can be opened.' };
  }
  try {
    const value = await outbound.fetcher.json(url, { maxBytes: MAX_LINKED_BYTES, signal });
    if (!value || typeof value !== 'object' || Array.isArray(value))
      return { error: 'The link does not lead to a credential.' };
    return { credential: value as Json };
  } catch (error) {
    if (error instanceof Error && 'code' in error)
      return { error: `The credential could not be fetched: ${error.message}` };
    throw error;
  }
}
