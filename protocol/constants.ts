/** Protocol ids, topics and limits of the LER peer protocols (API.md, "Peer protocols"), and verification limits. */
export const SYNC_PROTOCOL = '/ler/sync/1.0.0';
/** Which networks list a DID, and notices of admissions (protocol/membership; decision 0042). */
export const MEMBERSHIP_PROTOCOL = '/ler/membership/1.0.0';
/** Networks named in one membership listing; more are left out. */
export const MEMBERSHIP_MAX_NETWORKS = 64;
/** Networks not followed here that one listing may make this node pull and check (the rest wait a round). */
export const MEMBERSHIP_MAX_CANDIDATES = 8;

/** The gossipsub topic of a network. */
export function networkTopic(networkId: string): string {
  return `/ler/1/network/${networkId}`;
}

export function networkOfTopic(topic: string): string | undefined {
  const match = /^\/ler\/1\/network\/([A-Za-z0-9_-]{43})$/.exec(topic);
  return match?.[1];
}

/** Largest gossip message (API.md). */
export const MAX_GOSSIP_BYTES = 1024 * 1024;
/** Largest sync request or response frame. */
export const MAX_SYNC_FRAME_BYTES = 4 * 1024 * 1024;
/** Inventory entries per sync page and entries per `get`. */
export const SYNC_INVENTORY_PAGE = 5_000;
export const SYNC_GET_BATCH = 500;
/** Publications per sync page (a status list is a few KiB). */
export const SYNC_PUBLICATION_PAGE = 200;
/**
 * Per peer and sync round: inventory pages read, and action ids kept as missing. A peer's inventory is
 * attacker-controlled; without these an endless chain of pages grows memory without limit. What a round
 * leaves unread, the next round reads on from where this one stopped.
 */
export const SYNC_MAX_INVENTORY_PAGES = 40;
export const SYNC_MAX_MISSING = 10_000;
/** Publication pages read per peer, network and round. */
export const SYNC_MAX_PUBLICATION_PAGES = 100;
/** Every sync stream must finish within this. */
export const SYNC_TIMEOUT_MS = 20_000;

/*
 * Verification limits (issue 16, finding 4): what one credential or one request
 * may make the node do before any outbound work starts. Real credentials carry
 * one or two status entries, one or two proofs and one DID; these leave room for
 * proof sets and several status purposes while keeping the worst request small.
 */
/** `credentialStatus` entries in one credential. */
export const MAX_STATUS_ENTRIES_PER_CREDENTIAL = 8;
/** Proofs on one credential or presentation (proof sets and chains). */
export const MAX_PROOFS_PER_DOCUMENT = 4;
/** Distinct DIDs (issuer, verification methods) one credential names. */
export const MAX_DIDS_PER_CREDENTIAL = 4;
/** Credentials in one presentation, or in one request's list of credentials (/skills/match). */
export const MAX_CREDENTIALS_PER_REQUEST = 100;
/** Status entries across all credentials of one request. */
export const MAX_STATUS_ENTRIES_PER_REQUEST = 200;
/** Distinct DIDs across one request (holder, issuers, verification methods). */
export const MAX_DIDS_PER_REQUEST = 100;
/** One deadline for all outbound work of one verification request; what is pending then is `unchecked`. */
export const VERIFY_DEADLINE_MS = 6_000;
/**
 * Per outbound request (did:web, status list), once it has a connection slot. Shorter than the deadline, so a
 * host that never answers fails like any other unreachable host rather than by the deadline.
 */
export const OUTBOUND_TIMEOUT_MS = 4_000;
