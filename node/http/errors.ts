/**
 * The one place that maps error codes of every layer to HTTP statuses, and the
 * JSON error body every failure uses: {"error": {"code", "message", "details"?}}.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ProtocolError } from '../../protocol/errors.ts';
import { RegistryError } from '../../registry/errors.ts';
import { NodeError } from '../errors.ts';

const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  // node
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  MALFORMED_JSON: 400,
  INVALID_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNKNOWN_OPTION_PROVIDED: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  PAYLOAD_TOO_COMPLEX: 413,
  CREDENTIAL_NOT_FOUND: 404,
  CREDENTIAL_EXISTS: 409,
  REVOCATION_FINAL: 409,
  STATUS_LIST_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  PROPOSAL_NOT_FOUND: 404,
  GOVERNOR_KEY_NOT_HELD: 403,
  MEMBER_NOT_FOUND: 404,
  STARTING: 503,
  // One framework body is read at a time: the next client is asked to come back (429 + Retry-After), not failed.
  BUSY: 429,
  REQUEST_ABORTED: 400,
  HOST_NOT_ALLOWED: 421,
  // I-JSON (RFC 7493) values only: canonical JSON (RFC 8785) has no form for lone surrogates or ±Infinity.
  JSON_NOT_CANONICALIZABLE: 422,
  // Decision 0025: the network exists but no key its governors approved is held here (421: ask another node).
  NO_FEDERATION_KEYS: 404,
  FEDERATION_KEY_NOT_HELD: 421,
  // OpenID Federation 1.0 §8.9 conditions, with the statuses it gives.
  INVALID_ISSUER: 404,
  INVALID_SUBJECT: 404,
  INVALID_TRUST_ANCHOR: 404,
  ANCHOR_CONFIGURED: 409,
  // registry
  INVALID_CREDENTIAL: 422,
  INVALID_PRESENTATION: 422,
  FOREIGN_ISSUER: 422,
  STATUS_PURPOSE_NOT_ISSUED: 422,
  STATUS_INDEX_OUT_OF_RANGE: 422,
  STATUS_LIST_INVALID: 422,
  INVALID_ACTION: 422,
  UNKNOWN_ACTION_TYPE: 422,
  UNKNOWN_NETWORK: 404,
  NOT_A_GOVERNOR: 403,
  INVALID_SIGNATURE: 422,
  EFFECTIVE_TIME_IN_FUTURE: 422,
  ACTION_NOT_APPLICABLE: 422,
  INVALID_PUBLICATION: 422,
  PUBLICATION_TOO_LARGE: 413,
  NOT_A_MEMBER: 403,
  STALE_PUBLICATION: 409,
  INVALID_FRAMEWORK: 422,
  INVALID_CROSSWALK: 422,
  NOT_CASE: 422,
  NOT_OSMT: 422,
  // protocol
  INVALID_DID: 400,
  INVALID_KEY: 422,
  UNSUPPORTED_CRYPTOSUITE: 422,
  DID_NOT_FOUND: 404,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export function statusFor(code: string): ContentfulStatusCode {
  return STATUS_BY_CODE[code] ?? 500;
}

/** Renders an error body; the federation endpoints use OpenID Federation's format (federation-errors.ts). */
export type ErrorRenderer = (c: Context, code: string, message: string, details?: unknown) => Response;

export const houseError: ErrorRenderer = (c, code, message, details) =>
  c.json(errorBody(code, message, details), statusFor(code));

/** app.onError: typed errors keep their code; anything else is a 500 that says nothing internal. */
export function handleError(
  error: Error,
  c: Context,
  log?: (error: Error) => void,
  render: ErrorRenderer = houseError,
): Response | Promise<Response> {
  if (error instanceof NodeError || error instanceof RegistryError || error instanceof ProtocolError) {
    const details = 'details' in error ? error.details : undefined;
    return render(c, error.code, error.message, details);
  }
  log?.(error);
  return render(c, 'INTERNAL', 'internal error');
}
