/**
 * What a wallet reads before it asks for a credential (OID4VCI 1.0 §12.2 and
 * RFC 8414): the credential issuer metadata, the authorization server metadata
 * of the pre-authorized code flow, and the credential offer (§4.1).
 */
import { JWT_SIGNING_ALGORITHMS } from '../jose/vc-jwt-issue.ts';
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from '../signing/contexts.ts';
import { PROOF_ALGORITHMS } from './proof-jwt.ts';

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const OFFER_SCHEME = 'openid-credential-offer://';

/** The Data Integrity cryptosuites the node signs with: the ldp_vc `credential_signing_alg_values_supported`. */
export const LDP_CRYPTOSUITES = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'Ed25519Signature2020'] as const;

/** The OID4VCI 1.0 credential formats offered: Data Integrity (Appendix A.1.2) and VC 1.1 JWT (Appendix A.1.1). */
export type OfferFormat = 'ldp_vc' | 'jwt_vc_json';

export interface CredentialConfiguration {
  id: string;
  format: OfferFormat;
  name: string;
  description: string;
  type: string[];
  context: string[];
}

/** The kinds of credential this node issues to wallets (Open Badges 3.0 achievement credentials). */
export const CREDENTIAL_CONFIGURATIONS: readonly CredentialConfiguration[] = [
  {
    id: 'OpenBadgeCredential_ldp_vc',
    format: 'ldp_vc',
    name: 'Open Badge',
    description: 'An Open Badges 3.0 achievement credential',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    context: [VC_V2_CONTEXT, OB_V3_CONTEXT],
  },
  {
    // A VC 1.1 credential signed as a JWT: the format most deployed wallets accept (OID4VCI 1.0 Appendix A.1.1).
    id: 'OpenBadgeCredential_jwt_vc_json',
    format: 'jwt_vc_json',
    name: 'Open Badge (JWT)',
    description: 'An Open Badges 3.0 achievement credential, secured as a VC 1.1 JWT',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    context: [],
  },
];

export interface EndpointUrls {
  /** The Credential Issuer Identifier: the node's public base URL, no trailing slash. */
  issuer: string;
  token: string;
  nonce: string;
  credential: string;
}

export function endpointUrls(publicUrl: string): EndpointUrls {
  const issuer = publicUrl.replace(/\/+$/, '');
  return {
    issuer,
    token: `${issuer}/oid4vci/token`,
    nonce: `${issuer}/oid4vci/nonce`,
    credential: `${issuer}/oid4vci/credential`,
  };
}

/** §12.2.4; `credential_metadata` marks the 1.0 shape (display moved there from the configuration). */
export function credentialIssuerMetadata(urls: EndpointUrls, issuerName: string): Record<string, unknown> {
  return {
    credential_issuer: urls.issuer,
    credential_endpoint: urls.credential,
    nonce_endpoint: urls.nonce,
    display: [{ name: issuerName, locale: 'en' }],
    credential_configurations_supported: Object.fromEntries(
      CREDENTIAL_CONFIGURATIONS.map((c) => [
        c.id,
        {
          format: c.format,
          cryptographic_binding_methods_supported: ['did:key', 'jwk'],
          // ldp_vc: cryptosuite names; jwt_vc_json: JOSE algorithm names (Appendix A.1.1.2, A.1.2.2).
          credential_signing_alg_values_supported:
            c.format === 'ldp_vc' ? [...LDP_CRYPTOSUITES] : [...JWT_SIGNING_ALGORITHMS],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...PROOF_ALGORITHMS] } },
          // A jwt_vc_json credential_definition has no @context (Appendix A.1.1.2).
          credential_definition: c.format === 'ldp_vc' ? { '@context': c.context, type: c.type } : { type: c.type },
          credential_metadata: { display: [{ name: c.name, description: c.description, locale: 'en' }] },
        },
      ]),
    ),
  };
}

/** RFC 8414 for the pre-authorized code flow only: the issuer is its own authorization server. */
export function authorizationServerMetadata(urls: EndpointUrls): Record<string, unknown> {
  return {
    issuer: urls.issuer,
    token_endpoint: urls.token,
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    token_endpoint_auth_methods_supported: ['none'],
    // §12.3: wallets need no client registration to redeem a pre-authorized code.
    'pre-authorized_grant_anonymous_access_supported': true,
    response_types_supported: [],
  };
}

export interface TxCodeSpec {
  length: number;
  description: string;
}

/** §4.1.1 credential offer object. */
export function credentialOffer(options: {
  issuer: string;
  configurationId: string;
  preAuthorizedCode: string;
  txCode?: TxCodeSpec;
}): Record<string, unknown> {
  return {
    credential_issuer: options.issuer,
    credential_configuration_ids: [options.configurationId],
    grants: {
      [PRE_AUTHORIZED_GRANT]: {
        'pre-authorized_code': options.preAuthorizedCode,
        ...(options.txCode
          ? {
              tx_code: {
                input_mode: 'numeric',
                length: options.txCode.length,
                description: options.txCode.description,
              },
            }
          : {}),
      },
    },
  };
}

/** §4.1: the offer by value. */
export function offerUriByValue(offer: Record<string, unknown>): string {
  return `${OFFER_SCHEME}?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`;
}

/** §4.1.3: the offer by reference (short enough for any QR code). */
export function offerUriByReference(offerUrl: string): string {
  return `${OFFER_SCHEME}?credential_offer_uri=${encodeURIComponent(offerUrl)}`;
}
