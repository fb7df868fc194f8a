/**
 * Errors of the OpenID for Verifiable Credentials edges, in the shape those
 * specs prescribe (RFC 6749 §5.2, OID4VCI 1.0 §8.3.1.2, OID4VP 1.0 §8.5):
 * `{"error": "invalid_grant", "error_description": "…"}`, not the node's own
 * error body, because wallets parse exactly these codes.
 */
export type OpenIdErrorCode =
  // RFC 6749 §5.2 (token endpoint)
  | 'invalid_request'
  | 'invalid_grant'
  | 'invalid_client'
  | 'unsupported_grant_type'
  // RFC 6750 §3.1 (bearer token at the credential endpoint)
  | 'invalid_token'
  // OID4VCI 1.0 §8.3.1.2
  | 'invalid_credential_request'
  | 'unknown_credential_configuration'
  | 'unknown_credential_identifier'
  | 'invalid_proof'
  | 'invalid_nonce'
  | 'credential_request_denied'
  // OID4VP 1.0 §8.5 and RFC 6749 (authorization response)
  | 'invalid_request_uri_method'
  | 'vp_formats_not_supported'
  | 'access_denied'
  // limits
  | 'slow_down';

const STATUS: Record<OpenIdErrorCode, number> = {
  invalid_request: 400,
  invalid_grant: 400,
  invalid_client: 401,
  unsupported_grant_type: 400,
  invalid_token: 401,
  invalid_credential_request: 400,
  unknown_credential_configuration: 400,
  unknown_credential_identifier: 400,
  invalid_proof: 400,
  invalid_nonce: 400,
  credential_request_denied: 400,
  invalid_request_uri_method: 400,
  vp_formats_not_supported: 400,
  access_denied: 400,
  slow_down: 429,
};

export class OpenIdError extends Error {
  readonly code: OpenIdErrorCode;
  readonly status: number;
  constructor(code: OpenIdErrorCode, description: string) {
    super(description);
    this.name = 'OpenIdError';
    this.code = code;
    this.status = STATUS[code];
  }

  body(): { error: OpenIdErrorCode; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}
