/**
 * The web pages (issue 13), mounted at `/` by node/http/app.ts. Server-rendered
 * with hono/jsx; every form works without JavaScript. Pages call the same
 * services as the JSON API, so a page can never do what the API would refuse.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { OutboundFetcher } from '../../../protocol/signing/outbound-fetch.ts';
import { NodeError } from '../../errors.ts';
import type { Issuer } from '../../issuing/issuer.ts';
import type { OfferIssuance } from '../../oid4vc/issuance.ts';
import type { PresentationRequests } from '../../oid4vc/presentations.ts';
import type { PublicationStore } from '../../publications/publication-store.ts';
import type { GovernorKeyring } from '../../registry/governor-keys.ts';
import type { RegistryService } from '../../registry/registry-service.ts';
import type { FollowSet } from '../../replication/follows.ts';
import type { SkillCatalog } from '../../skills/skill-catalog.ts';
import type { CredentialVerifier } from '../../verification/verifier.ts';
import { adminPages } from './admin-pages.tsx';
import { apiReferencePage } from './api-reference.tsx';
import { fetchCredential, readCredentialUpload } from './credential-upload.ts';
import { ASSETS, page, pageHeaders } from './layout.tsx';
import type { NodeStatus } from './node-page.tsx';
import { createSessions } from './sessions.ts';
import { skillPages } from './skills-pages.tsx';
import { VerifyPage } from './verify-page.tsx';
import { walletRequestPages } from './wallet-request.tsx';

export interface PageDeps {
  verifier: CredentialVerifier;
  registry: RegistryService;
  issuer: Issuer;
  offers: OfferIssuance;
  presentationRequests: PresentationRequests;
  publicVerifier: boolean;
  keyring: GovernorKeyring;
  follows: FollowSet;
  skills: SkillCatalog;
  publications: PublicationStore;
  outbound: { fetcher: OutboundFetcher; allowHttp: boolean };
  identity: { did: string; adminTokenHash: Buffer };
  publicLimit: MiddlewareHandler;
  version?: string;
  health?: () => { peerId?: string; multiaddrs: string[] };
  nodeStatus?: () => NodeStatus;
  /** The OpenAPI document, rendered at /api. */
  openApi: () => Promise<Record<string, unknown>>;
}

/** A badge image with its credential is rarely over a few hundred KiB. */
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

/**
 * Forms are posted from these pages only: a browser says where a request comes from (Fetch Metadata), and a
 * cross-site post is refused before it is read. Admin forms carry a CSRF token besides.
 */
export function sameOrigin(): MiddlewareHandler {
  return async function sameOriginPosts(c, next) {
    if (c.req.method === 'POST') {
      const site = c.req.header('sec-fetch-site');
      if (site && site !== 'same-origin' && site !== 'none') {
        throw new NodeError('FORBIDDEN', 'forms are accepted from this site only');
      }
    }
    await next();
  };
}

export function pageRoutes(deps: PageDeps) {
  const app = new Hono();
  const sessions = createSessions({ adminTokenHash: deps.identity.adminTokenHash });
  const pages = new Hono();
  pages.use(pageHeaders(), sameOrigin());

  const frameworkName = (id: string) => deps.skills.framework(id)?.name ?? id;
  /** Verifies and renders; a typed refusal (too complex, malformed) is said in words on the form. */
  // `secured`: the JWT a JOSE-secured credential came in: it is what is verified, the credential what is shown.
  const verifyAndRender = async (c: Context, credential: Record<string, unknown>, link?: string, secured?: string) => {
    try {
      if ([credential.type].flat().includes('VerifiablePresentation')) {
        const report = await deps.verifier.verifyPresentation(credential, { signal: c.req.raw.signal });
        return page(
          c,
          <VerifyPage
            registry={deps.registry}
            presentation={{ presentation: credential, report }}
            frameworkName={frameworkName}
          />,
        );
      }
      const report = await deps.verifier.verifyCredential(secured ?? credential, { signal: c.req.raw.signal });
      return page(
        c,
        <VerifyPage registry={deps.registry} result={{ credential, report, link }} frameworkName={frameworkName} />,
      );
    } catch (error) {
      if (error instanceof Error && 'code' in error) {
        return page(
          c,
          <VerifyPage registry={deps.registry} error={`This cannot be verified: ${error.message}`} />,
          422,
        );
      }
      throw error;
    }
  };

  // A link that carries a credential's URL (`/?url=…`): fetched through the node's guarded outbound fetcher.
  pages.get('/', deps.publicLimit, async (c) => {
    const url = c.req.query('url');
    if (url === undefined) return page(c, <VerifyPage registry={deps.registry} />);
    const fetched = await fetchCredential(deps.outbound, url, c.req.raw.signal);
    if ('error' in fetched)
      return page(c, <VerifyPage registry={deps.registry} error={fetched.error} link={url} />, 400);
    return verifyAndRender(c, fetched.credential, `${new URL(c.req.url).origin}/?url=${encodeURIComponent(url)}`);
  });

  pages.post(
    '/',
    deps.publicLimit,
    bodyLimit({
      maxSize: MAX_UPLOAD_BYTES,
      onError: (c) =>
        page(
          c,
          <VerifyPage registry={deps.registry} error="That file is too large to be a credential (over 2 MiB)." />,
          413,
        ),
    }),
    async (c) => {
      const form = await c.req.parseBody();
      const upload = await readCredentialUpload(form.file, form.credential);
      if ('error' in upload) {
        return page(c, <VerifyPage registry={deps.registry} error={upload.error} pasted={upload.pasted} />, 400);
      }
      return verifyAndRender(c, upload.credential, undefined, upload.secured);
    },
  );

  pages.use('/wallet-request/*', bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('form too large', 413) }));
  pages.get('/api', async (c) => apiReferencePage(c, await deps.openApi()));
  pages.route('/wallet-request', walletRequestPages({ ...deps, sessions }));
  pages.use('/explore/*', bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: (c) => c.text('form too large', 413) }));
  pages.route('/explore', skillPages(deps));
  pages.use('/admin/*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('form too large', 413) }));
  pages.route('/admin', adminPages({ ...deps, sessions }));

  app.get('/assets/:name', (c) => {
    const asset = ASSETS[c.req.param('name')];
    if (!asset) throw new NodeError('NOT_FOUND', 'no such asset');
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    c.header('Content-Type', asset.type);
    c.header('ETag', asset.etag);
    c.header('Cache-Control', 'public, max-age=300');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(asset.body);
  });
  app.route('/', pages);
  return app;
}
