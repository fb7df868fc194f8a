/**
 * Runs a node: opens the store, creates or loads the identity, starts libp2p
 * and HTTP, and stops all of it cleanly (HTTP first, closing keep-alive
 * connections, so a stop is fast even with clients attached).
 */
import type { AddressInfo } from 'node:net';
import { type Components, createComponents } from './components.ts';
import type { NodeConfig } from './config.ts';
import { openDataDir } from './data-dir.ts';
import { createApp } from './http/app.ts';
import { errorBody } from './http/errors.ts';
import { nodeHosts } from './http/host-check.ts';
import { startHttpServer } from './http/server.ts';
import { readTlsFiles } from './http/tls-files.ts';
import { createHost, type Host } from './libp2p-host.ts';
import type { Logger } from './logger.ts';
import { createNodeMetrics, type NodeMetrics } from './observability/metrics.ts';
import { bindNodeSources } from './observability/node-sources.ts';
import { createDiscovery } from './replication/discovery.ts';
import { createMembershipDiscovery } from './replication/membership.ts';
import { createReplicator } from './replication/replicator.ts';
import { createWorkerPool } from './verification/worker-pool.ts';

export interface RunningNode {
  components: Components;
  host: Host;
  httpUrl: string;
  /** The node's own metrics registry (served at GET /metrics). */
  metrics: NodeMetrics;
  /** Set only on the first start: the admin token, shown once. */
  createdAdminToken?: string;
  stop(): Promise<void>;
}

export async function startNode(
  config: NodeConfig,
  options: {
    logger: Logger;
    version: string;
    /**
     * TEST ONLY (`LER_TEST_CRASH_POINT`): `after-status-bits` kills the process with SIGKILL after a status
     * change is stored and before it is published, for the crash tests. Unset in production: inert.
     */
    testCrashPoint?: string;
  },
): Promise<RunningNode> {
  const { logger } = options;
  // Checked first: a wrong certificate or key must not leave a half-started node behind.
  const tls = config.tls ? await readTlsFiles(config.tls) : undefined;
  // One registry per node: never prom-client's global one.
  const metrics = createNodeMetrics({ version: options.version });
  const { database, ledger, identity, created, adminToken } = await openDataDir(config.dataDir, {
    didWeb: config.didWeb,
    adminToken: config.adminToken,
  });
  const cleanups: Array<() => Promise<void>> = [() => database.close()];
  const cleanup = async () => {
    for (const step of cleanups.reverse())
      await step().catch((error) => logger.error({ err: error }, 'stop step failed'));
  };
  try {
    // Listen first so a port 0 is known before status list URLs are minted from it.
    let app: ReturnType<typeof createApp> | undefined;
    const server = await startHttpServer({
      fetch: (request, env) =>
        app
          ? app.fetch(request, env)
          : Response.json(errorBody('STARTING', 'the node is starting'), {
              status: 503,
              headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
            }),
      hostname: config.http.host,
      port: config.http.port,
      limits: config.httpLimits,
      tls,
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive sockets would hold close() for seconds; requests in flight get a moment.
          (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          setTimeout(
            () => (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.(),
            2_000,
          ).unref();
        }),
    );
    const address = server.address() as AddressInfo;
    const host4url = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const httpUrl = `${tls ? 'https' : 'http'}://${host4url}:${address.port}`;
    const proofPool = config.verifyWorkers > 0 ? createWorkerPool({ size: config.verifyWorkers }) : undefined;
    const components = await createComponents({
      logger,
      metrics,
      database,
      ledger,
      identity,
      publicUrl: config.publicUrl ?? httpUrl,
      network: {
        allowPrivateHosts: config.allowPrivateHosts,
        verifyDeadlineMs: config.verifyDeadlineMs,
        allowHttpsControllers: config.allowHttpsControllers,
      },
      proofVerifier: proofPool,
      storeCredentials: config.storeCredentials,
      publicVerifier: config.publicVerifier,
      presentationResultSeconds: config.presentationResultSeconds,
      statusListLength: config.statusListLength,
      anchors: config.anchors,
      oidfAnchors: config.oidfAnchors,
      preferFrameworks: config.preferFrameworks,
      maxFrameworkItems: config.maxFrameworkItems,
      testHooks:
        options.testCrashPoint === 'after-status-bits'
          ? {
              afterStatusStored: () => {
                process.kill(process.pid, 'SIGKILL');
                return new Promise<void>(() => {});
              },
            }
          : undefined,
    });
    cleanups.push(async () => components.close());
    const host = await createHost({
      privateKey: identity.peerKey,
      database,
      listen: config.p2p,
      bootstrap: config.bootstrap,
      allowPeers: config.allowPeers,
      onStoreError: (error) => logger.warn({ err: error }, 'peer store write failed (tried again)'),
    });
    cleanups.push(async () => host.stop());
    const replicator = createReplicator({
      host,
      registry: components.registry,
      publications: components.publications,
      follows: components.follows,
      freshness: components.freshness,
      logger,
      metrics,
    });
    await replicator.start();
    cleanups.push(() => replicator.stop());
    bindNodeSources(metrics, {
      host,
      follows: components.follows,
      replicator,
      proofPool,
      dataDir: config.dataDir,
    });
    const membership = createMembershipDiscovery({
      host,
      registry: components.registry,
      follows: components.follows,
      replicator,
      institutionDid: components.identity.did,
      logger,
    });
    await membership.start();
    cleanups.push(() => membership.stop());
    const discovery = createDiscovery({ host, follows: components.follows, logger });
    discovery.start();
    cleanups.push(async () => discovery.stop());
    // The Host check is on once the operator names the node's hosts: its public URL or allowedHosts.
    const hosts = nodeHosts({
      allowedHosts: config.allowedHosts,
      publicUrl: config.publicUrl,
      did: identity.did,
      bound: `${host4url}:${address.port}`,
    });
    const hostsOption = { allowedHosts: hosts.allowed, boundHosts: hosts.extra };
    app = createApp({
      components,
      maxFrameworkItems: config.maxFrameworkItems,
      version: options.version,
      publicRateLimit: config.publicRateLimit,
      readRateLimit: config.readRateLimit,
      ...hostsOption,
      maxFrameworkBytes: config.maxFrameworkBytes,
      corsOrigins: config.corsOrigins,
      health: () => ({
        peerId: host.peerId.toString(),
        multiaddrs: host.getMultiaddrs().map((ma) => ma.toString()),
        networks: components.follows.list(),
      }),
      logError: (error) => logger.error({ err: error }, 'request failed'),
      logger,
      metrics,
      metricsToken: config.metricsToken,
      nodeStatus: () => ({
        peers: host
          .getConnections()
          .map((c) => ({ peerId: c.remotePeer.toString(), address: c.remoteAddr.toString() })),
        replication: replicator.networkStats(),
        totals: replicator.stats(),
      }),
    });
    let stopped: Promise<void> | undefined;
    return {
      components,
      host,
      httpUrl,
      metrics,
      createdAdminToken: created ? adminToken : undefined,
      stop: () => {
        stopped ??= cleanup();
        return stopped;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
