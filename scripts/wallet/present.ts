/**
 * Answers an OID4VP 1.0 presentation request URI, as a wallet does: the
 * OpenWallet Foundation's @openid4vc/openid4vp client parses the URI, fetches
 * and verifies the signed request object, and posts the response; this file
 * verifies the verifier's JWT signature (did:key or did:web), picks the
 * credential the DCQL query asks for and signs the presentation (Data Integrity
 * eddsa-rdfc-2022, challenge = nonce, domain = client_id: OID4VP Appendix B.1.3.2).
 */
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { compactVerify, importJWK, type JWK } from 'jose';
import { base58btc } from 'multiformats/bases/base58';
import { bundledContexts } from '../../protocol/signing/contexts.ts';
import { type HolderKey, walletCallbacks } from './holder-key.ts';

type Json = Record<string, unknown>;

/** Static context documents only: a wallet signing a presentation needs nothing from the network. */
async function contextLoader(url: string) {
  const document = bundledContexts.get(url);
  if (!document) throw new Error(`context not bundled: ${url}`);
  return { document, documentUrl: url, contextUrl: null };
}

/** An Ed25519 Multikey (multicodec 0xed01 + 32 bytes, base58btc) as a JWK. */
function ed25519Jwk(multibase: string): JWK {
  const bytes = base58btc.decode(multibase);
  if (bytes[0] !== 0xed || bytes[1] !== 0x01 || bytes.length !== 34) throw new Error('not an Ed25519 multikey');
  return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(bytes.subarray(2)).toString('base64url') };
}

/** The verifier's public key for the request object's kid: did:key from the DID itself, did:web from its document. */
async function verifierJwk(didUrl: string, fetchImpl: typeof fetch): Promise<JWK> {
  const did = didUrl.split('#')[0];
  if (did.startsWith('did:key:z6Mk')) return ed25519Jwk(did.slice('did:key:'.length));
  if (did.startsWith('did:web:')) {
    const [host, ...path] = did.slice('did:web:'.length).split(':').map(decodeURIComponent);
    const url = path.length ? `https://${host}/${path.join('/')}/did.json` : `https://${host}/.well-known/did.json`;
    const document = (await (await fetchImpl(url)).json()) as Json;
    const method = ((document.verificationMethod ?? []) as Json[]).find((vm) => vm.id === didUrl);
    if (typeof method?.publicKeyMultibase === 'string') return ed25519Jwk(method.publicKeyMultibase);
    if (method?.publicKeyJwk) return method.publicKeyJwk as JWK;
  }
  throw new Error(`cannot find the verifier key ${didUrl}`);
}

export interface PresentOptions {
  requestUri: string;
  key: HolderKey;
  /** The wallet's credentials; the first whose type fits the query is presented. */
  credentials: Json[];
  fetch?: typeof fetch;
  /** Override what is presented (tests of refusals). */
  tamper?: (presentation: Json, request: { nonce: string; clientId: string }) => Promise<Json> | Json;
}

export interface PresentResult {
  status: number;
  body: unknown;
  verifier: string;
  credentialId?: string;
}

export async function presentCredential(options: PresentOptions): Promise<PresentResult> {
  const fetchImpl = options.fetch ?? fetch;
  const callbacks = {
    ...walletCallbacks(options.key, fetchImpl),
    verifyJwt: async (signer: { method: string; didUrl?: string }, jwt: { compact: string }) => {
      if (signer.method !== 'did' || !signer.didUrl) return { verified: false as const };
      const jwk = await verifierJwk(signer.didUrl, fetchImpl);
      try {
        await compactVerify(jwt.compact, await importJWK(jwk, 'EdDSA'));
        return { verified: true as const, signerJwk: jwk as never };
      } catch {
        return { verified: false as const };
      }
    },
  };
  const client = new Openid4vpClient({ callbacks: callbacks as never });
  const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: options.requestUri });
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: parsed.params as never,
  });
  const request = resolved.authorizationRequestPayload as Json;
  const query = resolved.dcql?.query as { credentials: Array<{ id: string; meta?: Json }> } | undefined;
  const credentialQuery = query?.credentials?.[0];
  if (!credentialQuery) throw new Error('the request has no DCQL credential query');
  // type_values are expanded IRIs; compare their last segment with the credentials' compact types.
  const wanted = ((credentialQuery.meta?.type_values as string[][] | undefined)?.[0] ?? []).map(
    (iri) => iri.split(/[#/]/).pop() as string,
  );
  const credential = options.credentials.find((c) => {
    const types = ([] as unknown[]).concat(c.type ?? []);
    return wanted.every((t) => types.includes(t));
  });
  if (!credential) throw new Error(`no credential in the wallet is a ${wanted.join(' + ')}`);
  const nonce = request.nonce as string;
  const clientId = request.client_id as string;
  let presentation: Json = await vc.signPresentation({
    presentation: vc.createPresentation({ verifiableCredential: [credential], holder: options.key.did }),
    suite: new DataIntegrityProof({ signer: options.key.multikey.signer(), cryptosuite: eddsaRdfc2022 }),
    challenge: nonce,
    domain: clientId,
    documentLoader: contextLoader,
  });
  if (options.tamper) presentation = await options.tamper(presentation, { nonce, clientId });
  const { authorizationResponsePayload } = await client.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request as never,
    authorizationResponsePayload: { vp_token: { [credentialQuery.id]: [presentation] } as never },
  });
  const { response } = await client.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request as never,
    authorizationResponsePayload,
  });
  return {
    status: response.status,
    body: await response.json().catch(() => undefined),
    verifier: resolved.client.identifier,
    credentialId: typeof credential.id === 'string' ? credential.id : undefined,
  };
}

/** Signs a presentation for a given nonce and domain, as a wallet would: for tests that replay or misdirect one. */
export async function signedPresentation(key: HolderKey, credentials: Json[], nonce: string, domain: string) {
  return vc.signPresentation({
    presentation: vc.createPresentation({ verifiableCredential: credentials, holder: key.did }),
    suite: new DataIntegrityProof({ signer: key.multikey.signer(), cryptosuite: eddsaRdfc2022 }),
    challenge: nonce,
    domain,
    documentLoader: contextLoader,
  });
}
