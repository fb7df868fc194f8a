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
  credential: Record<string, unknown>;
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
  if (!first?.credential || typeof first.credential !== 'object') throw new Error('the issuer returned no credential');
  return { credential: first.credential as Record<string, unknown>, issuer: offer.credential_issuer, configurationId };
}
