/**
 * Receives a credential from a credential offer URI (OID4VCI 1.0 pre-authorized
 * code flow), as a wallet does: every step is the OpenWallet Foundation's
 * @openid4vc/openid4vci client; this file only supplies the key and the choices.
 */
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { type HolderKey, signerOf, walletCallbacks } from './holder-key.ts';

export interface ReceiveOptions {
  offerUri: string;
  key: HolderKey;
  txCode?: string;
  /** Bind to the did:key (default) or to the bare key (jwk). */
  binding?: 'did' | 'jwk';
  fetch?: typeof fetch;
}

export async function receiveCredential(options: ReceiveOptions): Promise<{
  /** The credential; for a JWT (jwt_vc_json), the credential its `vc` claim carries, as a wallet shows it. */
  credential: Record<string, unknown>;
  /** The compact JWT, when the issuer sent one (jwt_vc_json): what the wallet keeps and presents. */
  jwt?: string;
  issuer: string;
  configurationId: string;
}> {
  const client = new Openid4vciClient({ callbacks: walletCallbacks(options.key, options.fetch) as never });
  const offer = await client.resolveCredentialOffer(options.offerUri);
  const issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);
  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer: offer,
    issuerMetadata,
    txCode: options.txCode,
  });
  const configurationId = offer.credential_configuration_ids[0];
  const { c_nonce } = await client.requestNonce({ issuerMetadata });
  const { jwt } = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId: configurationId,
    signer: signerOf(options.key, options.binding),
    nonce: c_nonce,
  });
  const { credentialResponse } = await client.retrieveCredentials({
    issuerMetadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId: configurationId,
    proofs: { jwt: [jwt] },
  });
  const first = credentialResponse.credentials?.[0] as { credential?: unknown } | undefined;
  const issuer = offer.credential_issuer;
  if (typeof first?.credential === 'string') {
    const payload = JSON.parse(Buffer.from(first.credential.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return { credential: payload.vc, jwt: first.credential, issuer, configurationId };
  }
  if (!first?.credential || typeof first.credential !== 'object') throw new Error('the issuer returned no credential');
  return { credential: first.credential as Record<string, unknown>, issuer, configurationId };
}
