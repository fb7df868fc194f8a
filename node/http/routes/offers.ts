/**
 * Offered networks (decisions 0014, 0042): networks held here that list this node's institution and that its
 * operator has neither accepted nor declined. Membership discovery brings them from peers, checked under each
 * network's own governors; the operator decides. Accepting follows the network (POST /follows does the same);
 * neither makes it a trust anchor.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { NetworkState } from '../../../registry/types.ts';
import { NodeError } from '../../errors.ts';
import type { RegistryService } from '../../registry/registry-service.ts';
import type { FollowSet } from '../../replication/follows.ts';

const NETWORK_ID = /^[A-Za-z0-9_-]{43}$/;

/** What the operator needs to decide: who governs the network, and how it lists the institution. */
function offerView(state: NetworkState | undefined, network: string, did: string) {
  if (!state) return { network };
  const versions = Object.hasOwn(state.members, did) ? state.members[did] : [];
  const latest = versions[versions.length - 1];
  const current = state.governance[state.governance.length - 1];
  return {
    network,
    name: state.name,
    governors: current?.governors ?? [],
    threshold: current?.threshold,
    actions: state.applied.length,
    ...(latest ? { member: latest } : {}),
  };
}

export function offerRoutes(deps: {
  follows: FollowSet;
  registry: RegistryService;
  identity: { did: string };
  adminOnly: MiddlewareHandler;
}) {
  const app = new Hono();
  const offered = (network: string) => {
    if (!NETWORK_ID.test(network)) throw new NodeError('VALIDATION_FAILED', 'network must be a network id');
    if (!deps.follows.offers().includes(network)) throw new NodeError('NOT_FOUND', `${network} is not offered`);
  };
  app.get('/', (c) => {
    const offers = deps.follows.offers();
    return c.json({
      offers,
      details: offers.map((id) => offerView(deps.registry.network(id), id, deps.identity.did)),
      declined: deps.follows.declined(),
    });
  });
  app.post('/:network/accept', deps.adminOnly, async (c) => {
    const network = c.req.param('network');
    offered(network);
    await deps.follows.add(network);
    return c.json({ network, accepted: true, follows: deps.follows.list() }, 201);
  });
  app.post('/:network/decline', deps.adminOnly, async (c) => {
    const network = c.req.param('network');
    offered(network);
    await deps.follows.decline(network);
    return c.json({ network, declined: true, offers: deps.follows.offers() });
  });
  return app;
}
