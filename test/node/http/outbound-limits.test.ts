/**
 * Issue 16, finding 4: what one request can make the node send out. Requests
 * over the limits are refused before any outbound work; the outbound work of
 * one verification has one deadline, stops when the client leaves, is limited
 * per host, and identical fetches in flight share one connection. Real node
 * components, the real HTTP app (over a real socket where the client's
 * disconnect matters), real TCP listeners on loopback counting connections.
 */
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import type { CredentialVerifier } from '../../../node/verification/verifier.ts';
import {
  MAX_CREDENTIALS_PER_REQUEST,
  MAX_PROOFS_PER_DOCUMENT,
  MAX_STATUS_ENTRIES_PER_CREDENTIAL,
  MAX_STATUS_ENTRIES_PER_REQUEST,
} from '../../../protocol/constants.ts';
import { OUTBOUND_PER_HOST } from '../../../protocol/signing/outbound-fetch.ts';
import type { VerificationReport } from '../../../registry/verification/report.ts';
import { type CountingListener, countingListener } from '../../helpers/listener.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

type Json = Record<string, unknown>;

const statusEntry = (url: string, index = 7): Json => ({
  id: `${url}#${index}`,
  type: 'BitstringStatusListEntry',
  statusPurpose: 'revocation',
  statusListIndex: String(index),
  statusListCredential: url,
});

const fakeProof = (verificationMethod: string): Json => ({
  type: 'DataIntegrityProof',
  cryptosuite: 'eddsa-rdfc-2022',
  verificationMethod,
  proofPurpose: 'assertionMethod',
  proofValue: 'z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKods5D2UAUL5n2Brbx',
});

const presentationOf = (credentials: Json[]): Json => ({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiablePresentation'],
  verifiableCredential: credentials,
});

const statusOf = (report: VerificationReport) => report.checks.find((c) => c.name === 'status');

describe('when a request asks for more outbound work than a verification may do', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;
  let listener: CountingListener;
  let issued: Json;

  beforeAll(async () => {
    // Private hosts allowed, so the listener on loopback stands for any host on the internet.
    node = await createTestNode({
      network: { allowPrivateHosts: true, insecureDidWeb: true, allowHttpStatusLists: true, timeoutMs: 2_000 },
    });
    app = createApp({ components: node.components, version: 't', health: () => ({ multiaddrs: [], networks: [] }) });
    listener = await countingListener({ mode: 'close' });
    issued = await node.components.issuer.issue(sampleBadge());
  });
  afterAll(async () => {
    await listener.close();
    await node.close();
  });

  const post = (path: string, body: unknown) =>
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const list = (n: number) => `https://127.0.0.1:${listener.port}/lists/${n}`;
  const entries = (count: number, from = 0) => Array.from({ length: count }, (_, i) => statusEntry(list(from + i)));

  async function refused(path: string, body: unknown, limit: string) {
    const before = listener.connections;
    const response = await post(path, body);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_COMPLEX', details: { limit } } });
    expect(listener.connections - before).toBe(0);
  }

  it('refuses a credential with 2,000 status entries before connecting anywhere', async () => {
    await refused(
      '/credentials/verify',
      { verifiableCredential: { ...issued, credentialStatus: entries(2_000) } },
      'statusEntriesPerCredential',
    );
  });

  it('refuses a credential with 50 proofs by 50 did:web keys before connecting anywhere', async () => {
    const proofs = Array.from({ length: 50 }, (_, i) => fakeProof(`did:web:127.0.0.1%3A${listener.port}:k${i}#key`));
    await refused('/credentials/verify', { verifiableCredential: { ...issued, proof: proofs } }, 'proofsPerDocument');
  });

  it('refuses a credential naming more distinct DIDs than it may', async () => {
    const proofs = Array.from({ length: MAX_PROOFS_PER_DOCUMENT }, (_, i) =>
      fakeProof(`did:web:127.0.0.1%3A${listener.port}:k${i}#key`),
    );
    // The issuer's DID and one per proof.
    await refused('/credentials/verify', { verifiableCredential: { ...issued, proof: proofs } }, 'didsPerCredential');
  });

  it('refuses a presentation whose credentials together carry too many status entries', async () => {
    const perCredential = MAX_STATUS_ENTRIES_PER_CREDENTIAL;
    const count = Math.floor(MAX_STATUS_ENTRIES_PER_REQUEST / perCredential) + 1;
    const credentials = Array.from({ length: count }, (_, i) => ({
      ...issued,
      credentialStatus: entries(perCredential, i * perCredential),
    }));
    await refused(
      '/presentations/verify',
      { verifiablePresentation: presentationOf(credentials) },
      'statusEntriesPerRequest',
    );
    await refused(
      '/skills/match',
      { required: ['https://skills.example/s/1'], verifiablePresentation: presentationOf(credentials) },
      'statusEntriesPerRequest',
    );
  });

  it('refuses a presentation with more credentials than a request may verify', async () => {
    const credentials = Array.from({ length: MAX_CREDENTIALS_PER_REQUEST + 1 }, () => issued);
    await refused(
      '/presentations/verify',
      { verifiablePresentation: presentationOf(credentials) },
      'credentialsPerRequest',
    );
  });

  it('refuses a skills match whose credentials together carry too many status entries', async () => {
    const credentials = Array.from({ length: 30 }, (_, i) => ({ ...issued, credentialStatus: entries(8, i * 8) }));
    await refused(
      '/skills/match',
      { required: ['https://skills.example/s/1'], credentials },
      'statusEntriesPerRequest',
    );
  });

  it('does not fetch the keys of a foreign status list with more proofs than a credential may have', async () => {
    const proofs = Array.from({ length: 50 }, (_, i) => fakeProof(`did:web:127.0.0.1%3A${listener.port}:k${i}#key`));
    const lists = createHttpServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: ['VerifiableCredential', 'BitstringStatusListCredential'],
          issuer: String(issued.issuer),
          credentialSubject: {
            type: 'BitstringStatusList',
            statusPurpose: 'revocation',
            encodedList: 'uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA',
          },
          proof: proofs,
        }),
      ),
    );
    await new Promise<void>((resolve) => lists.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(lists.address() as AddressInfo).port}/list`;
      const before = listener.connections;
      const response = await post('/credentials/verify', {
        verifiableCredential: { ...issued, credentialStatus: statusEntry(url) },
      });
      expect(statusOf((await response.json()) as VerificationReport)).toMatchObject({ code: 'STATUS_LIST_INVALID' });
      expect(listener.connections - before).toBe(0);
    } finally {
      await new Promise((resolve) => lists.close(resolve));
    }
  });

  it('still verifies a credential at the limits', async () => {
    const before = listener.connections;
    const response = await post('/credentials/verify', {
      verifiableCredential: { ...issued, credentialStatus: entries(MAX_STATUS_ENTRIES_PER_CREDENTIAL, 5_000) },
    });
    // Verified (not refused as too complex): its status entries were changed after signing, so the proof fails
    // and the answer is VCALM's 400 with the report; the status check still ran within the limits.
    expect(response.status).toBe(400);
    expect(statusOf((await response.json()) as VerificationReport)).toMatchObject({
      status: 'unchecked',
      code: 'STATUS_LIST_UNAVAILABLE',
    });
    expect(listener.connections - before).toBe(MAX_STATUS_ENTRIES_PER_CREDENTIAL);
  });
});

describe('when hosts accept connections and never answer', () => {
  let node: TestNode;
  let hang: CountingListener;
  let issued: Json;
  const deadlineMs = 1_000;

  beforeAll(async () => {
    // Each fetch would wait a minute; only the verification's deadline can end the wait.
    node = await createTestNode({
      network: { allowPrivateHosts: true, insecureDidWeb: true, timeoutMs: 60_000, verifyDeadlineMs: deadlineMs },
    });
    issued = await node.components.issuer.issue(sampleBadge());
  });
  afterAll(async () => {
    await node.close();
  });
  afterEach(async () => {
    await hang.close();
  });
  const list = (path: string) => `https://127.0.0.1:${hang.port}/${path}`;

  it('answers at the deadline with what could not be fetched unchecked, and drops the connections', async () => {
    hang = await countingListener({ mode: 'hang' });
    const app = createApp({
      components: node.components,
      version: 't',
      health: () => ({ multiaddrs: [], networks: [] }),
    });
    const started = Date.now();
    const response = await app.request('/credentials/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        verifiableCredential: {
          ...issued,
          issuer: `did:web:127.0.0.1%3A${hang.port}`,
          credentialStatus: [statusEntry(list('a')), statusEntry(list('b')), statusEntry(list('c'))],
        },
      }),
    });
    const report = (await response.json()) as VerificationReport;
    // The changed credential fails its proof (VCALM: 400 with the report); what matters here is why checks ended.
    expect(response.status).toBe(400);
    expect(report.verified).toBe(false);
    const issuer = report.checks.find((c) => c.name === 'issuer');
    expect(issuer).toMatchObject({ status: 'unchecked', code: 'DEADLINE_EXCEEDED' });
    expect(statusOf(report)).toMatchObject({ status: 'unchecked', code: 'DEADLINE_EXCEEDED' });
    // Far below the minute a fetch would otherwise wait (not a timing assertion: the code above says why it ended).
    expect(Date.now() - started).toBeLessThan(20_000);
    await hang.idle();
    expect(hang.open).toBe(0);
  });

  it(`opens at most ${OUTBOUND_PER_HOST} connections at a time to one host, however many lists it names`, async () => {
    hang = await countingListener({ mode: 'hang' });
    const credentials = Array.from({ length: 10 }, (_, i) => ({
      ...issued,
      credentialStatus: statusEntry(list(`l${i}`)),
    }));
    const report = await node.components.verifier.verifyPresentation(presentationOf(credentials));
    expect(report.credentials.map((c) => statusOf(c)?.code)).toEqual(Array(10).fill('DEADLINE_EXCEEDED'));
    expect(hang.maxOpen).toBe(OUTBOUND_PER_HOST);
    // Nothing queued started after the deadline either.
    expect(hang.connections).toBe(OUTBOUND_PER_HOST);
  });

  it('shares one connection among identical fetches in flight', async () => {
    hang = await countingListener({ mode: 'hang' });
    const credentials = Array.from({ length: 10 }, (_, i) => ({
      ...issued,
      credentialStatus: statusEntry(list('same'), i),
    }));
    const report = await node.components.verifier.verifyPresentation(presentationOf(credentials));
    expect(report.credentials.map((c) => statusOf(c)?.code)).toEqual(Array(10).fill('DEADLINE_EXCEEDED'));
    expect(hang.connections).toBe(1);
  });
});

describe('when the HTTP client disconnects during a verification', () => {
  let node: TestNode;
  let hang: CountingListener;
  let server: ReturnType<typeof serve>;
  let port: number;
  const started: Array<{ signal?: AbortSignal; done: Promise<unknown> }> = [];

  beforeAll(async () => {
    // Neither the fetch timeout nor the deadline ends this work: only the client's leaving can.
    node = await createTestNode({
      network: { allowPrivateHosts: true, timeoutMs: 60_000, verifyDeadlineMs: 60_000 },
    });
    hang = await countingListener({ mode: 'hang' });
    // The real verifier, watched: the test waits for the verification it started to finish.
    const real = node.components.verifier;
    const verifier: CredentialVerifier = {
      ...real,
      verifyPresentation(presentation, options) {
        const done = real.verifyPresentation(presentation, options);
        started.push({ signal: options?.signal, done: done.catch((error) => error) });
        return done;
      },
    };
    const app = createApp({
      components: { ...node.components, verifier },
      version: 't',
      health: () => ({ multiaddrs: [], networks: [] }),
    });
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server.close();
    await hang.close();
    await node.close();
  });

  it('abandons the outbound work: no connection stays open and none is opened after the abort', async () => {
    const issued = await node.components.issuer.issue(sampleBadge());
    const credentials = Array.from({ length: 10 }, (_, i) => ({
      ...issued,
      credentialStatus: statusEntry(`https://127.0.0.1:${hang.port}/l${i}`),
    }));
    const client = new AbortController();
    const request = fetch(`http://127.0.0.1:${port}/presentations/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiablePresentation: presentationOf(credentials) }),
      signal: client.signal,
    }).catch((error: Error) => error);
    await hang.accepted(OUTBOUND_PER_HOST);
    const atAbort = hang.connections;
    client.abort();
    expect(await request).toBeInstanceOf(Error);
    // The node closes the connections it had open...
    await hang.idle();
    // ...and once its verification has finished, it has opened no new one.
    expect(started).toHaveLength(1);
    const report = (await started[0].done) as { credentials: VerificationReport[] };
    expect(started[0].signal?.aborted).toBe(true);
    expect(hang.connections).toBe(atAbort);
    expect(new Set(report.credentials.map((c) => statusOf(c)?.code))).toEqual(new Set(['ABORTED']));
  });
});
