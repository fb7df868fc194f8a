/**
 * The trust check's view of the registry: trust paths from the node's anchors
 * (registry/trust.ts) and who the followed networks say the issuer is.
 */
import { membershipsOf } from '../../registry/queries.ts';
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
    const memberships = membershipsOf(states, query.issuer);
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
