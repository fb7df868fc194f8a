/**
 * OID4VP 1.0 wire formats for a verifier: the DCQL query (§6), the signed
 * request object passed by reference (§5, RFC 9101), the request URI, and the
 * `vp_token` of a direct_post response (§8.1, §8.2). Pure: no I/O.
 */
export const REQUEST_OBJECT_TYPE = 'oauth-authz-req+jwt';
export const REQUEST_SCHEME = 'openid4vp://';
/** §5.8: the static audience of a request object when the wallet is not known in advance. */
export const SELF_ISSUED_AUDIENCE = 'https://self-issued.me/v2';
export const CREDENTIAL_QUERY_ID = 'credential';

/** Compact types the node asks for → their IRIs after JSON-LD expansion (Appendix B.1.1 `type_values`). */
const TYPE_IRIS: Record<string, string> = {
  VerifiableCredential: 'https://www.w3.org/2018/credentials#VerifiableCredential',
  OpenBadgeCredential: 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential',
  AchievementCredential: 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementCredential',
  ClrCredential: 'https://purl.imsglobal.org/spec/clr/vocab#ClrCredential',
};
export const REQUESTABLE_TYPES = Object.keys(TYPE_IRIS).filter((t) => t !== 'VerifiableCredential');

/** One credential of the given type (Appendix B.1.1: ldp_vc with `type_values`). */
export function dcqlQuery(type: string): Record<string, unknown> {
  return {
    credentials: [
      {
        id: CREDENTIAL_QUERY_ID,
        format: 'ldp_vc',
        meta: { type_values: [[TYPE_IRIS.VerifiableCredential, TYPE_IRIS[type]]] },
      },
    ],
  };
}

export function clientIdOf(did: string): string {
  return `decentralized_identifier:${did}`;
}

/** The request object's claims (§5.1 with §5.9.3's `decentralized_identifier` prefix, §8.2 direct_post). */
export function requestObjectPayload(options: {
  did: string;
  responseUri: string;
  nonce: string;
  state: string;
  type: string;
  issuedAt: Date;
  expiresAt: Date;
}): Record<string, unknown> {
  return {
    iss: options.did,
    aud: SELF_ISSUED_AUDIENCE,
    iat: Math.floor(options.issuedAt.getTime() / 1000),
    exp: Math.floor(options.expiresAt.getTime() / 1000),
    client_id: clientIdOf(options.did),
    response_type: 'vp_token',
    response_mode: 'direct_post',
    response_uri: options.responseUri,
    nonce: options.nonce,
    state: options.state,
    dcql_query: dcqlQuery(options.type),
    client_metadata: {
      vp_formats_supported: {
        ldp_vc: {
          proof_type_values: ['DataIntegrityProof', 'Ed25519Signature2020'],
          cryptosuite_values: ['eddsa-rdfc-2022', 'eddsa-jcs-2022'],
        },
      },
    },
  };
}

/** §5.10: by reference; the wallet GETs the request object at `requestUrl`. */
export function requestUri(did: string, requestUrl: string): string {
  const params = new URLSearchParams({ client_id: clientIdOf(did), request_uri: requestUrl });
  return `${REQUEST_SCHEME}?${params.toString()}`;
}

const MAX_DEPTH = 32;

/** Iterative: a hostile document must not make JSON-LD processing (or this check) recurse without bound. */
function tooDeep(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * §8.1 with DCQL: `vp_token` is a JSON object from credential query id to an array of presentations; for
 * ldp_vc each is a Verifiable Presentation object. Returns the presentations for our one query, or a reason.
 */
export function presentationsOf(vpToken: unknown): { presentations: Record<string, unknown>[] } | { error: string } {
  let token = vpToken;
  if (typeof token === 'string') {
    try {
      token = JSON.parse(token);
    } catch {
      return { error: 'vp_token must be a JSON object' };
    }
  }
  if (tooDeep(token, MAX_DEPTH)) return { error: `vp_token nested deeper than ${MAX_DEPTH} levels` };
  if (!token || typeof token !== 'object' || Array.isArray(token)) return { error: 'vp_token must be a JSON object' };
  const keys = Object.keys(token);
  if (keys.length !== 1 || keys[0] !== CREDENTIAL_QUERY_ID) {
    return { error: `vp_token must answer exactly the credential query "${CREDENTIAL_QUERY_ID}"` };
  }
  const value = (token as Record<string, unknown>)[CREDENTIAL_QUERY_ID];
  const list = Array.isArray(value) ? value : [value];
  if (list.length !== 1) return { error: 'send one presentation for the query' };
  const presentation = list[0];
  if (!presentation || typeof presentation !== 'object' || Array.isArray(presentation)) {
    return { error: 'an ldp_vc presentation must be a JSON object' };
  }
  return { presentations: [presentation as Record<string, unknown>] };
}
