/**
 * The trust check's view of the registry: trust paths from the node's anchors
 * (registry/trust.ts) and who the followed networks say the issuer is.
 */
import { membershipsOf, ob2MemberIn } from '../../registry/queries.ts';
import { findTrustPath } from '../../registry/trust.ts';
import type { NetworkState } from '../../registry/types.ts';
import type { TrustEvaluator } from './verifier.ts';

export function createTrustEvaluator(options: {
  networks: () => NetworkState[];
  anchors: () => string[];
  maxDepth?: number;
}): TrustEvaluator {
  return (query) => {
    const states = options.networks();
    const answer = findTrustPath(
      new Map(states.map((s) => [s.id, s])),
      options.anchors(),
      query,
      options.maxDepth ?? 3,
    );
    // An OB 2.0 issuer Profile is shown as the member that declares it (the first network that does).
    const did =
      query.ob2Profile === undefined
        ? query.issuer
        : (states.map((s) => ob2MemberIn(s, query.ob2Profile as string)).find((d) => d !== undefined) ?? query.issuer);
    const memberships = membershipsOf(states, did);
    if (memberships.length === 0) return { answer };
    const current = memberships.find((m) => m.status === 'active') ?? memberships[0];
    return {
      answer,
      issuer: {
        name: current.name,
        ...(current.url ? { url: current.url } : {}),
        ...(current.logo ? { logo: current.logo } : {}),
        networks: memberships.map((m) => ({
          id: m.network,
          name: m.networkName,
          status: m.status,
          accreditations: m.accreditations,
        })),
      },
    };
  };
}
