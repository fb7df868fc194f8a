/**
 * OpenID Federation 1.0 §8.9 error responses for the public federation endpoints below `/oidf/`: clients of
 * the federation read `{"error": <code>, "error_description": <text>}`, not our house format. Our stable code
 * (and any details, such as the signers a misdirected request should ask) travel as the extra members
 * `ler_code` and `ler_details`, which §8.9 allows. The admin routes (`/oidf/keys`, `/oidf/anchors`) keep the
 * house format: they are our API, not the federation's.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { statusFor } from './errors.ts';

export type FederationErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_issuer'
  | 'invalid_subject'
  | 'invalid_trust_anchor'
  | 'invalid_trust_chain'
  | 'invalid_metadata'
  | 'not_found'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'unsupported_parameter';

/** Our codes whose §8.9 counterpart is not the default for their status class. */
const FEDERATION_CODE: Record<string, FederationErrorCode> = {
  UNAUTHORIZED: 'invalid_client',
  INVALID_ISSUER: 'invalid_issuer',
  INVALID_SUBJECT: 'invalid_subject',
  INVALID_TRUST_ANCHOR: 'invalid_trust_anchor',
  NOT_FOUND: 'not_found',
  UNKNOWN_NETWORK: 'not_found',
  NO_FEDERATION_KEYS: 'not_found',
  // The network's entity identifier lives on the key holder's host, not here (decision 0025): 421 stays.
  FEDERATION_KEY_NOT_HELD: 'not_found',
  // 429 with Retry-After stays: a status clients back off on; §8.9's code for "cannot handle it now".
  RATE_LIMITED: 'temporarily_unavailable',
  BUSY: 'temporarily_unavailable',
  STARTING: 'temporarily_unavailable',
};

/** Paths of the federation's own endpoints: everything below `/oidf/` except our admin routes. */
export function isFederationPath(path: string): boolean {
  return path.startsWith('/oidf/') && !/^\/oidf\/(keys|anchors)(\/|$)/.test(path);
}

export interface FederationErrorBody {
  error: FederationErrorCode;
  error_description: string;
  ler_code: string;
  ler_details?: unknown;
}

export function federationErrorBody(code: string, message: string, details?: unknown): FederationErrorBody {
  const status = statusFor(code);
  const error = FEDERATION_CODE[code] ?? (status >= 500 ? 'server_error' : 'invalid_request');
  return {
    error,
    error_description: message,
    ler_code: code,
    ...(details === undefined ? {} : { ler_details: details }),
  };
}

export function federationError(c: Context, code: string, message: string, details?: unknown) {
  return c.json(federationErrorBody(code, message, details), statusFor(code) as ContentfulStatusCode);
}
