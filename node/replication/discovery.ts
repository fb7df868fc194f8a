/**
 * Announces the networks this node follows in the DHT and, for a followed
 * network with no peer on its topic, looks up its providers and dials them.
 * Best effort: every DHT call has a timeout, and failures only get logged.
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
}

export function createDiscovery(options: DiscoveryOptions) {
  const { host, follows } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const announced = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  async function announce(network: string): Promise<void> {
    try {
      await host.contentRouting.provide(await networkProviderKey(network), { signal: AbortSignal.timeout(timeoutMs) });
      announced.add(network);
    } catch (error) {
      options.logger?.debug({ err: error, network }, 'announce failed');
    }
  }

  async function findPeers(network: string): Promise<number> {
    let dialed = 0;
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

  async function round(): Promise<void> {
    for (const network of follows.list()) {
      if (!running) return;
      if (!announced.has(network)) await announce(network);
      if (host.services.pubsub.getSubscribers(networkTopic(network)).length === 0) await findPeers(network);
    }
  }

  return {
    start() {
      running = true;
      follows.onChange(() => void round());
      timer = setInterval(() => {
        announced.clear();
        void round();
      }, options.intervalMs ?? 60_000);
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
