/**
 * The trust check extended to other federations (decision 0026): when no path from the node's anchor
 * networks makes the issuer trusted, ask the configured OpenID Federation anchors. A chain found is
 * reported like a network path; an unreachable registry leaves the check unchecked; a statement that fails
 * its checks is reported with its code and never makes the issuer trusted.
 */
import type { FederationResolver } from '../../protocol/federation/chain-resolver.ts';
import type { TrustEvaluator } from '../verification/verifier.ts';

// Answers of the network check that say nothing about the issuer: another source may still speak.
const SILENT = new Set(['NO_ANCHORS', 'NOT_A_MEMBER', 'NO_TRUST_PATH']);

export function withFederationTrust(
  base: TrustEvaluator,
  options: { resolver: FederationResolver; anchors: () => string[] },
): TrustEvaluator {
  return async (query, signal) => {
    const local = await base(query, signal);
    const anchors = options.anchors();
    if (local.answer.trusted || anchors.length === 0) return local;
    const found = await options.resolver.resolve(query.issuer, anchors, signal);
    if (found.status === 'trusted') {
      const entity = found.metadata.federation_entity;
      // A registry that states credential types (another LER node does, in `ler_issuer`) scopes its trust.
      const scoped = (found.metadata.ler_issuer as { credential_types?: unknown } | undefined)?.credential_types;
      const types = Array.isArray(scoped)
        ? query.credentialTypes.filter((t) => scoped.includes(t))
        : query.credentialTypes;
      if (types.length === 0) {
        return {
          ...local,
          answer: {
            trusted: false,
            code: 'NOT_ACCREDITED',
            message: `registered under OpenID Federation anchor ${found.anchorName ?? found.anchor}, not for this credential type`,
          },
        };
      }
      return {
        answer: {
          trusted: true,
          code: 'TRUSTED',
          message: `trusted via OpenID Federation anchor ${found.anchorName ?? found.anchor} (${found.anchor})`,
          trustPath: found.path,
          credentialType: types[0],
        },
        issuer: local.issuer ?? {
          ...(typeof entity?.organization_name === 'string' ? { name: entity.organization_name } : {}),
          ...(typeof entity?.homepage_uri === 'string' ? { url: entity.homepage_uri } : {}),
          networks: [],
        },
      };
    }
    if (!SILENT.has(local.answer.code)) return local;
    if (found.status === 'not_found') {
      return local.answer.code === 'NO_ANCHORS'
        ? { ...local, answer: { trusted: false, code: 'NO_TRUST_PATH', message: found.message } }
        : local;
    }
    return {
      ...local,
      answer: { trusted: false, code: found.code, message: found.message, unchecked: found.status === 'unchecked' },
    };
  };
}
