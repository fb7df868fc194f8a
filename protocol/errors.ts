/**
 * Typed errors for wire formats, signing and resolution. Codes are stable:
 * callers (and node/http/errors.ts) match on `code`, never on messages.
 */
export type ProtocolErrorCode =
  | 'INVALID_DID'
  | 'DID_NOT_FOUND'
  | 'DID_METHOD_NOT_SUPPORTED'
  | 'DID_HOST_REFUSED'
  | 'FETCH_FAILED'
  | 'FETCH_TOO_LARGE'
  | 'CONTEXT_NOT_BUNDLED'
  | 'DOCUMENT_NOT_ALLOWED'
  | 'UNSUPPORTED_CRYPTOSUITE'
  | 'INVALID_KEY'
  | 'MESSAGE_TOO_LARGE'
  | 'MALFORMED_MESSAGE'
  | 'PEER_ERROR';

export class ProtocolError extends Error {
  readonly code: ProtocolErrorCode;
  constructor(code: ProtocolErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtocolError';
    this.code = code;
  }
}
