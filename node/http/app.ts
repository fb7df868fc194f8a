/**
 * The HTTP API (API.md): one sub-app per resource, mounted here, with JSON
 * errors for everything including unknown routes and malformed bodies.
 */
import { type Context, Hono } from 'hono';
import { didWebToUrl } from '../../protocol/signing/did-web.ts';
import { toCasePackage } from '../../registry/skills/case-export.ts';
import type { Components } from '../components.ts';
import { didDocumentOf } from '../identity.ts';
import { assertAdminToken, requireAdminToken } from './auth.ts';
import { errorBody, handleError } from './errors.ts';
import { pageRoutes } from './pages/index.tsx';
import type { NodeStatus } from './pages/node-page.tsx';
import { rateLimit } from './rate-limit.ts';
import { credentialRoutes } from './routes/credentials.ts';
import { identifierRoutes } from './routes/identifiers.ts';
import { presentationRoutes } from './routes/presentations.ts';
import { publicationRoutes } from './routes/publications.ts';
import { followRoutes, governorKeyRoutes, issuerRoutes, networkRoutes, proposalRoutes } from './routes/registry.ts';
import { skillRoutes } from './routes/skills.ts';
import { statusListRoutes } from './routes/status-lists.ts';
import { trqpRoutes } from './routes/trqp.ts';

export interface HealthInfo {
  peerId?: string;
  multiaddrs: string[];
  networks: string[];
}

export interface AppOptions {
  components: Components;
  version: string;
  health: () => HealthInfo;
  /** Requests per minute per client on public endpoints; 0 disables. */
  publicRateLimit?: number;
  /** Largest skill framework accepted, in items. */
  maxFrameworkItems?: number;
  logError?: (error: Error) => void;
  /** Peers and replication, for the node page (node/http/pages/node-page.tsx). */
  nodeStatus?: () => NodeStatus;
}

export function createApp(options: AppOptions) {
  const { components } = options;
  const adminOnly = requireAdminToken(components.identity.adminTokenHash);
  const assertAdmin = (c: Context) => assertAdminToken(c, components.identity.adminTokenHash);
  const publicLimit = rateLimit({ max: options.publicRateLimit ?? 6_000, windowMs: 60_000 });
  const app = new Hono();

  app.get('/health', (c) =>
    c.json({ status: 'ok', did: components.identity.did, ...options.health(), version: options.version }),
  );
  // did:web:host → /.well-known/did.json; did:web:host:a:b → /a/b/did.json (did:web §3.2).
  const { did } = components.identity;
  const didPath = did.startsWith('did:web:') ? didWebToUrl(did).pathname : '/.well-known/did.json';
  app.get(didPath, (c) => {
    if (!did.startsWith('did:web:')) return c.json(errorBody('NOT_FOUND', 'this node has no did:web identity'), 404);
    return c.json(didDocumentOf(components.identity));
  });
  app.route('/credentials', credentialRoutes({ ...components, adminOnly, publicLimit }));
  app.route('/presentations', presentationRoutes({ ...components, publicLimit }));
  app.route('/status-lists', statusListRoutes(components));
  app.route('/1.0/identifiers', identifierRoutes(components));
  const registryDeps = { ...components, adminOnly, assertAdmin };
  app.route('/governor-keys', governorKeyRoutes(registryDeps));
  app.route('/networks', networkRoutes(registryDeps));
  app.route('/proposals', proposalRoutes(registryDeps));
  app.route('/issuers', issuerRoutes(registryDeps));
  app.route('/follows', followRoutes(registryDeps));
  app.route('/publications', publicationRoutes(registryDeps));
  app.route('/skills', skillRoutes({ ...registryDeps, publicLimit, maxFrameworkItems: options.maxFrameworkItems }));
  // The CASE 1.1 read API shape, for the frameworks this node holds.
  app.get('/ims/case/v1p1/CFPackages/:id', (c) => {
    const framework = components.skills.framework(decodeURIComponent(c.req.param('id')));
    if (!framework) return c.json(errorBody('NOT_FOUND', 'no such framework'), 404);
    return c.json(toCasePackage(framework, new Date().toISOString()));
  });
  const { keyPair, keyId } = components.identity;
  app.route(
    '/trqp',
    trqpRoutes({
      registry: components.registry,
      publicLimit,
      signer: { kid: keyId, sign: (data) => keyPair.signer().sign({ data }) },
    }),
  );

  // The web pages (issue 13): `/`, `/assets/*`, `/admin/*`, with their own strict CSP (node/http/pages/layout.tsx).
  app.route('/', pageRoutes({ ...components, ...options, publicLimit }));

  app.notFound((c) => c.json(errorBody('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => handleError(error, c, options.logError));
  return app;
}

export type App = ReturnType<typeof createApp>;
