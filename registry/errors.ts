/**
 * Typed errors of the pure domain. Codes are stable; node/http/errors.ts maps
 * them to HTTP statuses.
 */
export type RegistryErrorCode =
  | 'INVALID_CREDENTIAL'
  | 'INVALID_PRESENTATION'
  | 'FOREIGN_ISSUER'
  | 'STATUS_INDEX_OUT_OF_RANGE'
  | 'STATUS_LIST_INVALID'
  | 'STATUS_PURPOSE_NOT_ISSUED'
  | 'INVALID_ACTION'
  | 'UNKNOWN_ACTION_TYPE'
  | 'UNKNOWN_NETWORK'
  | 'NOT_A_GOVERNOR'
  | 'WRONG_NETWORK'
  | 'UNSIGNED_ACTION'
  | 'TOO_MANY_PENDING'
  | 'INVALID_SIGNATURE'
  | 'EFFECTIVE_TIME_IN_FUTURE'
  | 'ACTION_NOT_APPLICABLE'
  | 'INVALID_PUBLICATION'
  | 'PUBLICATION_TOO_LARGE'
  | 'NOT_A_MEMBER'
  | 'STALE_PUBLICATION'
  | 'INVALID_FRAMEWORK'
  | 'INVALID_CROSSWALK'
  | 'NOT_CASE'
  | 'NOT_OSMT'
  | 'PAYLOAD_TOO_COMPLEX'
  | 'JSON_NOT_CANONICALIZABLE';

export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  readonly details?: unknown;
  constructor(code: RegistryErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'RegistryError';
    this.code = code;
    this.details = details;
  }
}
