/**
 * VCALM workflow and exchange messages (W3C VCALM draft, "Workflows and
 * Exchanges", "DID Authentication", "Query By Example", "Interaction URLs"):
 * the verifiable presentation requests this node sends and the protocols
 * answer. Pure: no I/O.
 */
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from '../signing/contexts.ts';

export const WORKFLOWS = ['issuance', 'verification'] as const;
export type Workflow = (typeof WORKFLOWS)[number];

const ACCEPTED_CRYPTOSUITES = [{ cryptosuite: 'eddsa-rdfc-2022' }, { cryptosuite: 'eddsa-jcs-2022' }];

/** "DID Authentication": prove control of a DID by signing the challenge (did:key here: no resolution needed). */
export function didAuthenticationRequest(challenge: string, domain: string): Record<string, unknown> {
  return {
    query: [
      { type: 'DIDAuthentication', acceptedMethods: [{ method: 'key' }], acceptedCryptosuites: ACCEPTED_CRYPTOSUITES },
    ],
    challenge,
    domain,
  };
}

/** "Query By Example" for one credential type, with DID Authentication of the holder in the same presentation. */
export function queryByExampleRequest(
  type: string,
  challenge: string,
  domain: string,
  reason: string,
): Record<string, unknown> {
  return {
    query: [
      {
        type: 'QueryByExample',
        credentialQuery: {
          reason,
          example: { '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT], type: ['VerifiableCredential', type] },
          acceptedCryptosuites: ACCEPTED_CRYPTOSUITES,
        },
      },
      { type: 'DIDAuthentication', acceptedMethods: [{ method: 'key' }] },
    ],
    challenge,
    domain,
  };
}

/** "Get Exchange Protocols" / "Interaction Protocols Response": the keys the draft lists (and the deprecated ones). */
export function protocolsOf(workflow: Workflow, vcapi: string, openId: string): Record<string, unknown> {
  return workflow === 'issuance'
    ? { protocols: { vcapi, 'oid4vci-1.0': openId, OID4VCI: openId } }
    : { protocols: { vcapi, 'oid4vp-1.0': openId, OID4VP: openId } };
}
