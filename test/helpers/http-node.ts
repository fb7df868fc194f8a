/** A test node behind a real HTTP server on loopback, its public URL being that server's address. */
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { ComponentsOptions } from '../../node/components.ts';
import { type App, type AppOptions, createApp } from '../../node/http/app.ts';
import { createTestNode, type TestNode } from './node.ts';

export interface HttpTestNode extends TestNode {
  url: string;
  app: App;
}

export async function startHttpTestNode(
  options: Partial<Omit<ComponentsOptions, 'database' | 'identity' | 'publicUrl'>> = {},
  appOptions: Partial<Omit<AppOptions, 'components'>> = {},
): Promise<HttpTestNode> {
  let app: App | undefined;
  // The app is bound after the port is known: the node's public URL (its OID4VCI issuer identifier) names it.
  const server: ServerType = serve({
    fetch: (request, env) => app!.fetch(request, env),
    hostname: '127.0.0.1',
    port: 0,
  });
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const node = await createTestNode({ ...options, publicUrl: url });
  app = createApp({
    components: node.components,
    version: 't',
    health: () => ({ multiaddrs: [], networks: [] }),
    ...appOptions,
  });
  return {
    ...node,
    url,
    app,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await node.close();
    },
  };
}
