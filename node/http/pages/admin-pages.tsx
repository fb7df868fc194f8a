/**
 * The admin pages: sign in with the admin token, issue a credential from a
 * form, download it (JSON or a baked PNG), list what was issued, revoke or
 * suspend after a confirmation step. Every page refuses without a session and
 * every form carries the session's CSRF token.
 */
import { type Context, Hono } from 'hono';
import { bakePng, blankPng } from '../../../protocol/baking.ts';
import { NodeError } from '../../errors.ts';
import type { Issuer } from '../../issuing/issuer.ts';
import type { CreatedOffer, OfferIssuance } from '../../oid4vc/issuance.ts';
import type { PublicationStore } from '../../publications/publication-store.ts';
import { type GovernanceDeps, governancePages } from './governance-pages.tsx';
import { Layout, page } from './layout.tsx';
import { type NodePageDeps, nodePage } from './node-page.tsx';
import type { Session, Sessions } from './sessions.ts';

type Json = Record<string, unknown>;
const PAGE_SIZE = 25;
const OB_CONTEXTS = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
];

export interface AdminDeps extends GovernanceDeps, NodePageDeps {
  issuer: Issuer;
  offers: Pick<OfferIssuance, 'create'>;
  publications: Pick<PublicationStore, 'list' | 'achievement'>;
  identity: { did: string };
  sessions: Sessions;
}

function Csrf(props: { session: Session }) {
  return <input type="hidden" name="csrf" value={props.session.csrf} />;
}

function SignInPage(props: { error?: string; next?: string }) {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      <p>
        Issuing and governance need this node's admin token. You sign in once; the token is not kept in the browser.
      </p>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/admin/sign-in">
        <input type="hidden" name="next" value={props.next ?? '/admin/issue'} />
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

type Definition = { id: string; name: string };

function IssueForm(props: { session: Session; error?: string; definitions: Definition[] }) {
  return (
    <Layout title="Issue a credential" admin={props.session}>
      <h1>Issue a credential</h1>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/admin/issue">
        <Csrf session={props.session} />
        {props.definitions.length > 0 ? (
          <>
            <label for="definition">From a published achievement definition</label>
            <select id="definition" name="definition">
              <option value="">None: describe it below</option>
              {props.definitions.map((d) => (
                <option value={d.id}>{d.name}</option>
              ))}
            </select>
          </>
        ) : null}
        <label for="achievement">Achievement name (unless from a definition)</label>
        <input id="achievement" name="achievement" type="text" maxlength={200} />
        <label for="description">Description</label>
        <textarea id="description" name="description" maxlength={2000} />
        <label for="criteria">How it was earned (criteria)</label>
        <textarea id="criteria" name="criteria" maxlength={2000} />
        <label for="achievementId">Achievement id (a URL, optional)</label>
        <input id="achievementId" name="achievementId" type="url" />
        <label for="recipient">Recipient (a DID or URL)</label>
        <input id="recipient" name="recipient" type="text" required />
        <label for="recipientName">Recipient's name (optional)</label>
        <input id="recipientName" name="recipientName" type="text" maxlength={200} />
        <label>
          <input type="checkbox" name="suspendable" value="yes" /> Can be suspended (besides revoked)
        </label>
        <button type="submit">Issue</button>{' '}
        {/* No recipient needed: the wallet's key becomes the subject when it redeems the offer. */}
        <button type="submit" name="to" value="wallet" formnovalidate class="secondary">
          Hand it to a wallet
        </button>
      </form>
    </Layout>
  );
}

function dataUrl(type: string, bytes: Buffer): string {
  return `data:${type};base64,${bytes.toString('base64')}`;
}

function IssuedPage(props: { session: Session; credential: Json }) {
  const text = JSON.stringify(props.credential, null, 2);
  const id = String(props.credential.id ?? 'credential');
  const file = id.replace(/[^a-zA-Z0-9-]+/g, '-').slice(-40);
  return (
    <Layout title="Credential issued" admin={props.session}>
      <h1>Credential issued</h1>
      <p class="notice" role="status">
        Issued <strong class="credential-name">{String(props.credential.name ?? '')}</strong> ({id}).
      </p>
      <a class="button" download={`${file}.json`} href={dataUrl('application/json', Buffer.from(text))}>
        Download JSON
      </a>
      <a class="button secondary" download={`${file}.png`} href={dataUrl('image/png', bakePng(blankPng(), text))}>
        Download baked badge (PNG)
      </a>
      <h2>The credential</h2>
      <textarea readonly aria-label="The issued credential">
        {text}
      </textarea>
      <p>
        <a href="/admin/issue">Issue another</a> · <a href="/admin/credentials">Issued credentials</a>
      </p>
    </Layout>
  );
}

function OfferPage(props: { session: Session; offer: CreatedOffer; name: string }) {
  return (
    <Layout title="Credential offered" admin={props.session}>
      <h1>Hand it to a wallet</h1>
      <p class="notice" role="status">
        Offered <strong class="credential-name">{props.name}</strong>: scan this with the learner's wallet before{' '}
        {props.offer.expiresAt.slice(0, 16).replace('T', ' ')} UTC. It is issued when the wallet redeems it.
      </p>
      <img class="qr" src={`/offers/${props.offer.id}/qr.svg`} alt="QR code of the credential offer" width={240} />
      <label for="offer-uri">Offer link (for a wallet on this device)</label>
      <input id="offer-uri" type="text" readonly value={props.offer.offerUriByReference} />
      <p>
        <a href="/admin/issue">Issue another</a> · <a href="/admin/credentials">Issued credentials</a>
      </p>
    </Layout>
  );
}

function credentialFromForm(form: Record<string, unknown>, did: string, definition?: Json, forWallet = false): Json {
  const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
  const name = field('achievement') || (typeof definition?.name === 'string' ? definition.name : '');
  const recipient = field('recipient');
  if (!name) throw new NodeError('VALIDATION_FAILED', 'The achievement needs a name (or choose a definition).');
  if (!forWallet && !/^(did:|https?:\/\/|urn:)/.test(recipient)) {
    throw new NodeError('VALIDATION_FAILED', 'The recipient must be a DID (did:…) or a URL.');
  }
  const achievement: Json = {
    id: field('achievementId') || `urn:uuid:${crypto.randomUUID()}`,
    type: ['Achievement'],
    name,
    criteria: { narrative: field('criteria') || name },
  };
  if (field('description')) achievement.description = field('description');
  // A published definition is the achievement as the institution described it once, for every credential.
  if (definition) Object.assign(achievement, structuredClone(definition), { type: ['Achievement'], name });
  const subject: Json = { ...(forWallet ? {} : { id: recipient }), type: ['AchievementSubject'], achievement };
  if (field('recipientName')) subject.name = field('recipientName');
  return {
    '@context': OB_CONTEXTS,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: did, type: ['Profile'] },
    name,
    credentialSubject: subject,
  };
}

const PURPOSE_WORDS: Record<string, string> = { revocation: 'revoked', suspension: 'suspended' };

export function adminPages(deps: AdminDeps) {
  const app = new Hono<{ Variables: { session: Session } }>();

  app.get('/sign-in', (c) => page(c, <SignInPage />));
  app.post('/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const session = typeof form.token === 'string' ? deps.sessions.signIn(c, form.token) : undefined;
    if (!session) return page(c, <SignInPage error="That is not this node's admin token." />, 401);
    const next = typeof form.next === 'string' && /^\/admin\/[a-z/-]*$/.test(form.next) ? form.next : '/admin/issue';
    return c.redirect(next, 303);
  });

  // Everything below needs a session; a post needs its CSRF token too.
  app.use('*', async (c, next) => {
    const session = deps.sessions.current(c);
    if (!session) {
      if (c.req.method === 'GET') return c.redirect(`/admin/sign-in`, 303);
      return page(c, <SignInPage error="Your session has ended: sign in again." />, 401);
    }
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody();
      if (!deps.sessions.csrfMatches(session, form.csrf)) {
        throw new NodeError('FORBIDDEN', 'the form has no valid CSRF token: reload the page and try again');
      }
    }
    c.set('session', session);
    await next();
  });

  app.post('/sign-out', (c) => {
    deps.sessions.signOut(c);
    return c.redirect('/', 303);
  });

  app.route('/governance', governancePages(deps));
  app.get('/node', (c) => nodePage(c, deps));

  const definitions = (): Definition[] =>
    deps.publications.list({ publisher: deps.identity.did, kind: 'achievement' }).map((p) => ({
      id: p.id,
      name: typeof (p.body as Json).name === 'string' ? String((p.body as Json).name) : p.id,
    }));
  app.get('/issue', (c) => page(c, <IssueForm session={c.get('session')} definitions={definitions()} />));
  app.post('/issue', async (c) => {
    const session = c.get('session');
    const form = await c.req.parseBody();
    try {
      const chosen = typeof form.definition === 'string' && form.definition ? form.definition : undefined;
      const definition = chosen ? deps.publications.achievement(deps.identity.did, chosen) : undefined;
      if (chosen && !definition)
        throw new NodeError('VALIDATION_FAILED', 'That achievement definition is not published.');
      const suspendable = form.suspendable === 'yes';
      if (form.to === 'wallet') {
        const credential = credentialFromForm(form, deps.identity.did, definition, true);
        const offer = await deps.offers.create({
          credential,
          ...(suspendable ? { options: { credentialStatus: [{ statusPurpose: 'suspension' }] } } : {}),
        });
        return page(c, <OfferPage session={session} offer={offer} name={String(credential.name)} />, 201);
      }
      const credential = credentialFromForm(form, deps.identity.did, definition);
      const issued = await deps.issuer.issue(credential, {
        credentialStatus: suspendable ? [{ statusPurpose: 'suspension' }] : undefined,
      });
      return page(c, <IssuedPage session={session} credential={issued} />, 201);
    } catch (error) {
      if (error instanceof Error && 'code' in error) {
        return page(c, <IssueForm session={session} error={error.message} definitions={definitions()} />, 422);
      }
      throw error;
    }
  });

  app.get('/credentials', async (c) => listPage(c, deps));

  // The confirmation step: nothing changes until the second form is posted.
  app.post('/credentials/confirm', async (c) => {
    const session = c.get('session');
    const form = await c.req.parseBody();
    const { id, purpose } = statusForm(form);
    const verb = purpose === 'revocation' ? 'Revoke' : 'Suspend';
    return page(
      c,
      <Layout title={`${verb} a credential`} admin={session}>
        <h1>{verb} this credential?</h1>
        <p class="notice">
          {id}
          {purpose === 'revocation' ? (
            <strong> A revocation is final: it cannot be undone.</strong>
          ) : (
            ' A suspension can be lifted later.'
          )}
        </p>
        <form method="post" action="/admin/credentials/status">
          <Csrf session={session} />
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="purpose" value={purpose} />
          <button type="submit" class="danger">
            Yes, {verb.toLowerCase()} it
          </button>
          <a class="button secondary" href="/admin/credentials">
            Cancel
          </a>
        </form>
      </Layout>,
    );
  });

  app.post('/credentials/status', async (c) => {
    const form = await c.req.parseBody();
    const { id, purpose } = statusForm(form);
    const value = form.value !== 'false';
    await deps.issuer.setStatus(id, purpose, value);
    const done = value ? PURPOSE_WORDS[purpose] : `no longer ${PURPOSE_WORDS[purpose]}`;
    return listPage(c, deps, `${id} is now ${done}.`);
  });

  return app;
}

function statusForm(form: Record<string, unknown>): { id: string; purpose: string } {
  const id = typeof form.id === 'string' ? form.id : '';
  const purpose = form.purpose === 'suspension' ? 'suspension' : 'revocation';
  if (!id) throw new NodeError('VALIDATION_FAILED', 'which credential?');
  return { id, purpose };
}

async function listPage(c: Context<{ Variables: { session: Session } }>, deps: AdminDeps, notice?: string) {
  const session = c.get('session');
  const q = c.req.query('q')?.trim() || undefined;
  const after = c.req.query('after') || undefined;
  const entries = await deps.issuer.list({ after, limit: PAGE_SIZE + 1, contains: q });
  const more = entries.length > PAGE_SIZE;
  const shown = entries.slice(0, PAGE_SIZE);
  const nextUrl = new URLSearchParams({ ...(q ? { q } : {}), after: shown[shown.length - 1]?.id ?? '' });
  return page(
    c,
    <Layout title="Issued credentials" admin={session}>
      <h1>Issued credentials</h1>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <search>
        <form method="get" action="/admin/credentials">
          <label for="q">Search by id or name</label>
          <input id="q" name="q" type="search" value={q ?? ''} />
          <button type="submit">Search</button>
        </form>
      </search>
      <table>
        <thead>
          <tr>
            <th scope="col">Credential</th>
            <th scope="col">Issued</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((entry) => {
            const set = entry.status.filter((s) => s.set).map((s) => PURPOSE_WORDS[s.purpose] ?? s.purpose);
            const revoked = set.includes('revoked');
            return (
              <tr data-id={entry.id}>
                <td>
                  {entry.name ? <div>{entry.name}</div> : null}
                  <div class="detail">{entry.id}</div>
                </td>
                <td>{entry.issuedAt.slice(0, 16).replace('T', ' ')}</td>
                <td class="status">{set.length ? set.join(', ') : 'active'}</td>
                <td>
                  {revoked
                    ? null
                    : entry.status.map((slot) =>
                        slot.set ? (
                          <form method="post" action="/admin/credentials/status">
                            <Csrf session={session} />
                            <input type="hidden" name="id" value={entry.id} />
                            <input type="hidden" name="purpose" value={slot.purpose} />
                            <input type="hidden" name="value" value="false" />
                            <button type="submit" class="secondary">
                              Lift suspension
                            </button>
                          </form>
                        ) : (
                          <form method="post" action="/admin/credentials/confirm">
                            <Csrf session={session} />
                            <input type="hidden" name="id" value={entry.id} />
                            <input type="hidden" name="purpose" value={slot.purpose} />
                            <button type="submit" class="secondary">
                              {slot.purpose === 'revocation' ? 'Revoke' : 'Suspend'}
                            </button>
                          </form>
                        ),
                      )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {shown.length === 0 ? <p>No credentials{q ? ' match' : ' issued yet'}.</p> : null}
      {more ? <a href={`/admin/credentials?${nextUrl}`}>Next page</a> : null}
    </Layout>,
  );
}
