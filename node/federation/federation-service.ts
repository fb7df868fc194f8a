/**
 * Who signs a network's federation statements here, and with which key: only a node holding the private
 * half of a key the network's governors approved (decision 0025). Any other node refuses with a code and
 * the holders to ask instead, never with a statement signed by a key the governors did not approve.
 */
import type { FederationSigningKey } from '../../protocol/federation/entity-statement.ts';
import {
  type FederationUrls,
  federationKeysAt,
  federationUrls,
  type PublicJwk,
  publicJwk,
} from '../../registry/federation.ts';
import type { NetworkState } from '../../registry/types.ts';
import { NodeError } from '../errors.ts';
import type { RegistryService } from '../registry/registry-service.ts';
import type { FederationKeyring } from './federation-keys.ts';

export interface FederationServiceOptions {
  registry: RegistryService;
  keyring: FederationKeyring;
  publicUrl: string;
  /** Networks served: the followed ones. */
  followed: () => string[];
  now?: () => Date;
  /** How long a signed answer may be relied on (exp − iat), at most. Default 10 minutes. */
  ttlMs?: number;
}

export interface NetworkFederation {
  state: NetworkState;
  urls: FederationUrls;
  jwks: PublicJwk[];
  at: number;
  ttlMs: number;
}

export interface SigningFederation extends NetworkFederation {
  key: FederationSigningKey;
}

export interface FederationService {
  /** The network as this node sees it; throws UNKNOWN_NETWORK when it does not follow it. */
  network(networkId: string): NetworkFederation;
  /** As `network`, with the approved key this node holds; throws when it holds none. */
  signing(networkId: string): SigningFederation;
  urls(networkId: string): FederationUrls;
}

export const DEFAULT_FEDERATION_TTL_MS = 10 * 60_000;

export function createFederationService(options: FederationServiceOptions): FederationService {
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? DEFAULT_FEDERATION_TTL_MS;
  const urls = (networkId: string) => federationUrls(options.publicUrl, networkId);

  function network(networkId: string): NetworkFederation {
    const state = options.followed().includes(networkId) ? options.registry.network(networkId) : undefined;
    if (!state) throw new NodeError('NOT_FOUND', `this node serves no federation for a network ${networkId}`);
    const at = now().getTime();
    return { state, urls: urls(networkId), jwks: federationKeysAt(state, at).map(publicJwk), at, ttlMs };
  }

  return {
    network,
    urls,
    signing(networkId) {
      const federation = network(networkId);
      const approved = federationKeysAt(federation.state, federation.at);
      if (approved.length === 0) {
        throw new NodeError(
          'NO_FEDERATION_KEYS',
          'the governors of this network have not approved any federation signing key (action federation.keys)',
        );
      }
      // The first listed key held here signs: governors list the key to sign with first during a rotation.
      const key = approved.map((k) => options.keyring.get(k.kid)).find((k) => k !== undefined);
      if (!key) {
        throw new NodeError(
          'FEDERATION_KEY_NOT_HELD',
          'this node holds no approved federation key of this network; ask a node that does',
          {
            signers: approved.map((k) => ({
              kid: k.kid,
              holder: k.holder,
              entityConfiguration: `${federationUrls(k.holder, networkId).entityId}/.well-known/openid-federation`,
            })),
          },
        );
      }
      return { ...federation, key };
    },
  };
}
