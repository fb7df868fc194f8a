/**
 * Announces the networks this node follows in the DHT and, for a followed
 * network with no peer on its topic, looks up its providers and dials them.
 * Best effort: every DHT call has a timeout, and failures only get logged.
 *
 * A network is announced until an announce reaches a peer, then again only after `reannounceMs` (decision
 * 0048): a provider record lives 48 h at the peers that hold it, and kad-dht's reprovider renews this node's own
 * records after 24 h. Announcing every round (every minute) was a DHT query plus a record sent to up to 20 peers,
 * per network, at every node: most of an idle node's CPU in a federation of tens of nodes.
 */

import { networkTopic } from '../../protocol/constants.ts';
import { networkProviderKey } from '../../protocol/discovery.ts';
import type { Host } from '../libp2p-host.ts';
import type { Logger } from '../logger.ts';
import type { FollowSet } from './follows.ts';

export interface DiscoveryOptions {
  host: Host;
  follows: FollowSet;
  logger?: Logger;
  /** How often to re-announce and look for lonely networks. Default 60 s. */
  intervalMs?: number;
  timeoutMs?: number;
  /** How long an announce that reached a peer stands before the network is announced again. Default 12 h. */
  reannounceMs?: number;
  now?: () => number;
}

export function createDiscovery(options: DiscoveryOptions) {
  const { host, follows } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const reannounceMs = options.reannounceMs ?? 12 * 3_600_000;
  const now = options.now ?? Date.now;
  /** Network → when an announce of it last reached at least one peer. */
  const announced = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  /** Announces `network`; returns to how many peers the provider record went (0: announce again next round). */
  async function announce(network: string): Promise<number> {
    let reached = 0;
    // Alone, a DHT query only waits for its timeout: the next round, with peers, announces.
    if (host.getConnections().length === 0) return 0;
    try {
      const key = await networkProviderKey(network);
      for await (const event of host.services.dht.provide(key, { signal: AbortSignal.timeout(timeoutMs) })) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'ADD_PROVIDER') reached++;
      }
      if (reached > 0) announced.set(network, now());
    } catch (error) {
      options.logger?.debug({ err: error, network }, 'announce failed');
    }
    return reached;
  }

  const due = (network: string) => {
    const at = announced.get(network);
    return at === undefined || now() - at >= reannounceMs;
  };

  async function findPeers(network: string): Promise<number> {
    let dialed = 0;
    if (host.getConnections().length === 0) return 0;
    try {
      const key = await networkProviderKey(network);
      for await (const provider of host.contentRouting.findProviders(key, { signal: AbortSignal.timeout(timeoutMs) })) {
        if (provider.id.equals(host.peerId) || host.getConnections(provider.id).length > 0) continue;
        await host.dial(provider.id, { signal: AbortSignal.timeout(timeoutMs) }).then(
          () => dialed++,
          () => undefined,
        );
        if (dialed >= 3) break;
      }
    } catch (error) {
      options.logger?.debug({ err: error, network }, 'provider lookup failed');
    }
    return dialed;
  }

  // One round at a time (DHT calls take up to timeoutMs each); a request during one gets one more after it.
  let current: Promise<void> | undefined;
  let again = false;
  function round(): Promise<void> {
    if (current) {
      again = true;
      return current;
    }
    current = roundOnce().finally(() => {
      current = undefined;
      if (again && running) {
        again = false;
        void round();
      }
    });
    return current;
  }

  async function roundOnce(): Promise<void> {
    for (const network of follows.list()) {
      if (!running) return;
      if (due(network)) await announce(network);
      if (host.services.pubsub.getSubscribers(networkTopic(network)).length === 0) await findPeers(network);
    }
  }

  return {
    start() {
      running = true;
      follows.onChange(() => void round());
      timer = setInterval(() => void round(), options.intervalMs ?? 60_000);
      timer.unref();
      void round();
    },
    stop() {
      running = false;
      if (timer) clearInterval(timer);
    },
    announce,
    findPeers,
  };
}
