import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { didWebToUrl } from '../../../protocol/signing/did-web.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

describe('did:web URLs', () => {
  it('maps host, port and path as the did:web spec says', () => {
    expect(didWebToUrl('did:web:example.com').href).toBe('https://example.com/.well-known/did.json');
    expect(didWebToUrl('did:web:localhost%3A8443').href).toBe('https://localhost:8443/.well-known/did.json');
    expect(didWebToUrl('did:web:example.com:issuers:42').href).toBe('https://example.com/issuers/42/did.json');
  });

  it('refuses path traversal and malformed hosts', () => {
    expect(() => didWebToUrl('did:web:example.com:..:x')).toThrow(/invalid did:web path/);
    expect(() => didWebToUrl('did:web:evil.com%2F@x')).toThrow(/invalid did:web host/);
    expect(() => didWebToUrl('did:web:')).toThrow(/not a did:web/);
  });
});

describe('when a credential from a did:web institution is verified by another node', () => {
  let issuerNode: TestNode;
  let verifierNode: TestNode;
  let server: ReturnType<typeof serve>;
  let stall: Server;
  let stallPort: number;

  beforeAll(async () => {
    // The issuer's did:web names the loopback port its HTTP server will listen on.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    issuerNode = await createTestNode({ didWeb: `127.0.0.1:${port}`, publicUrl: `http://127.0.0.1:${port}` });
    const app = createApp({
      components: issuerNode.components,
      version: 't',
      health: () => ({ multiaddrs: [], networks: [] }),
    });
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port });
    await new Promise((r) => server.once('listening', r));
    verifierNode = await createTestNode({
      network: { allowPrivateHosts: true, insecureDidWeb: true, allowHttpStatusLists: true, timeoutMs: 500 },
    });
    stall = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
    stallPort = (stall.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.close();
    stall.closeAllConnections();
    stall.close();
    await issuerNode.close();
    await verifierNode.close();
  });

  it('resolves the DID over HTTP(S), fetches the status list, and verifies', async () => {
    const credential = await issuerNode.components.issuer.issue(sampleBadge());
    expect(String(credential.issuer)).toMatch(/^did:web:127\.0\.0\.1%3A\d+$/);
    const report = await verifierNode.components.verifier.verifyCredential(credential);
    expect(report.checks.filter((c) => c.status !== 'ok').map((c) => c.name)).toEqual(['trust']);
    await issuerNode.components.issuer.setStatus(credential.id, 'revocation', true);
    // the verifier cached the list: a fresh verifier node sees the revocation
    const fresh = await createTestNode({
      network: { allowPrivateHosts: true, insecureDidWeb: true, allowHttpStatusLists: true },
    });
    try {
      const after = await fresh.components.verifier.verifyCredential(credential);
      expect(after.checks.find((c) => c.name === 'status')).toMatchObject({ code: 'REVOKED' });
    } finally {
      await fresh.close();
    }
  });

  it('refuses the same did:web on loopback when private hosts are not allowed', async () => {
    const strict = createDidResolution({ web: { insecureHttp: true } });
    const result = await strict.resolve(issuerNode.components.identity.did);
    expect(result.didDocument).toBeNull();
    // The DID names a loopback address: saying it is refused by this node's policy tells the caller only that
    // (issue 15, 5). Far-side failures keep the uniform answer (the timeout test below).
    expect(result.didResolutionMetadata).toEqual({
      error: 'notFound',
      message: `the DID document of ${issuerNode.components.identity.did} was not fetched: its host is a private or loopback address, refused by this node's policy (--allow-private-hosts)`,
    });
  });

  it('gives up on a host that does not answer within the timeout', async () => {
    const resolution = createDidResolution({ web: { insecureHttp: true, allowPrivateHosts: true, timeoutMs: 300 } });
    const started = Date.now();
    const result = await resolution.resolve(`did:web:127.0.0.1%3A${stallPort}`);
    expect(result.didResolutionMetadata.error).toBe('notFound');
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
