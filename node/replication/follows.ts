/**
 * Which networks this node follows (API.md): its anchors, networks it created
 * or was asked to follow (POST /follows), and networks reachable from its
 * anchors through recognition (depth-limited). It replicates and serves
 * everything of the networks it follows.
 *
 * A network that lists the node's institution as a member is only *offered*
 * (`offers()`): what a peer says never makes this node follow or trust a
 * network; the operator accepts an offer with POST /follows (decision 0014).
 */
import { isRecognized } from '../../registry/queries.ts';
import type { NetworkState } from '../../registry/types.ts';
import { NodeError } from '../errors.ts';
import type { Database } from '../storage/database.ts';

export interface FollowSet {
  list(): string[];
  /** The explicitly followed networks (created here or POST /follows). */
  explicit(): string[];
  add(network: string): Promise<boolean>;
  /** Networks whose genesis was proposed on this node. */
  created(): string[];
  /** Records a network as created here (and follows it). */
  addCreated(network: string): Promise<void>;
  remove(network: string): Promise<boolean>;
  onChange(listener: () => void): void;
  /** Re-evaluates derived follows (recognition) and offers after the registry changed. */
  refresh(): void;
  /** Networks held here that list the institution as a member but that the operator has not accepted or declined. */
  offers(): string[];
  /** Offers the operator declined (kept, so they are not offered again; accepting one later still works). */
  declined(): string[];
  /** Declines an offer; false when the network is not offered. */
  decline(network: string): Promise<boolean>;
  /**
   * Trust anchors: the operator's (--anchor) when given; otherwise the networks created here and the
   * networks the operator follows (POST /follows) that list the institution as a member.
   */
  trustAnchors(): string[];
  /** The configured anchors (--anchor; fixed until restart) and those added at runtime (POST /anchors). */
  anchors(): { configured: string[]; runtime: string[] };
  /** Adds a runtime anchor (also followed); false when it already is an anchor. */
  addAnchor(network: string): Promise<boolean>;
  /** Removes a runtime anchor; false when it is none. A configured anchor throws ANCHOR_CONFIGURED. */
  removeAnchor(network: string): Promise<boolean>;
}

export interface FollowSetOptions {
  database: Database;
  anchors: string[];
  institutionDid: string;
  networks: () => NetworkState[];
  network: (id: string) => NetworkState | undefined;
  recognitionDepth?: number;
  now?: () => number;
}

export async function openFollowSet(options: FollowSetOptions): Promise<FollowSet> {
  const depth = options.recognitionDepth ?? 2;
  const now = options.now ?? Date.now;
  const explicit = new Set<string>(((await options.database.meta.get('follows')) as string[] | undefined) ?? []);
  const created = new Set<string>(((await options.database.meta.get('created')) as string[] | undefined) ?? []);
  // Runtime anchors (POST /anchors): stored with the follows so a restart keeps them.
  const runtime = new Set<string>(((await options.database.meta.get('anchors')) as string[] | undefined) ?? []);
  // Declined offers (decision 0042): stored with the follows, so a restart does not offer them again.
  const declined = new Set<string>(((await options.database.meta.get('declined')) as string[] | undefined) ?? []);
  const listeners: Array<() => void> = [];
  /** Every anchor: the configured ones and the runtime ones. */
  const allAnchors = () => [...new Set([...options.anchors, ...runtime])];
  let current = '';

  /** Networks held here whose latest record of the institution is not a removal. */
  function memberNetworks(): string[] {
    const result: string[] = [];
    for (const state of options.networks()) {
      // An own-property lookup: a DID is outside data, state.members a plain object.
      if (!Object.hasOwn(state.members, options.institutionDid)) continue;
      const versions = state.members[options.institutionDid];
      if (versions.length > 0 && versions[versions.length - 1].status !== 'removed') result.push(state.id);
    }
    return result;
  }

  function compute(): string[] {
    const anchors = allAnchors();
    const result = new Set<string>([...anchors, ...explicit]);
    // Breadth-first through recognition edges, from the anchors (or, without anchors, what we follow).
    let frontier = options.anchors.length > 0 ? anchors : [...result];
    const seen = new Set(frontier);
    for (let level = 0; level < depth && frontier.length > 0; level++) {
      const next: string[] = [];
      for (const id of frontier) {
        const state = options.network(id);
        if (!state) continue;
        for (const other of Object.keys(state.recognitions)) {
          if (seen.has(other) || !isRecognized(state, other, now()).recognized) continue;
          seen.add(other);
          result.add(other);
          next.push(other);
        }
      }
      frontier = next;
    }
    return [...result].sort();
  }

  let cached = compute();
  current = cached.join(',');

  function refresh(): void {
    cached = compute();
    const key = cached.join(',');
    if (key !== current) {
      current = key;
      for (const listener of listeners) listener();
    }
  }

  async function persist(): Promise<void> {
    await options.database.db.batch(
      [
        { type: 'put', sublevel: options.database.meta, key: 'follows', value: [...explicit] },
        { type: 'put', sublevel: options.database.meta, key: 'created', value: [...created] },
        { type: 'put', sublevel: options.database.meta, key: 'anchors', value: [...runtime] },
        { type: 'put', sublevel: options.database.meta, key: 'declined', value: [...declined] },
      ] as never,
      { sync: true },
    );
  }

  function offers(): string[] {
    const accepted = new Set([...allAnchors(), ...explicit]);
    return memberNetworks()
      .filter((id) => !accepted.has(id) && !declined.has(id))
      .sort();
  }

  return {
    list: () => cached,
    offers,
    declined: () => [...declined].sort(),
    async decline(network) {
      if (!offers().includes(network)) return false;
      declined.add(network);
      try {
        await persist();
      } catch (error) {
        declined.delete(network);
        throw error;
      }
      return true;
    },
    trustAnchors: () => {
      // Runtime anchors are the operator's word, like --anchor: they count with or without configured ones.
      if (options.anchors.length > 0) return allAnchors().sort();
      const members = new Set(memberNetworks());
      return [...new Set([...created, ...[...explicit].filter((id) => members.has(id)), ...runtime])].sort();
    },
    anchors: () => ({ configured: [...options.anchors].sort(), runtime: [...runtime].sort() }),
    async addAnchor(network) {
      if (options.anchors.includes(network) || runtime.has(network)) return false;
      runtime.add(network);
      try {
        await persist();
      } catch (error) {
        runtime.delete(network);
        throw error;
      }
      refresh();
      return true;
    },
    async removeAnchor(network) {
      if (options.anchors.includes(network)) {
        throw new NodeError(
          'ANCHOR_CONFIGURED',
          `${network} is a configured anchor (--anchor); remove it from the configuration and restart`,
          { network },
        );
      }
      if (!runtime.delete(network)) return false;
      try {
        await persist();
      } catch (error) {
        runtime.add(network);
        throw error;
      }
      refresh();
      return true;
    },
    created: () => [...created],
    async addCreated(network) {
      if (created.has(network) && explicit.has(network)) return;
      created.add(network);
      explicit.add(network);
      await persist();
      refresh();
    },
    explicit: () => [...explicit],
    async add(network) {
      if (explicit.has(network)) return false;
      explicit.add(network);
      // Following a network the operator once declined is the operator changing their mind.
      declined.delete(network);
      await persist();
      refresh();
      return true;
    },
    async remove(network) {
      if (!explicit.delete(network)) return false;
      await persist();
      refresh();
      return true;
    },
    onChange(listener) {
      listeners.push(listener);
    },
    refresh,
  };
}
