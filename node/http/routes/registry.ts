/**
 * Registry and governance (API.md): networks, proposals and approvals,
 * governor keys held by the node, and issuers across followed networks.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { memberAt, membershipsOf, networkSummary } from '../../../registry/queries.ts';
import { isDateTime } from '../../../registry/verification/credential-shape.ts';
import { NodeError } from '../../errors.ts';
import type { PublicationStore } from '../../publications/publication-store.ts';
import { EXPORT_FORMAT } from '../../registry/audit.ts';
import type { GovernorKeyring } from '../../registry/governor-keys.ts';
import type { RegistryService } from '../../registry/registry-service.ts';
import type { FollowSet } from '../../replication/follows.ts';
import { readJsonObject } from '../json-body.ts';
import { parseRequest } from '../request-input.ts';

interface RegistryDeps {
  registry: RegistryService;
  publications: PublicationStore;
  keyring: GovernorKeyring;
  adminOnly: MiddlewareHandler;
  /** The budget of public endpoints that cost the node work (here: checking a governor signature). */
  publicLimit: MiddlewareHandler;
  assertAdmin: (c: Context) => void;
  now?: () => Date;
}

function requireNetwork(registry: RegistryService, id: string) {
  const state = registry.network(id);
  if (!state) throw new NodeError('NOT_FOUND', `unknown network ${id}`);
  return state;
}

function signOption(body: Record<string, unknown>): boolean {
  const options = body.options as Record<string, unknown> | undefined;
  return options?.sign === true || body.sign === true;
}

export function governorKeyRoutes(deps: RegistryDeps) {
  const app = new Hono();
  app.post('/', deps.adminOnly, async (c) => c.json({ did: await deps.keyring.create() }, 201));
  app.get('/', deps.adminOnly, async (c) =>
    c.json({ governorKeys: (await deps.keyring.list()).map((did) => ({ did })) }),
  );
  return app;
}

export function networkRoutes(deps: RegistryDeps) {
  const now = deps.now ?? (() => new Date());
  const app = new Hono();

  app.post('/', deps.adminOnly, async (c) => {
    const body = await parseRequest('CreateNetworkRequest', await readJsonObject(c));
    const proposal = await deps.registry.createNetwork(body, { sign: signOption(body) });
    const state = deps.registry.network(proposal.id);
    return c.json(
      {
        network: state ? networkSummary(state, now().getTime()) : { id: proposal.id, name: body.name, approved: false },
        proposal,
      },
      201,
    );
  });

  app.get('/', (c) =>
    c.json({ networks: deps.registry.networks().map((state) => networkSummary(state, now().getTime())) }),
  );

  app.get('/:id', (c) => {
    const state = requireNetwork(deps.registry, c.req.param('id'));
    return c.json({ ...networkSummary(state, now().getTime()), digest: deps.registry.digest(state.id), state });
  });

  app.get('/:id/actions', async (c) => {
    const id = c.req.param('id');
    requireNetwork(deps.registry, id);
    const { after, limit } = await parseRequest('ActionsQuery', c.req.query());
    const actions = deps.registry.actions(id, { after, limit: limit ? Number(limit) : undefined });
    return c.json({ network: id, digest: deps.registry.digest(id), actions });
  });

  // Everything stored for the network (approved, pending, rejected), for offline audit.
  app.get('/:id/export', (c) => {
    const id = c.req.param('id');
    requireNetwork(deps.registry, id);
    return c.json({
      format: EXPORT_FORMAT,
      network: id,
      digest: deps.registry.digest(id),
      actions: deps.registry.allActions(id),
    });
  });

  app.get('/:id/members/:did', async (c) => {
    const state = requireNetwork(deps.registry, c.req.param('id'));
    // hono has decoded the path once; a second decode would turn did:web's %3A into another DID.
    const did = c.req.param('did');
    const history = state.members[did];
    if (!history) throw new NodeError('MEMBER_NOT_FOUND', `${did} is not a member of ${state.id}`);
    const { at } = await parseRequest('MemberQuery', c.req.query());
    if (at !== undefined && !isDateTime(at)) throw new NodeError('VALIDATION_FAILED', 'at must be a date-time');
    return c.json({
      network: state.id,
      did,
      current: at ? (memberAt(state, did, at) ?? null) : history[history.length - 1],
      history,
    });
  });

  return app;
}

export function proposalRoutes(deps: RegistryDeps) {
  const app = new Hono();

  app.post('/', deps.adminOnly, async (c) => {
    const body = await parseRequest('ProposeRequest', await readJsonObject(c));
    const proposal = await deps.registry.propose(body.network, body.action, {
      effectiveAt: body.effectiveAt,
      sign: signOption(body),
    });
    return c.json({ proposal }, 201);
  });

  app.get('/', async (c) => {
    const { pending, network } = await parseRequest('ProposalsQuery', c.req.query());
    return c.json({
      proposals: deps.registry.proposals({
        network,
        pending: pending === 'true' || pending === '1',
      }),
    });
  });

  app.get('/:id', (c) => {
    const proposal = deps.registry.proposal(c.req.param('id'));
    if (!proposal) throw new NodeError('PROPOSAL_NOT_FOUND', `no proposal ${c.req.param('id')}`);
    return c.json({ proposal });
  });

  // A detached governor signature is its own authorization; asking the node to sign needs the admin token.
  app.post('/:id/approvals', deps.publicLimit, async (c) => {
    const body = await parseRequest('ApprovalRequest', await readJsonObject(c));
    if (body.sign === true) deps.assertAdmin(c);
    const proposal = await deps.registry.approve(c.req.param('id'), body);
    return c.json({ proposal }, 200);
  });

  return app;
}

function publicationsByKind(publications: PublicationStore, did: string) {
  const byKind: Record<string, Array<{ id: string; version: number; publishedAt: string }>> = {};
  for (const p of publications.list({ publisher: did })) {
    const list = byKind[p.kind] ?? [];
    list.push({ id: p.id, version: p.version, publishedAt: p.publishedAt });
    byKind[p.kind] = list;
  }
  return byKind;
}

export function issuerRoutes(deps: RegistryDeps & { follows: FollowSet }) {
  const app = new Hono();
  app.get('/:did', (c) => {
    const did = c.req.param('did');
    // Followed networks only: a network merely held (an offer not accepted) speaks for nobody here.
    const followed = deps.follows.list().flatMap((id) => deps.registry.network(id) ?? []);
    const memberships = membershipsOf(followed, did);
    if (memberships.length === 0) throw new NodeError('NOT_FOUND', `${did} is not listed by any followed network`);
    const current = memberships.find((m) => m.status === 'active') ?? memberships[0];
    return c.json({
      did,
      name: current.name,
      ...(current.url ? { url: current.url } : {}),
      ...(current.logo ? { logo: current.logo } : {}),
      memberships,
      publications: publicationsByKind(deps.publications, did),
    });
  });
  return app;
}

export function followRoutes(deps: { follows: FollowSet; adminOnly: MiddlewareHandler }) {
  const app = new Hono();
  app.get('/', (c) =>
    c.json({ follows: deps.follows.list(), explicit: deps.follows.explicit(), offers: deps.follows.offers() }),
  );
  app.post('/', deps.adminOnly, async (c) => {
    const body = await parseRequest('NetworkRequest', await readJsonObject(c));
    const added = await deps.follows.add(body.network);
    return c.json({ network: body.network, added, follows: deps.follows.list() }, added ? 201 : 200);
  });
  // Only an explicit follow is undone here: an anchor is removed at /anchors, a network followed through a
  // recognition goes with the recognition.
  app.delete('/:network', deps.adminOnly, async (c) => {
    const { network } = await parseRequest('NetworkParam', c.req.param());
    const removed = await deps.follows.remove(network);
    if (!removed) throw new NodeError('NOT_FOUND', `${network} is not an explicitly followed network`);
    return c.json({ network, removed, follows: deps.follows.list() });
  });
  return app;
}

/**
 * Runtime trust anchors (issue 15, defect 8): the operator adds or removes an anchor without a restart. A network
 * not held yet is accepted when its id is well-formed (it may not have replicated yet; it is followed, so it will),
 * and the answer says `known: false`. The configured --anchor networks cannot be removed here.
 */
export function anchorRoutes(deps: {
  follows: FollowSet;
  registry: { network(id: string): unknown };
  adminOnly: MiddlewareHandler;
}) {
  const app = new Hono();
  const view = () => ({ anchors: deps.follows.trustAnchors(), ...deps.follows.anchors() });
  app.get('/', (c) => c.json(view()));
  app.post('/', deps.adminOnly, async (c) => {
    const body = await parseRequest('AnchorRequest', await readJsonObject(c));
    const added = await deps.follows.addAnchor(body.network);
    const known = deps.registry.network(body.network) !== undefined;
    return c.json(
      {
        network: body.network,
        added,
        known,
        ...(known ? {} : { note: 'network not held here yet; it is followed and trusted once it has replicated' }),
        ...view(),
      },
      added ? 201 : 200,
    );
  });
  app.delete('/:network', deps.adminOnly, async (c) => {
    const { network } = await parseRequest('NetworkParam', c.req.param());
    const removed = await deps.follows.removeAnchor(network);
    if (!removed) throw new NodeError('NOT_FOUND', `${network} is not a runtime anchor`);
    return c.json({ network, removed, ...view() });
  });
  return app;
}
