/**
 * Issue 16, finding 1: no entry point can be made to connect to loopback or a
 * private address, however the address is spelled, and a failed fetch answers
 * the same whatever the far side did. Real node components, the real HTTP app,
 * real TCP listeners on loopback counting the connections they receive.
 */
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { type CountingListener, countingListener } from '../../helpers/listener.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

type Json = Record<string, unknown>;

describe('when a request names a loopback address in a form the URL parser rewrites', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;
  let listener: CountingListener;
  let issued: Json;

  beforeAll(async () => {
    // The node as it runs by default: private hosts refused, https only.
    node = await createTestNode();
    app = createApp({ components: node.components, version: 't', health: () => ({ multiaddrs: [], networks: [] }) });
    listener = await countingListener();
    issued = await node.components.issuer.issue(sampleBadge());
  });
  afterAll(async () => {
    await listener.close();
    await node.close();
  });

  // Host spellings that all reach 127.0.0.1:port. The first two are the finding; the rest must stay closed too.
  const hosts = (port: number) => [
    `[::ffff:127.0.0.1]:${port}`,
    `[::ffff:7f00:1]:${port}`,
    `[::ffff:0:7f00:1]:${port}`,
    `[::127.0.0.1]:${port}`,
    `[64:ff9b::127.0.0.1]:${port}`,
    `127.0.0.1:${port}`,
    `127.1:${port}`,
    `0x7f000001:${port}`,
    `localhost:${port}`,
  ];
  const didWeb = (host: string) => `did:web:${encodeURIComponent(host)}`;

  const post = (path: string, body: unknown) =>
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const withIssuer = (did: string): Json => ({ ...issued, issuer: did });
  const withStatusList = (url: string): Json => ({
    ...issued,
    credentialStatus: {
      id: `${url}#7`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '7',
      statusListCredential: url,
    },
  });
  const signedByHolder = (did: string): Json => ({
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiablePresentation'],
    holder: did,
    verifiableCredential: [issued],
    proof: {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      verificationMethod: `${did}#key-1`,
      proofPurpose: 'authentication',
      challenge: 'c',
      proofValue: 'z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKods5D2UAUL5n2Brbx',
    },
  });

  // Each entry point, and what the node must answer without having connected anywhere.
  const entryPoints: Array<[string, (host: string) => Response | Promise<Response>]> = [
    [
      'a credential whose issuer is a did:web',
      (host) => post('/credentials/verify', { verifiableCredential: withIssuer(didWeb(host)) }),
    ],
    [
      'a credential whose status list is an https URL',
      (host) => post('/credentials/verify', { verifiableCredential: withStatusList(`https://${host}/sl`) }),
    ],
    [
      'a presentation whose holder is a did:web',
      (host) => post('/presentations/verify', { verifiablePresentation: signedByHolder(didWeb(host)) }),
    ],
    [
      'a presentation with a credential whose status list is there',
      (host) =>
        post('/presentations/verify', {
          verifiablePresentation: {
            ...signedByHolder(didWeb(host)),
            verifiableCredential: [withStatusList(`https://${host}/sl`)],
          },
        }),
    ],
    [
      'a skills match over credentials from that issuer and list',
      (host) =>
        post('/skills/match', {
          required: ['https://skills.example/s/1'],
          credentials: [withIssuer(didWeb(host)), withStatusList(`https://${host}/sl`)],
        }),
    ],
    [
      'a skills match over a presentation',
      (host) =>
        post('/skills/match', {
          required: ['https://skills.example/s/1'],
          verifiablePresentation: signedByHolder(didWeb(host)),
        }),
    ],
    // Whether the route decodes its parameter once or twice, one of these two reaches did:web:%5B…%5D%3APORT.
    ['DID resolution of the DID', (host) => app.request(`/1.0/identifiers/${encodeURIComponent(didWeb(host))}`)],
    [
      'DID resolution of the DID encoded twice',
      (host) => app.request(`/1.0/identifiers/${encodeURIComponent(encodeURIComponent(didWeb(host)))}`),
    ],
  ];

  it.each(entryPoints)('connects nowhere for %s', async (_name, send) => {
    for (const host of hosts(listener.port)) {
      const before = listener.connections;
      const response = await send(host);
      expect(response.status, host).toBeLessThan(500);
      await response.arrayBuffer();
      expect(listener.connections - before, host).toBe(0);
    }
  });

  it('answers the same for a refused address whatever listens there', async () => {
    const answers = await Promise.all(
      [`[::ffff:127.0.0.1]:${listener.port}`, '[::ffff:127.0.0.1]:1', `localhost:${listener.port}`].map(async (host) =>
        statusAnswer(app, withStatusList(`https://${host}/sl`)),
      ),
    );
    expect(answers[0]).toEqual({ code: 'STATUS_LIST_UNAVAILABLE', message: 'status list URL could not be fetched' });
    expect(new Set(answers.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(listener.connections).toBe(0);
  });
});

/** The status check of a verification, with the list's URL taken out of the message. */
async function statusAnswer(app: ReturnType<typeof createApp>, credential: Json) {
  const response = await app.request('/credentials/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ verifiableCredential: credential }),
  });
  const report = (await response.json()) as { checks: Array<{ name: string; code?: string; message?: string }> };
  const status = report.checks.find((c) => c.name === 'status');
  const url = String((credential.credentialStatus as Json).statusListCredential);
  return { code: status?.code, message: status?.message?.replace(url, 'URL') };
}

describe('when the far side of a status list fetch fails in different ways', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;
  let issued: Json;
  const servers: Array<{ close(): unknown }> = [];

  beforeAll(async () => {
    // Private hosts allowed, so loopback listeners can stand in for the states a public host's port can be in.
    node = await createTestNode({ network: { allowPrivateHosts: true, allowHttpStatusLists: true, timeoutMs: 300 } });
    app = createApp({ components: node.components, version: 't', health: () => ({ multiaddrs: [], networks: [] }) });
    issued = await node.components.issuer.issue(sampleBadge());
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await node.close();
  });

  async function httpServer(handler: (res: ServerResponse) => void): Promise<number> {
    const server = createHttpServer((_req, res) => handler(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ close: () => new Promise((resolve) => server.close(resolve)) });
    return (server.address() as AddressInfo).port;
  }

  it('gives one code and one message for a closed port, a reset, a hang, a TLS failure and HTTP errors', async () => {
    const closed = await countingListener();
    const closedPort = closed.port;
    await closed.close();
    const reset = await countingListener({ mode: 'close' });
    const hang = await countingListener({ mode: 'hang' });
    servers.push(reset, hang);
    const notFound = await httpServer((res) => res.writeHead(404).end('{"error":"nope"}'));
    const notJson = await httpServer((res) => res.writeHead(200, { 'content-type': 'application/json' }).end('<html>'));
    const huge = await httpServer((res) => res.writeHead(200).end(`"${'x'.repeat(2 * 1024 * 1024)}"`));
    const urls = [
      `https://127.0.0.1:${closedPort}/sl`, // refused
      `https://127.0.0.1:${reset.port}/sl`, // accepted, then reset
      `https://127.0.0.1:${hang.port}/sl`, // accepted, never answers: the timeout
      `https://127.0.0.1:${notFound}/sl`, // a plain HTTP server: the TLS handshake fails
      `http://127.0.0.1:${notFound}/sl`, // 404
      `http://127.0.0.1:${notJson}/sl`, // not JSON
      `http://127.0.0.1:${huge}/sl`, // larger than the limit
    ];
    const answers = [];
    for (const url of urls) answers.push(await statusAnswer(app, { ...issued, credentialStatus: statusEntry(url) }));
    expect(answers[0]).toEqual({ code: 'STATUS_LIST_UNAVAILABLE', message: 'status list URL could not be fetched' });
    for (const [i, answer] of answers.entries()) expect(answer, urls[i]).toEqual(answers[0]);
    expect(reset.connections).toBeGreaterThan(0);
    expect(hang.connections).toBeGreaterThan(0);
  });

  it('gives one answer for a did:web whose host fails in any of these ways', async () => {
    const reset = await countingListener({ mode: 'close' });
    const hang = await countingListener({ mode: 'hang' });
    servers.push(reset, hang);
    const notFound = await httpServer((res) => res.writeHead(404).end());
    const messages = [];
    for (const port of [1, reset.port, hang.port, notFound]) {
      const did = `did:web:127.0.0.1%3A${port}`;
      const { didResolutionMetadata } = await node.components.didResolution.resolve(did);
      messages.push({ ...didResolutionMetadata, message: didResolutionMetadata.message?.replace(did, 'DID') });
    }
    expect(messages[0]).toEqual({ error: 'notFound', message: 'the DID document of DID could not be fetched' });
    for (const m of messages) expect(m).toEqual(messages[0]);
  });
});

function statusEntry(url: string): Json {
  return {
    id: `${url}#7`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: '7',
    statusListCredential: url,
  };
}
