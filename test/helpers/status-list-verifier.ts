/** A verifier whose foreign status lists are served from a map (URL → list credential), everything else 404. */
import { createForeignStatusListSource } from '../../node/verification/status-lists.ts';
import { createVerifier } from '../../node/verification/verifier.ts';
import { createDidResolution } from '../../protocol/signing/did-resolution.ts';
import { createInProcessProofVerifier } from '../../protocol/signing/proof-verifier.ts';

export function verifierServingLists(lists: ReadonlyMap<string, unknown>, now?: () => Date) {
  const listFetch: typeof fetch = async (input) => {
    const list = lists.get(String(input instanceof Request ? input.url : input));
    return list
      ? new Response(JSON.stringify(list), { headers: { 'content-type': 'application/json' } })
      : new Response('not found', { status: 404 });
  };
  return createVerifier({
    didResolution: createDidResolution(),
    proofVerifier: createInProcessProofVerifier(),
    // The list hosts "resolve" to a public address: the address guard lets them through to the map.
    statusLists: createForeignStatusListSource({ fetch: listFetch, lookup: async () => ['93.184.215.14'] }),
    ...(now ? { now } : {}),
  });
}
