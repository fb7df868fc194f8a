import { afterEach, describe, expect, it } from 'vitest';
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
});
