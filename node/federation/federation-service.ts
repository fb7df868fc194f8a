/**
 * Who signs a network's federation statements here, and with which key: only a node holding the private
 * half of a key the network's governors approved (decision 0025). Any other node refuses with a code and
 * the holders to ask instead, never with a statement signed by a key the governors did not approve.
 */
import type { FederationSigningKey } from '../../protocol/federation/entity-statement.ts';
import {
  type FederationUrls,
  federationBase,
  federationKeysAt,
  federationUrls,
  type PublicJwk,
  publicJwk,
  recognizersOf,
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
  /** Entity identifiers of the followed networks that recognize this one now: its superiors. */
  superiors: string[];
  /** Entity identifiers of the followed networks this one recognizes now (with approved keys): subordinates. */
  subordinateNetworks(): string[];
  /** A followed network that this one recognizes now, by its entity identifier, with its keys. */
  recognized(entityId: string): { entityId: string; jwks: PublicJwk[]; state: NetworkState } | undefined;
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
  /** The networks served: the followed ones this node has state for. */
  followedNetworks(): string[];
  /** The followed network whose trust anchor entity identifier is `entityId` now, if any. */
  networkOf(entityId: string): string | undefined;
}

export const DEFAULT_FEDERATION_TTL_MS = 10 * 60_000;

export function createFederationService(options: FederationServiceOptions): FederationService {
  const now = options.now ?? (() => new Date());
  const ttlMs = options.ttlMs ?? DEFAULT_FEDERATION_TTL_MS;
  const urls = (networkId: string) => federationUrls(options.publicUrl, networkId);

  const followedStates = () => options.followed().flatMap((id) => options.registry.network(id) ?? []);
  // Every node names a network by the holder of its first approved key (decision 0025).
  const urlsOf = (state: NetworkState, at: number) =>
    federationUrls(federationBase(state, at, options.publicUrl), state.id);

  function network(networkId: string): NetworkFederation {
    const state = options.followed().includes(networkId) ? options.registry.network(networkId) : undefined;
    if (!state) throw new NodeError('NOT_FOUND', `this node serves no federation for a network ${networkId}`);
    const at = now().getTime();
    const superiors = recognizersOf(followedStates(), networkId, at)
      .filter(({ state: other }) => federationKeysAt(other, at).length > 0)
      .map(({ state: other }) => urlsOf(other, at).entityId);
    return {
      state,
      urls: urlsOf(state, at),
      jwks: federationKeysAt(state, at).map(publicJwk),
      at,
      ttlMs,
      superiors,
      subordinateNetworks: () =>
        followedStates()
          .filter((other) => other.id !== networkId && federationKeysAt(other, at).length > 0)
          .filter((other) => recognizersOf([state], other.id, at).length > 0)
          .map((other) => urlsOf(other, at).entityId),
      recognized(entityId) {
        const match = /\/oidf\/([A-Za-z0-9_-]{43})$/.exec(entityId);
        const other = match && match[1] !== networkId ? options.registry.network(match[1]) : undefined;
        if (!other || !options.followed().includes(other.id) || urlsOf(other, at).entityId !== entityId)
          return undefined;
        const jwks = federationKeysAt(other, at).map(publicJwk);
        return jwks.length ? { entityId, jwks, state: other } : undefined;
      },
    };
  }

  return {
    network,
    urls,
    followedNetworks: () => followedStates().map((state) => state.id),
    networkOf(entityId) {
      const match = /\/oidf\/([A-Za-z0-9_-]{43})$/.exec(entityId);
      const state = match && options.followed().includes(match[1]) ? options.registry.network(match[1]) : undefined;
      return state && urlsOf(state, now().getTime()).entityId === entityId ? state.id : undefined;
    },
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
