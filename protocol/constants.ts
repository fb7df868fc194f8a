/** Protocol ids, topics and limits of the LER peer protocols (API.md, "Peer protocols"). */
export const SYNC_PROTOCOL = '/ler/sync/1.0.0';

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
