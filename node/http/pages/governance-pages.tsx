/**
 * The governance pages: the networks this node follows and how they
 * recognize each other (a picture), a network's members with their
 * accreditations and history, pending proposals with who signed and how many
 * signatures are missing, approval with a governor key this node holds, and
 * drafting proposals. Drafts go through the registry service's own checks
 * before anything is stored, so a page can never submit what the API refuses.
 */
import { type Context, Hono } from 'hono';
import type { NetworkState } from '../../../registry/types.ts';
import { NodeError } from '../../errors.ts';
import { auditExport, EXPORT_FORMAT } from '../../registry/audit.ts';
import type { GovernorKeyring } from '../../registry/governor-keys.ts';
import type { ProposalView, RegistryService } from '../../registry/registry-service.ts';
import type { FollowSet } from '../../replication/follows.ts';
import { GraphPicture, type PictureEdge, type PictureNode } from './graph-picture.tsx';
import { Layout, page } from './layout.tsx';
import type { Session } from './sessions.ts';

export interface GovernanceDeps {
  registry: RegistryService;
  keyring: GovernorKeyring;
  follows: FollowSet;
}

type Env = { Variables: { session: Session } };
const last = <T,>(list: T[] | undefined): T | undefined => list?.[list.length - 1];
const short = (did: string) => (did.length > 28 ? `${did.slice(0, 18)}…${did.slice(-6)}` : did);

/** Draftable actions and the fields each needs (API.md action parameters). */
const DRAFTS: Record<string, { label: string; fields: string[] }> = {
  'member.add': { label: 'Add a member', fields: ['did', 'name', 'credentialTypes'] },
  'member.update': { label: 'Accredit (update a member)', fields: ['did', 'name', 'credentialTypes'] },
  'member.suspend': { label: 'Suspend a member', fields: ['did', 'reason'] },
  'member.reinstate': { label: 'Reinstate a member', fields: ['did', 'reason'] },
  'member.remove': { label: 'Remove a member', fields: ['did', 'reason'] },
  'network.recognize': { label: 'Recognize a network', fields: ['network', 'credentialTypes'] },
};

function governorsOf(state: NetworkState): { governors: string[]; threshold: number } {
  return last(state.governance) ?? { governors: [], threshold: 0 };
}

function actionFromDraft(form: Record<string, unknown>): Record<string, unknown> {
  const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
  const type = text('type');
  const draft = DRAFTS[type];
  if (!draft) throw new NodeError('VALIDATION_FAILED', 'Choose what the proposal does.');
  const action: Record<string, unknown> = { type };
  const types = text('credentialTypes')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const field of draft.fields) {
    if (field === 'credentialTypes') {
      if (type === 'network.recognize') {
        if (types.length) action.credentialTypes = types;
      } else {
        if (!types.length) throw new NodeError('VALIDATION_FAILED', 'Name at least one credential type to accredit.');
        action.accreditations = [{ credentialTypes: types }];
      }
    } else if (text(field)) action[field] = text(field);
    else if (field !== 'reason') throw new NodeError('VALIDATION_FAILED', `The proposal needs a ${field}.`);
  }
  return action;
}

const MEMBERS_PER_PAGE = 100;

function Members(props: { state: NetworkState; q?: string; after?: string }) {
  const needle = props.q?.toLowerCase();
  const all = Object.entries(props.state.members)
    .filter(
      ([did, versions]) =>
        !needle || did.toLowerCase().includes(needle) || last(versions)!.name.toLowerCase().includes(needle),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const start = props.after ? all.findIndex(([did]) => did > props.after!) : 0;
  const entries = start < 0 ? [] : all.slice(start, start + MEMBERS_PER_PAGE);
  const lastShown = entries[entries.length - 1]?.[0];
  const more = start >= 0 && start + MEMBERS_PER_PAGE < all.length;
  const base = `/admin/governance/networks/${encodeURIComponent(props.state.id)}`;
  return (
    <>
      <search>
        <form method="get" action={base}>
          <label for="member-q">Find a member by name or DID</label>
          <input id="member-q" name="q" type="search" value={props.q ?? ''} />
          <button type="submit">Find</button>
        </form>
      </search>
      <p class="detail">
        {all.length} member(s){needle ? ' match' : ''}; showing {entries.length}.
      </p>
      <MemberTable entries={entries} />
      {more && lastShown ? (
        <a href={`${base}?${new URLSearchParams({ ...(props.q ? { q: props.q } : {}), after: lastShown })}`}>
          Next members
        </a>
      ) : null}
    </>
  );
}

function MemberTable(props: { entries: Array<[string, NetworkState['members'][string]]> }) {
  const { entries } = props;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Member</th>
          <th scope="col">Status</th>
          <th scope="col">Accredited for</th>
          <th scope="col">History</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([did, versions]) => {
          const current = last(versions)!;
          return (
            <tr data-member={did}>
              <td>
                <div class="member-name">{current.name}</div>
                <div class="detail">{did}</div>
              </td>
              <td>{current.status}</td>
              <td>{current.accreditations.flatMap((a) => a.credentialTypes).join(', ') || 'nothing'}</td>
              <td>
                <details>
                  <summary>{versions.length} change(s)</summary>
                  <ul>
                    {versions.map((v) => (
                      <li>
                        {v.from.slice(0, 16).replace('T', ' ')}: {v.action}
                        {v.reason ? ` (${v.reason})` : ''}
                      </li>
                    ))}
                  </ul>
                </details>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Proposals(props: { state: NetworkState; proposals: ProposalView[]; held: string[]; session: Session }) {
  const { governors, threshold } = governorsOf(props.state);
  if (props.proposals.length === 0) return <p>No pending proposals.</p>;
  return (
    <ul class="proposals">
      {props.proposals.map((p) => {
        const signers = p.signatures.map((s) => s.signer).filter((s) => governors.includes(s));
        const missing = Math.max(0, threshold - signers.length);
        const canSign = props.held.filter((did) => governors.includes(did) && !signers.includes(did));
        const subject = String(
          (p.action as { did?: string; network?: string }).did ?? (p.action as { network?: string }).network ?? '',
        );
        const actionName = (p.action as { name?: string }).name;
        return (
          <li data-proposal={p.id}>
            <strong>{DRAFTS[p.action.type]?.label ?? p.action.type}</strong>: {actionName ? `${actionName} ` : ''}
            <span class="detail">{subject}</span>
            <div class="signatures">
              Signed by {signers.length ? signers.map(short).join(', ') : 'nobody yet'}; {missing} more signature(s)
              needed ({threshold} of {governors.length}).
            </div>
            {canSign.map((did) => (
              <form method="post" action={`/admin/governance/proposals/${encodeURIComponent(p.id)}/approve`}>
                <input type="hidden" name="csrf" value={props.session.csrf} />
                <input type="hidden" name="signer" value={did} />
                <button type="submit">Approve as {short(did)}</button>
              </form>
            ))}
          </li>
        );
      })}
    </ul>
  );
}

function DraftForm(props: { networkId: string; session: Session; error?: string; values?: Record<string, unknown> }) {
  const v = (name: string) => (typeof props.values?.[name] === 'string' ? (props.values[name] as string) : '');
  return (
    <form method="post" action={`/admin/governance/networks/${encodeURIComponent(props.networkId)}/proposals`}>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <input type="hidden" name="csrf" value={props.session.csrf} />
      <label for="type">The proposal</label>
      <select id="type" name="type">
        {Object.entries(DRAFTS).map(([type, d]) => (
          <option value={type} selected={v('type') === type}>
            {d.label}
          </option>
        ))}
      </select>
      <label for="did">Member DID (for member proposals)</label>
      <input id="did" name="did" type="text" value={v('did')} />
      <label for="name">Member name</label>
      <input id="name" name="name" type="text" value={v('name')} />
      <label for="credentialTypes">Credential types, comma-separated (accreditation or recognition scope)</label>
      <input id="credentialTypes" name="credentialTypes" type="text" value={v('credentialTypes')} />
      <label for="network">Network id (to recognize)</label>
      <input id="network" name="network" type="text" value={v('network')} />
      <label for="reason">Reason (optional)</label>
      <input id="reason" name="reason" type="text" value={v('reason')} />
      <button type="submit">Propose and sign</button>
    </form>
  );
}

function recognitionPicture(states: NetworkState[]) {
  const ids = new Set(states.map((s) => s.id));
  const nodes: PictureNode[] = states.map((s) => ({
    id: s.id,
    label: s.name,
    sub: `${Object.keys(s.members).length} member(s)`,
    kind: 'network',
  }));
  const edges: PictureEdge[] = [];
  for (const s of states) {
    for (const [other, versions] of Object.entries(s.recognitions)) {
      const r = last(versions);
      if (!r?.active) continue;
      if (!ids.has(other)) {
        ids.add(other);
        nodes.push({ id: other, label: `${other.slice(0, 14)}…`, sub: 'not followed', kind: 'network' });
      }
      edges.push({ from: s.id, to: other, label: r.credentialTypes?.join(', ') ?? 'all types' });
    }
  }
  return <GraphPicture title="Recognition between the networks this node follows" nodes={nodes} edges={edges} />;
}

async function networkPage(
  c: Context<Env>,
  deps: GovernanceDeps,
  id: string,
  draft?: { error: string; values: Record<string, unknown> },
  notice?: string,
) {
  const state = deps.registry.network(id);
  if (!state) throw new NodeError('NOT_FOUND', `this node holds no network ${id}`);
  const session = c.get('session');
  const { governors, threshold } = governorsOf(state);
  const proposals = deps.registry.proposals({ network: id, pending: true });
  const held = await deps.keyring.list();
  // Re-checks every action id and signature of the export offline (registry/audit.ts): on demand, it is not free.
  const audit =
    c.req.query('audit') === '1'
      ? auditExport({
          format: EXPORT_FORMAT,
          network: id,
          digest: deps.registry.digest(id),
          actions: deps.registry.allActions(id),
        })
      : undefined;
  return page(
    c,
    <Layout title={state.name} admin={session}>
      <h1>{state.name}</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {state.description ? <p>{state.description}</p> : null}
      <dl class="facts">
        <dt>Network id</dt>
        <dd>{id}</dd>
        <dt>Governors</dt>
        <dd>
          {threshold} of {governors.length} must sign: {governors.map(short).join(', ')}
        </dd>
        <dt>Audit</dt>
        <dd class="audit">
          {audit ? (
            <span role="status">
              {audit.ok
                ? `The history checks out: ${audit.applied} applied, ${audit.pending} pending actions; digest ${audit.digest}.`
                : `Problems: ${audit.problems.join('; ')}`}
            </span>
          ) : (
            <a href={`/admin/governance/networks/${encodeURIComponent(id)}?audit=1`}>Audit the history</a>
          )}{' '}
          ·{' '}
          <a href={`/networks/${encodeURIComponent(id)}/export`} download={`network-${id.slice(0, 12)}.json`}>
            Export the history
          </a>
        </dd>
      </dl>
      <h2>Pending proposals</h2>
      <Proposals state={state} proposals={proposals} held={held} session={session} />
      <h2>Members</h2>
      <Members state={state} q={c.req.query('q')?.trim() || undefined} after={c.req.query('after')} />
      <h2>Draft a proposal</h2>
      <DraftForm networkId={id} session={session} error={draft?.error} values={draft?.values} />
    </Layout>,
    draft ? 422 : 200,
  );
}

export function governancePages(deps: GovernanceDeps) {
  const app = new Hono<Env>();

  app.get('/', (c) => {
    const states = deps.follows.list().flatMap((id) => deps.registry.network(id) ?? []);
    return page(
      c,
      <Layout title="Governance" admin={c.get('session')}>
        <h1>Governance</h1>
        <p>The networks this node follows: their members, proposals and how they recognize each other.</p>
        <table>
          <thead>
            <tr>
              <th scope="col">Network</th>
              <th scope="col">Members</th>
              <th scope="col">Pending</th>
              <th scope="col">Governors</th>
            </tr>
          </thead>
          <tbody>
            {states.map((s) => {
              const g = governorsOf(s);
              return (
                <tr>
                  <td>
                    <a href={`/admin/governance/networks/${encodeURIComponent(s.id)}`}>{s.name}</a>
                  </td>
                  <td>{Object.keys(s.members).length}</td>
                  <td>{deps.registry.proposals({ network: s.id, pending: true }).length}</td>
                  <td>
                    {g.threshold} of {g.governors.length}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {states.length === 0 ? <p>This node follows no network yet.</p> : recognitionPicture(states)}
      </Layout>,
    );
  });

  app.get('/networks/:id', (c) => networkPage(c, deps, c.req.param('id')));

  app.post('/networks/:id/proposals', async (c) => {
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    try {
      const proposal = await deps.registry.propose(id, actionFromDraft(form), { sign: true });
      return networkPage(
        c,
        deps,
        id,
        undefined,
        proposal.approved ? 'Proposed, signed and approved.' : 'Proposed and signed; waiting for more signatures.',
      );
    } catch (error) {
      if (error instanceof Error && 'code' in error && (error as { code: string }).code !== 'UNKNOWN_NETWORK') {
        return networkPage(c, deps, id, { error: error.message, values: form });
      }
      throw error;
    }
  });

  app.post('/proposals/:id/approve', async (c) => {
    const form = await c.req.parseBody();
    const proposal = await deps.registry.approve(c.req.param('id'), { signer: form.signer, sign: true });
    return networkPage(
      c,
      deps,
      proposal.network,
      undefined,
      proposal.approved ? 'Approved: the change is in effect.' : 'Signed; waiting for more signatures.',
    );
  });

  return app;
}
