/**
 * A VCALM exchange client written from the W3C VCALM draft alone ("Interaction
 * URLs", "Workflows and Exchanges", "DID Authentication", "Query By Example"):
 * fetch the interaction URL for its protocols, POST `{}` to the `vcapi` URL,
 * answer the verifiable presentation request with a signed presentation, and
 * take what the server sends back (issued credentials, or `{}` when done).
 */
import type { HolderKey } from './holder-key.ts';
import { signedPresentation } from './present.ts';

type Json = Record<string, unknown>;

async function postJson(url: string, body: unknown, fetchImpl: typeof fetch): Promise<Json> {
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as Json;
  if (!response.ok) {
    const error = (answer.error ?? answer) as Json;
    throw Object.assign(new Error(`exchange refused (${response.status}): ${error.message ?? error.title ?? ''}`), {
      status: response.status,
      body: answer,
    });
  }
  return answer;
}

export interface ExchangeOutcome {
  protocols: Json;
  /** Credentials the server delivered in a verifiablePresentation. */
  credentials: Json[];
  /** The last request the server sent, as answered. */
  request: Json;
}

/** Runs one exchange by vcapi; `credentials` are what the holder may present for a Query By Example. */
export async function runExchange(options: {
  interactionUrl: string;
  key: HolderKey;
  credentials?: Json[];
  fetch?: typeof fetch;
}): Promise<ExchangeOutcome> {
  const fetchImpl = options.fetch ?? fetch;
  const protocols = (await (
    await fetchImpl(options.interactionUrl, { headers: { accept: 'application/json' } })
  ).json()) as { protocols?: Json };
  const vcapi = protocols.protocols?.vcapi;
  if (typeof vcapi !== 'string') throw new Error('the interaction offers no vcapi protocol');
  const first = await postJson(vcapi, {}, fetchImpl);
  const request = first.verifiablePresentationRequest as Json | undefined;
  if (!request) return { protocols: protocols.protocols ?? {}, credentials: [], request: {} };
  const queries = ([] as Json[]).concat((request.query ?? []) as Json[]);
  const presented: Json[] = [];
  for (const query of queries) {
    if (query.type !== 'QueryByExample') continue;
    const example = ((query.credentialQuery as Json | undefined)?.example ?? {}) as Json;
    const wanted = ([] as unknown[]).concat(example.type ?? []);
    const match = (options.credentials ?? []).find((c) => {
      const types = ([] as unknown[]).concat(c.type ?? []);
      return wanted.every((t) => types.includes(t));
    });
    if (!match) throw new Error(`no credential fits the query for ${wanted.join(', ')}`);
    presented.push(match);
  }
  // DID Authentication (and any credentials asked for) in one presentation over the challenge and domain.
  const vp = await signedPresentation(options.key, presented, String(request.challenge), String(request.domain));
  const second = await postJson(vcapi, { verifiablePresentation: vp }, fetchImpl);
  const delivered = second.verifiablePresentation as Json | Json[] | undefined;
  const credentials = ([] as Json[])
    .concat(delivered ?? [])
    .flatMap((p) => ([] as Json[]).concat((p.verifiableCredential ?? []) as Json[]));
  return { protocols: protocols.protocols ?? {}, credentials, request };
}
