import { afterEach, describe, expect, it } from 'vitest';
import { networkTopic } from '../../../protocol/constants.ts';
import { networkProviderKey } from '../../../protocol/discovery.ts';
import { signActionId } from '../../../protocol/signing/governor-keys.ts';
import { connect, type Peer, startPeer, until } from '../../helpers/peers.ts';
import { governors } from '../../helpers/registry.ts';

describe('finding the followers of a network through the DHT', () => {
  const peers: Peer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) await p.destroy();
  });

  it('lets a node that knows only an unrelated peer find and sync from a follower', async () => {
    const [g1] = governors(1);
    const holder = await startPeer({ discovery: true, discoveryIntervalMs: 1_000 });
    const middle = await startPeer({ discovery: true, discoveryIntervalMs: 1_000 });
    const seeker = await startPeer({ discovery: true, discoveryIntervalMs: 1_000 });
    peers.push(holder, middle, seeker);
    const genesis = await holder.components.registry.createNetwork({
      name: 'Findable',
      governors: [g1.did],
      threshold: 1,
    });
    await holder.components.registry.approve(genesis.id, { signer: g1.did, signature: signActionId(g1, genesis.id) });
    await connect(holder, middle);
    await connect(seeker, middle);
    await seeker.components.follows.add(genesis.id);
    await until(
      () => seeker.components.registry.network(genesis.id) !== undefined,
      'the seeker to find the holder',
      20_000,
    );
    expect(seeker.host.getConnections(holder.host.peerId).length).toBeGreaterThan(0);
    // The provider record itself: the holder announced the network, the seeker's lookup names it.
    const providers: string[] = [];
    for await (const p of seeker.host.contentRouting.findProviders(await networkProviderKey(genesis.id), {
      signal: AbortSignal.timeout(5_000),
    })) {
      providers.push(p.id.toString());
    }
    expect(providers).toContain(holder.host.peerId.toString());
  });

  it('announces a network until the record reached a peer, then not again at every round', async () => {
    const [g1] = governors(1);
    const holder = await startPeer({ discovery: true, discoveryIntervalMs: 100 });
    const other = await startPeer();
    peers.push(holder, other);
    // Pass-through counters on the real DHT and pubsub: announces made, records delivered, rounds run.
    const dht = holder.host.services.dht;
    const provide = dht.provide.bind(dht);
    let announces = 0;
    let delivered = 0;
    dht.provide = async function* (key, options) {
      announces++;
      for await (const event of provide(key, options)) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'ADD_PROVIDER') delivered++;
        yield event;
      }
    };
    const pubsub = holder.host.services.pubsub;
    const subscribers = pubsub.getSubscribers.bind(pubsub);
    let rounds = 0;
    let topic = '';
    pubsub.getSubscribers = (t: string) => {
      if (t === topic) rounds++;
      return subscribers(t);
    };
    const genesis = await holder.components.registry.createNetwork({
      name: 'Quiet',
      governors: [g1.did],
      threshold: 1,
    });
    topic = networkTopic(genesis.id);
    // Alone, an announce reaches no one: it is tried again at the next rounds.
    // Followed while alone: the announce reaches no one, so a later round (with a peer) announces.
    await until(() => rounds >= 3, 'rounds while alone');
    expect(delivered).toBe(0);
    await connect(holder, other);
    await until(() => delivered > 0, 'the record delivered to the peer');
    const after = announces;
    const roundsThen = rounds;
    await until(() => rounds >= roundsThen + 10, 'ten more discovery rounds');
    expect(announces).toBe(after);
  });
});
