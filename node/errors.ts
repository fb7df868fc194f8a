/**
 * Typed errors of the node process (storage, configuration, HTTP input).
 * node/http/errors.ts maps every code of every layer to an HTTP status.
 */
export type NodeErrorCode =
  | 'DATA_DIR_IN_USE'
  | 'DATA_DIR_DAMAGED'
  | 'DATABASE_DAMAGED'
  | 'IDENTITY_MISSING'
  | 'DATA_LOST'
  | 'CONFIG_INVALID'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'MALFORMED_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'PAYLOAD_TOO_COMPLEX'
  | 'VALIDATION_FAILED'
  | 'UNKNOWN_OPTION_PROVIDED'
  | 'CREDENTIAL_NOT_FOUND'
  | 'CREDENTIAL_EXISTS'
  | 'REVOCATION_FINAL'
  | 'STATUS_LIST_NOT_FOUND'
  | 'RATE_LIMITED'
  | 'PROPOSAL_NOT_FOUND'
  | 'GOVERNOR_KEY_NOT_HELD'
  | 'MEMBER_NOT_FOUND'
  | 'STARTING'
  | 'PROOF_WORKER_FAILED'
  | 'JSON_NOT_CANONICALIZABLE'
  | 'HOST_NOT_ALLOWED'
  | 'BUSY'
  | 'REQUEST_ABORTED'
  | 'NO_FEDERATION_KEYS'
  | 'FEDERATION_KEY_NOT_HELD'
  | 'INVALID_ISSUER'
  | 'INVALID_SUBJECT'
  | 'INVALID_TRUST_ANCHOR'
  | 'ANCHOR_CONFIGURED'
  | 'BACKUP_INVALID'
  | 'DATA_DIR_NOT_EMPTY'
  | 'INTERNAL';

export class NodeError extends Error {
  readonly code: NodeErrorCode;
  readonly details?: unknown;
  constructor(code: NodeErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'NodeError';
    this.code = code;
    this.details = details;
  }
}
