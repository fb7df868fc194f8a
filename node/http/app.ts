/**
 * The HTTP API (API.md): one sub-app per resource, mounted here, with JSON
 * errors for everything including unknown routes and malformed bodies.
 */
import { type Context, Hono } from 'hono';
import { didWebToUrl } from '../../protocol/signing/did-web.ts';
import { toCasePackage } from '../../registry/skills/case-export.ts';
import type { Components } from '../components.ts';
import { didDocumentOf } from '../identity.ts';
import type { Logger } from '../logger.ts';
import type { NodeMetrics } from '../observability/metrics.ts';
import { assertAdminToken, requireAdminToken } from './auth.ts';
import { cors } from './cors.ts';
import { errorBody, handleError, houseError } from './errors.ts';
import { federationError, isFederationPath } from './federation-errors.ts';
import { hostCheck } from './host-check.ts';
import { DEFAULT_PUBLIC_RATE_LIMIT, DEFAULT_READ_RATE_LIMIT } from './limits.ts';
import { pageRoutes } from './pages/index.tsx';
import type { NodeStatus } from './pages/node-page.tsx';
import { rateLimit } from './rate-limit.ts';
import { requestObserver } from './request-observer.ts';
import { responseHeaders } from './response-headers.ts';
import { backupRoutes } from './routes/backup.ts';
import { credentialRoutes } from './routes/credentials.ts';
import { eventRoutes } from './routes/events.ts';
import { federationRoutes } from './routes/federation.ts';
import { identifierRoutes } from './routes/identifiers.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { offerRoutes } from './routes/offers.ts';
import { oid4vciRoutes } from './routes/oid4vci.ts';
import { oid4vpRoutes } from './routes/oid4vp.ts';
import { presentationRoutes } from './routes/presentations.ts';
import { publicationRoutes } from './routes/publications.ts';
import {
  anchorRoutes,
  followRoutes,
  governorKeyRoutes,
  issuerRoutes,
  networkRoutes,
  proposalRoutes,
} from './routes/registry.ts';
import { skillRoutes } from './routes/skills.ts';
import { statusListRoutes } from './routes/status-lists.ts';
import { trqpRoutes } from './routes/trqp.ts';
import { vcalmRoutes } from './routes/vcalm.ts';

export interface HealthInfo {
  peerId?: string;
  multiaddrs: string[];
  networks: string[];
}

export interface AppOptions {
  components: Components;
  version: string;
  health: () => HealthInfo;
  /** Requests per minute per client on public endpoints that verify, resolve or fetch; 0 disables. */
  publicRateLimit?: number;
  /** Requests per minute per client for every GET (cheap reads, a separate budget); 0 disables. */
  readRateLimit?: number;
  /** Tests set the rate limiters' clock and window. */
  rateLimitWindow?: { windowMs?: number; maxClients?: number; now?: () => number };
  /** Host names (`host` or `host:port`) this node answers for; empty answers any Host. */
  allowedHosts?: string[];
  /** Further hosts allowed once the check is on (the bound address, the did:web host); never switch it on. */
  boundHosts?: string[];
  /** Largest skill framework request body accepted, in bytes. */
  maxFrameworkBytes?: number;
  /** Largest skill framework accepted, in items. */
  maxFrameworkItems?: number;
  logError?: (error: Error) => void;
  /** One line per request (request-observer.ts). */
  logger?: Logger;
  /** Request metrics, and `GET /metrics` (absent: no such route). */
  metrics?: NodeMetrics;
  /** A token that may read `/metrics` besides the admin token (decision 0037). */
  metricsToken?: string;
  /** Peers and replication, for the node page (node/http/pages/node-page.tsx). */
  nodeStatus?: () => NodeStatus;
  /** Origins allowed to call the verification endpoints from a browser (decision 0039); public documents allow any. */
  corsOrigins?: string[];
}

export function createApp(options: AppOptions) {
  const { components } = options;
  const adminOnly = requireAdminToken(components.identity.adminTokenHash);
  const assertAdmin = (c: Context) => assertAdminToken(c, components.identity.adminTokenHash);
  const window = { windowMs: 60_000, ...options.rateLimitWindow };
  const publicLimit = rateLimit({ max: options.publicRateLimit ?? DEFAULT_PUBLIC_RATE_LIMIT, ...window });
  const readLimit = rateLimit({
    max: options.readRateLimit ?? DEFAULT_READ_RATE_LIMIT,
    ...window,
    applies: (method) => method === 'GET' || method === 'HEAD',
  });
  const app = new Hono();

  // did:web:host → /.well-known/did.json; did:web:host:a:b → /a/b/did.json (did:web §3.2).
  const { did } = components.identity;
  const didPath = did.startsWith('did:web:') ? didWebToUrl(did).pathname : '/.well-known/did.json';

  // First, so what the middleware below refuse is logged and counted too.
  if (options.logger || options.metrics) app.use(requestObserver({ logger: options.logger, metrics: options.metrics }));
  app.use(responseHeaders());
  app.use(hostCheck({ allowed: options.allowedHosts ?? [], extra: options.boundHosts }));
  // Before the rate limit, so that a browser can read a 429 too.
  app.use(cors({ origins: options.corsOrigins ?? [], didDocumentPath: didPath }));
  app.use(readLimit);

  // Built on first use, with zod and the schemas imported then (decision 0050): they do not change while the node
  // runs.
  let document: Promise<Record<string, unknown>> | undefined;
  const openApi = () => {
    document ??= import('./openapi.ts').then(({ openApiDocument }) =>
      openApiDocument({ version: options.version, publicUrl: components.publicUrl }),
    );
    return document;
  };
  app.get('/openapi.json', async (c) => {
    c.header('cache-control', 'public, max-age=300');
    return c.json(await openApi());
  });
  app.get('/health', (c) =>
    c.json({
      status: 'ok',
      did: components.identity.did,
      // The issuer of ECDSA credentials (decision 0021): the did:web itself, or a did:key node's P-256 did:key.
      ecdsaDid: components.identity.ecdsa.did,
      ...options.health(),
      version: options.version,
    }),
  );
  app.get(didPath, (c) => {
    if (!did.startsWith('did:web:')) return c.json(errorBody('NOT_FOUND', 'this node has no did:web identity'), 404);
    // Public and rarely changing: resolvers may keep it a while.
    c.header('cache-control', 'public, max-age=300');
    return c.json(didDocumentOf(components.identity));
  });
  if (options.metrics) {
    const { metrics, metricsToken } = options;
    app.route('/metrics', metricsRoutes({ metrics, metricsToken, adminTokenHash: components.identity.adminTokenHash }));
  }
  app.route('/credentials', credentialRoutes({ ...components, adminOnly, publicLimit }));
  app.route('/presentations', presentationRoutes({ ...components, publicLimit }));
  app.route('/status-lists', statusListRoutes(components));
  // Resolution may fetch a did:web document: as costly as verification.
  app.use('/1.0/identifiers/*', publicLimit);
  app.route('/', vcalmRoutes({ ...components, adminOnly, publicLimit }));
  app.route('/', oid4vpRoutes({ ...components, assertAdmin, publicLimit }));
  app.route('/', oid4vciRoutes({ ...components, adminOnly, publicLimit, issuerName: () => components.identity.did }));
  app.route('/1.0/identifiers', identifierRoutes(components));
  const registryDeps = { ...components, adminOnly, assertAdmin, publicLimit };
  app.route('/governor-keys', governorKeyRoutes(registryDeps));
  app.route('/networks', networkRoutes(registryDeps));
  app.route('/proposals', proposalRoutes(registryDeps));
  app.route('/issuers', issuerRoutes(registryDeps));
  // Offers first: /follows/offers/… is theirs, the rest of /follows is the follow set's.
  app.route('/follows/offers', offerRoutes(registryDeps));
  app.route('/follows', followRoutes(registryDeps));
  app.route('/anchors', anchorRoutes(registryDeps));
  app.route('/backup', backupRoutes({ ...components, adminOnly, version: options.version }));
  app.route('/oidf', federationRoutes({ ...components, adminOnly, publicLimit }));
  app.route('/publications', publicationRoutes(registryDeps));
  app.route('/events', eventRoutes(registryDeps));
  app.route(
    '/skills',
    skillRoutes({
      ...registryDeps,
      maxFrameworkItems: options.maxFrameworkItems,
      maxFrameworkBytes: options.maxFrameworkBytes,
    }),
  );
  // The CASE 1.1 read API shape, for the frameworks this node holds.
  app.get('/ims/case/v1p1/CFPackages/:id', (c) => {
    const framework = components.skills.framework(c.req.param('id'));
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
  app.route('/', pageRoutes({ ...components, ...options, publicLimit, openApi }));

  // Below /oidf/ (but for the admin routes) errors take OpenID Federation's form, wherever they arise.
  const renderer = (c: Context) => (isFederationPath(c.req.path) ? federationError : houseError);
  app.notFound((c) => renderer(c)(c, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => handleError(error, c, options.logError, renderer(c)));
  return app;
}

export type App = ReturnType<typeof createApp>;
