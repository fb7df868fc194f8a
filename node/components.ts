/**
 * Builds the node's services from its store and settings: one plain object,
 * assembled in one place (no container). Used by the process and by tests.
 */
import { lookup } from 'node:dns/promises';
import { createFederationResolver } from '../protocol/federation/chain-resolver.ts';
import { endpointUrls } from '../protocol/oid4vc/issuance-metadata.ts';
import { didDocumentFromKeys } from '../protocol/signing/did-document.ts';
import { createDidResolution, type DidResolution } from '../protocol/signing/did-resolution.ts';
import { createDocumentLoader, type DocumentLoader } from '../protocol/signing/document-loader.ts';
import { createHttpsControllers } from '../protocol/signing/https-controllers.ts';
import { createOutboundFetcher, type OutboundFetcher } from '../protocol/signing/outbound-fetch.ts';
import { createInProcessProofVerifier, type ProofVerifier } from '../protocol/signing/proof-verifier.ts';
import { canonicalJson } from '../registry/canonical.ts';
import { keyValidityAt } from '../registry/publications.ts';
import { declaredKeys } from '../registry/queries.ts';
import type { NetworkState } from '../registry/types.ts';
import { withFederationTrust } from './federation/federated-trust.ts';
import { type FederationKeyring, openFederationKeyring } from './federation/federation-keys.ts';
import { createFederationService, type FederationService } from './federation/federation-service.ts';
import { type OidfAnchorSet, openOidfAnchorSet } from './federation/oidf-anchors.ts';
import { didDocumentOf, type Identity } from './identity.ts';
import { createIssuer, type Issuer } from './issuing/issuer.ts';
import { createJwtSigner } from './issuing/jwt-signer.ts';
import { createSigner } from './issuing/signer.ts';
import { type OwnStatusLists, openOwnStatusLists } from './issuing/status-lists.ts';
import type { Logger } from './logger.ts';
import type { NodeMetrics } from './observability/metrics.ts';
import { withVerificationMetrics } from './observability/verification-metrics.ts';
import { createOfferIssuance, type OfferIssuance } from './oid4vc/issuance.ts';
import { createPresentationRequests, type PresentationRequests } from './oid4vc/presentations.ts';
import { openPublicationStore, type PublicationStore } from './publications/publication-store.ts';
import { createGovernorKeyring, type GovernorKeyring } from './registry/governor-keys.ts';
import { openRegistryService, type RegistryService } from './registry/registry-service.ts';
import { type FollowSet, openFollowSet } from './replication/follows.ts';
import { createReplicaFreshness, type ReplicaFreshness } from './replication/replica-freshness.ts';
import { createSkillCatalog, type SkillCatalog } from './skills/skill-catalog.ts';
import type { Database } from './storage/database.ts';
import { createMemoryLedger, type Ledger } from './storage/ledger.ts';
import { createExchanges, type Exchanges } from './vcalm/exchanges.ts';
import type { BitstringCache } from './verification/bitstring-cache.ts';
import { createOb2DocumentSource } from './verification/ob2-documents.ts';
import { createOb2Verifier } from './verification/ob2-verifier.ts';
import { createSkillsCheck } from './verification/skills-check.ts';
import { chainStatusListSources, createForeignStatusListSource } from './verification/status-lists.ts';
import { createTrustEvaluator } from './verification/trust.ts';
import { type CredentialVerifier, createVerifier } from './verification/verifier.ts';

export interface NetworkPolicy {
  /** Allow did:web and status list fetches to loopback/private addresses (tests, closed networks). */
  allowPrivateHosts?: boolean;
  /** Fetch did:web documents over http:// (tests only). */
  insecureDidWeb?: boolean;
  /** Fetch foreign status lists over http:// too (tests only). */
  allowHttpStatusLists?: boolean;
  /** Accept http:// OpenID Federation entity identifiers (tests only). */
  allowHttpFederation?: boolean;
  fetch?: typeof fetch;
  /** Per outbound request (did:web, status lists). Default 5 s. */
  timeoutMs?: number;
  /** Outbound requests at once to one host name (default OUTBOUND_PER_HOST). */
  maxConnectionsPerHost?: number;
  /** One deadline for all the outbound work of one verification (default VERIFY_DEADLINE_MS). */
  verifyDeadlineMs?: number;
  /** Hosts whose https controller documents may be fetched (decision 0035); none when absent or empty. */
  allowHttpsControllers?: readonly string[];
}

export interface ComponentsOptions {
  database: Database;
  /** The data directory's ledger (node/storage/ledger.ts); in memory when absent (benchmarks, scripts). */
  ledger?: Ledger;
  identity: Identity;
  publicUrl: string;
  network?: NetworkPolicy;
  /** DID documents known without resolution (fixtures in tests; the registry later). */
  knownDidDocuments?: (did: string) => unknown | null | undefined;
  proofVerifier?: ProofVerifier;
  now?: () => Date;
  storeCredentials?: boolean;
  statusListLength?: number;
  /** How many verified status lists the verifier remembers (default 10,000). */
  maxStatusListCache?: number;
  /** Where the verifier remembers decoded status lists (default: its own, node/verification/bitstring-cache.ts). */
  bitstrings?: BitstringCache;
  /** Largest skill framework accepted, in items (default 10,000). */
  maxFrameworkItems?: number;
  /** Frameworks whose equivalents verification reports show (all when empty). */
  preferFrameworks?: string[];
  /** Trust anchors (networks); followed, and the roots of trust paths. */
  anchors?: string[];
  /** OpenID Federation trust anchors (entity identifiers) also accepted as sources of trust. */
  oidfAnchors?: string[];
  /** Anyone may create OID4VP presentation requests (default: only the admin). */
  publicVerifier?: boolean;
  /** How long an OID4VP result is kept for its requester (default one hour). */
  presentationResultSeconds?: number;
  /** How far in the future a registry action's effectiveAt may lie. */
  maxFutureSkewMs?: number;
  /** Issuance and status changes (ids, lists, indexes; never subject data). */
  logger?: Logger;
  /** Verification, issuance and status-change counters. */
  metrics?: NodeMetrics;
  /** TEST ONLY crash points (see OwnStatusListsOptions.afterStatusStored); never set in production. */
  testHooks?: { afterStatusStored?: () => void | Promise<void> };
}

export interface Components {
  identity: Identity;
  /** The node's database: read whole only by backups (POST /backup, one snapshot); services have their sublevels. */
  database: Database;
  registry: RegistryService;
  keyring: GovernorKeyring;
  follows: FollowSet;
  /** The last complete sync per followed network since start (the replicator records; reports read). */
  freshness: ReplicaFreshness;
  publications: PublicationStore;
  skills: SkillCatalog;
  didResolution: DidResolution;
  documentLoader: DocumentLoader;
  statusLists: OwnStatusLists;
  issuer: Issuer;
  verifier: CredentialVerifier;
  proofVerifier: ProofVerifier;
  /** OpenID Federation: the signing keys held here, and each followed network as a trust anchor. */
  federationKeys: FederationKeyring;
  federation: FederationService;
  oidfAnchors: OidfAnchorSet;
  /** The base URL others reach this node at (status lists, OID4VC issuer identifier). */
  publicUrl: string;
  /** OID4VCI offers and their single-use codes, tokens and nonces. */
  offers: OfferIssuance;
  /** OID4VP presentation requests and their results. */
  presentationRequests: PresentationRequests;
  /** Whether anyone may create presentation requests. */
  publicVerifier: boolean;
  /** VCALM issuance and verification exchanges over the offers and presentation requests. */
  exchanges: Exchanges;
  /** Guarded outbound requests (private-address guard, per-host limits), and whether plain http may be fetched. */
  outbound: { fetcher: OutboundFetcher; allowHttp: boolean };
  close(): Promise<void>;
}

async function lookupAll(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((a) => a.address);
}

export async function createComponents(options: ComponentsOptions): Promise<Components> {
  const { identity, database } = options;
  const network = options.network ?? {};
  const ledger = options.ledger ?? createMemoryLedger();
  const ownDocument = didDocumentOf(identity);
  // One fetcher for did:web and status lists alike, so the per-host and total limits hold across both.
  const fetcher = createOutboundFetcher({
    fetch: network.fetch,
    lookup: lookupAll,
    allowPrivateHosts: network.allowPrivateHosts,
    timeoutMs: network.timeoutMs,
    perHost: network.maxConnectionsPerHost,
  });
  const didResolution = createDidResolution({
    // The node's own DID never needs the network, even as did:web.
    // Then documents the node was given, then what members published about themselves (key history), so a
    // member's credentials stay verifiable after its website is gone.
    known: (did) =>
      did === identity.did
        ? ownDocument
        : (options.knownDidDocuments?.(did) ?? publications?.didDocument(did)?.didDocument ?? declaredDidDocument(did)),
    web: { fetcher, insecureHttp: network.insecureDidWeb },
  });
  // Keys the governors of followed networks declared for a member: a did:web member's first publications
  // and credentials verify without its website.
  let followedNetworks: (() => NetworkState[]) | undefined;
  const declaredDidDocument = (did: string) => {
    if (did.startsWith('did:key:') || !followedNetworks) return undefined;
    const keys = declaredKeys(followedNetworks(), did);
    return keys.length ? didDocumentFromKeys(did, keys) : undefined;
  };
  const documentLoader = createDocumentLoader({ didResolution });
  const sign = createSigner({ identity, documentLoader, now: options.now });
  // Publications need the registry (membership); the registry is opened below, before any list is signed.
  let publications: PublicationStore | undefined;
  const statusLists = await openOwnStatusLists({
    onSigned: async (_listId, credential) => {
      await publications?.publishOwn('status-list', String(credential.id), credential);
    },
    isPublished: (_listId, credential) => {
      const published = publications
        ?.list({ publisher: identity.did, kind: 'status-list' })
        .find((p) => p.id === String(credential.id));
      return published !== undefined && canonicalJson(published.body) === canonicalJson(credential);
    },
    newerPublication: (_listId, stored) => {
      const body = publications
        ?.list({ publisher: identity.did, kind: 'status-list' })
        .find((p) => p.id === String(stored.id))?.body;
      // Signed by this node (the store checked the signature); newer when signed later than the one held here.
      const signedAt = (c: Record<string, unknown> | undefined) => Date.parse(String(c?.validFrom));
      return body && signedAt(body) > signedAt(stored) ? body : undefined;
    },
    afterStatusStored: options.testHooks?.afterStatusStored,
    database,
    ledger,
    issuerDid: identity.did,
    publicUrl: options.publicUrl,
    sign,
    now: options.now,
    listLength: options.statusListLength,
  });
  const issuer = createIssuer({
    database,
    ledger,
    did: identity.did,
    ecdsaDid: identity.ecdsa.did,
    statusLists,
    sign,
    signJwt: createJwtSigner({ identity }),
    now: options.now,
    storeCredentials: options.storeCredentials,
    logger: options.logger,
    metrics: options.metrics,
  });
  const keyring = createGovernorKeyring(database);
  const registry = await openRegistryService({
    database,
    keyring,
    now: options.now,
    maxFutureSkewMs: options.maxFutureSkewMs,
  });
  const follows = await openFollowSet({
    database,
    anchors: options.anchors ?? [],
    institutionDid: identity.did,
    networks: () => registry.networks(),
    network: (id) => registry.network(id),
  });
  followedNetworks = () => follows.list().flatMap((id) => registry.network(id) ?? []);
  const freshness = createReplicaFreshness({ now: options.now });
  // A network created here is followed from its first (pending) genesis on.
  registry.onChange((entry, networkId, source) => {
    if (source === 'local' && entry.action.type === 'network.genesis') void follows.addCreated(networkId);
    else follows.refresh();
  });
  publications = await openPublicationStore({
    database,
    identity,
    didResolution,
    // "Is or was a member": any version in any followed network counts.
    isMember: (did) => follows.list().some((n) => registry.network(n)?.members[did] !== undefined),
    // Every node accepts publications up to the same size (a large framework travels in parts), so what one
    // node accepts, every node does.
    maxFrameworkItems: options.maxFrameworkItems,
    now: options.now,
  });
  // Peers hand a node restored from a backup its own later lists back (decision 0040): take their bits in,
  // so the next change is signed over them instead of undoing a revocation made after the backup.
  publications.onChange((p, source) => {
    const listId = /\/status-lists\/([\w-]{1,64})$/.exec(p.id)?.[1];
    if (source !== 'peer' || p.publisher !== identity.did || p.kind !== 'status-list' || !listId) return;
    // A failure here is retried at the next start: republishStale adopts a newer publication before anything.
    void statusLists.adoptPublished(listId).catch(() => undefined);
  });
  // A status change stored but never published (a crash between the two writes) is published now.
  await statusLists.republishStale();
  const federationKeys = await openFederationKeyring(database);
  const federation = createFederationService({
    registry,
    keyring: federationKeys,
    publicUrl: options.publicUrl,
    followed: () => follows.list(),
    now: options.now,
  });
  const oidfAnchors = await openOidfAnchorSet(database, options.oidfAnchors);
  const proofVerifier = options.proofVerifier ?? createInProcessProofVerifier();
  const skills = createSkillCatalog({ publications, maxFrameworkItems: options.maxFrameworkItems });
  const trust = withFederationTrust(
    createTrustEvaluator({
      // Followed networks only: one merely held (an offer the operator has not accepted, decision 0042) is
      // neither a step of a trust path nor who the issuer is.
      networks: () => followedNetworks?.() ?? [],
      // Decision 0014: the operator's anchors, or what this node created or its operator accepted; never what a
      // peer's data says.
      anchors: () => follows.trustAnchors(),
    }),
    {
      resolver: createFederationResolver({ fetcher, now: options.now, allowHttp: network.allowHttpFederation }),
      anchors: () => oidfAnchors.list(),
    },
  );
  const coreVerifier = createVerifier({
    ...(network.allowHttpsControllers?.length
      ? { httpsControllers: createHttpsControllers({ fetcher, allowedHosts: network.allowHttpsControllers }) }
      : {}),
    skills: createSkillsCheck({
      catalog: skills,
      preferFrameworks: options.preferFrameworks,
      achievementDefinition: (issuer, id) => publications?.achievement(issuer, id),
    }),
    keyValidity: (verificationMethod, issuedAt) =>
      keyValidityAt(
        publications?.didDocument(verificationMethod.split('#')[0])?.keyHistory,
        verificationMethod,
        issuedAt,
      ),
    trust,
    ob2: createOb2Verifier({ documents: createOb2DocumentSource({ fetcher, now: options.now }), trust }),
    didResolution,
    proofVerifier,
    statusLists: chainStatusListSources(
      statusLists.source,
      publications.statusLists,
      createForeignStatusListSource({ fetcher, allowHttp: network.allowHttpStatusLists }),
    ),
    // A replicated status list is as current as the last sync of a followed network that lists its issuer.
    // Only where replication runs: a node fed by imports alone has no peers to be behind.
    replicaFreshness: (issuer) =>
      freshness.tracking
        ? freshness.of(
            (followedNetworks?.() ?? [])
              .filter((state) => Object.hasOwn(state.members, issuer))
              .map((state) => state.id),
          )
        : undefined,
    deadlineMs: network.verifyDeadlineMs,
    now: options.now,
    maxStatusListCache: options.maxStatusListCache,
    ...(options.bitstrings ? { bitstrings: options.bitstrings } : {}),
  });
  const verifier = options.metrics ? withVerificationMetrics(coreVerifier, options.metrics) : coreVerifier;
  const offers = createOfferIssuance({
    database,
    issuer,
    urls: () => endpointUrls(options.publicUrl),
    achievement: (id) => publications?.achievement(identity.did, id),
    now: options.now,
  });
  const presentationRequests = createPresentationRequests({
    database,
    identity,
    verifier,
    skills,
    publicUrl: options.publicUrl,
    resultSeconds: options.presentationResultSeconds,
    now: options.now,
  });
  return {
    identity,
    database,
    registry,
    keyring,
    follows,
    freshness,
    publications,
    skills,
    didResolution,
    documentLoader,
    statusLists,
    issuer,
    verifier,
    proofVerifier,
    federationKeys,
    federation,
    oidfAnchors,
    publicUrl: options.publicUrl,
    offers,
    presentationRequests,
    publicVerifier: options.publicVerifier ?? false,
    exchanges: createExchanges({
      database,
      offers,
      presentationRequests,
      verifier,
      publicUrl: options.publicUrl,
      now: options.now,
    }),
    outbound: { fetcher, allowHttp: network.allowPrivateHosts === true },
    async close() {
      await Promise.all([offers.close(), presentationRequests.close()]);
      await proofVerifier.close?.();
      await ledger.close();
    },
  };
}
