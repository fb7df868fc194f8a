/**
 * 1EdTech's verification-method convention: an https issuer whose key is in its controller document, fetched over
 * https from a host the operator allowed (docs/decisions/0035). 1EdTech's own OB 3.0 and CLR 2.0 test vectors
 * (test/fixtures/1edtech) give the result the spec states for them; their controller document is served by a
 * real HTTP server on loopback, reached through the node's outbound fetcher and its address guard (the fetch
 * below only routes the https URL to that server: TLS itself is not exercised here).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createForeignStatusListSource } from '../../../node/verification/status-lists.ts';
import { createVerifier } from '../../../node/verification/verifier.ts';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { createHttpsControllers } from '../../../protocol/signing/https-controllers.ts';
import { createOutboundFetcher } from '../../../protocol/signing/outbound-fetch.ts';
import { createInProcessProofVerifier } from '../../../protocol/signing/proof-verifier.ts';
import { isValid, type VerificationReport } from '../../../registry/verification/report.ts';
import { startHttpTestNode } from '../../helpers/http-node.ts';

type Json = Record<string, any>;

const FIXTURES = new URL('../../fixtures/1edtech/', import.meta.url);
const read = (name: string): Json => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
const manifest = read('manifest.json');
const ISSUER = 'https://example.edu/issuers/565049';
const NOW = new Date('2026-11-23T12:00:00Z');

describe('when a credential names an https verification method (1EdTech convention)', () => {
  let server: Server;
  let port: number;
  const served = new Map<string, Json>();
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const body = served.get(req.url ?? '');
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: 'not found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests.length = 0;
    served.clear();
    served.set('/issuers/565049', read(manifest.controllerDocuments[ISSUER].file));
  });

  function verifierAllowing(hosts: string[]) {
    // The guard runs on the names' addresses: example.edu and issuer.example "resolve" to a public address, and
    // the connection is then routed to the loopback server.
    const fetcher = createOutboundFetcher({
      lookup: async () => ['93.184.215.14'],
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        return fetch(`http://127.0.0.1:${port}${url.pathname}`, init);
      },
    });
    return createVerifier({
      didResolution: createDidResolution(),
      httpsControllers: createHttpsControllers({ fetcher, allowedHosts: hosts }),
      proofVerifier: createInProcessProofVerifier(),
      statusLists: createForeignStatusListSource({ fetch: async () => new Response('', { status: 404 }) }),
      now: () => NOW,
    });
  }
  const check = (report: VerificationReport, name: string) => report.checks.find((c) => c.name === name);
  const notTrust = (report: VerificationReport) => report.checks.filter((c) => c.name !== 'trust');

  for (const entry of manifest.credentials as Json[]) {
    it(`verifies 1EdTech's ${entry.path} as ${entry.expected}, its controller document fetched once`, async () => {
      const report = await verifierAllowing(['example.edu']).verifyCredential(read(entry.file));
      expect(notTrust(report).filter((c) => c.status !== 'ok')).toEqual([]);
      expect(report.verified).toBe(true);
      expect(check(report, 'proof')?.message).toBe('DataIntegrityProof/eddsa-rdfc-2022');
      expect(check(report, 'issuer')?.message).toBe(
        `signed by ${ISSUER}#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi`,
      );
      if (entry.nestedExpected) {
        const nested = (report as Json).credentials as VerificationReport[];
        expect(nested.map((c) => (c.verified && isValid({ checks: notTrust(c) }) ? 'verify' : 'fail'))).toEqual(
          entry.nestedExpected,
        );
      }
      expect(requests).toEqual(['/issuers/565049']);
    });
  }

  it('fetches nothing from a host the operator did not allow, and leaves the key unresolved', async () => {
    for (const hosts of [[], ['other.example'], ['example.edu:8443']]) {
      const report = await verifierAllowing(hosts).verifyCredential(read('ob3-linked-data-proof-test-vector.json'));
      expect(check(report, 'proof')).toMatchObject({ status: 'unchecked', code: 'KEY_UNRESOLVED' });
      expect(isValid(report)).toBe(false);
    }
    expect(requests).toEqual([]);
  });

  it('refuses a document whose id is not the URL it came from', async () => {
    served.set('/issuers/565049', { ...served.get('/issuers/565049'), id: 'https://attacker.example/me' });
    const report = await verifierAllowing(['*']).verifyCredential(read('ob3-linked-data-proof-test-vector.json'));
    expect(check(report, 'proof')).toMatchObject({ status: 'unchecked', code: 'KEY_UNRESOLVED' });
    expect(check(report, 'issuer')).toMatchObject({ status: 'failed', code: 'DID_UNRESOLVABLE' });
    expect(check(report, 'issuer')?.message).toContain('invalidDocument');
  });

  it('refuses a key the controller document does not list for assertions', async () => {
    served.set('/issuers/565049', { ...served.get('/issuers/565049'), assertionMethod: [] });
    const report = await verifierAllowing(['example.edu']).verifyCredential(
      read('ob3-linked-data-proof-test-vector.json'),
    );
    expect(check(report, 'proof')?.status).toBe('failed');
    expect(report.verified).toBe(false);
  });

  it('finds a changed credential INVALID_SIGNATURE', async () => {
    const tampered = { ...read('ob3-linked-data-proof-test-vector.json'), name: 'Leadership Badge' };
    const report = await verifierAllowing(['example.edu']).verifyCredential(tampered);
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'INVALID_SIGNATURE' });
  });

  it('verifies a VC-JWT whose kid is a JsonWebKey in an https controller document', async () => {
    const issuer = 'https://issuer.example/profile';
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = `${issuer}#key-1`;
    served.set('/profile', {
      id: issuer,
      verificationMethod: [
        { id: kid, type: 'JsonWebKey', controller: issuer, publicKeyJwk: await exportJWK(publicKey) },
      ],
      assertionMethod: ['#key-1'],
    });
    const credential = {
      ...read('ob3-linked-data-proof-test-vector.json'),
      issuer: { id: issuer, type: ['Profile'], name: 'JWT issuer' },
      proof: undefined,
    };
    const jwt = await new SignJWT(JSON.parse(JSON.stringify(credential)))
      .setProtectedHeader({ alg: 'ES256', typ: 'vc+jwt', kid })
      .sign(privateKey as CryptoKey);
    const report = await verifierAllowing(['issuer.example']).verifyCredential(jwt);
    expect(notTrust(report).filter((c) => c.status !== 'ok')).toEqual([]);
    expect(check(report, 'issuer')?.message).toBe(`signed by ${kid}`);
  });

  it('is what a node configured with allowHttpsControllers does behind POST /credentials/verify', async () => {
    const routed: typeof fetch = (input, init) =>
      fetch(`http://127.0.0.1:${port}${new URL(input instanceof Request ? input.url : String(input)).pathname}`, init);
    for (const hosts of [['example.edu'], undefined]) {
      // allowPrivateHosts: this test's DNS cannot resolve example.edu; the guard itself is covered above.
      const node = await startHttpTestNode({
        network: { allowPrivateHosts: true, fetch: routed, ...(hosts ? { allowHttpsControllers: hosts } : {}) },
      });
      try {
        const response = await fetch(`${node.url}/credentials/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ verifiableCredential: read('clr2-linked-data-proof-test-vector.json') }),
        });
        const report = (await response.json()) as Json;
        expect(check(report as VerificationReport, 'proof')?.status).toBe(hosts ? 'ok' : 'unchecked');
      } finally {
        await node.close();
      }
    }
    expect(requests).toEqual(['/issuers/565049']);
  });
});
