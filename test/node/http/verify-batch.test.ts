/**
 * POST /credentials/verify/batch (decision 0047): a thin adapter over the one verifier. Each result must be what
 * POST /credentials/verify answers for that credential, byte for byte, for good and bad credentials alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corsKind } from '../../../node/http/cors.ts';
import { generateCredential } from '../../helpers/generated-credentials.ts';
import { type HttpTestNode, startHttpTestNode } from '../../helpers/http-node.ts';
import { sampleBadge } from '../../helpers/node.ts';

type Json = Record<string, any>;
// One fixed time for both routes: after issuance (the lists' validFrom), before the generated validUntil (2030).
const AT = new Date(Date.now() + 86_400_000).toISOString();

async function post(node: HttpTestNode, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${node.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

describe('when several credentials are verified in one request', () => {
  let node: HttpTestNode;
  const credentials: unknown[] = [];

  beforeAll(async () => {
    node = await startHttpTestNode();
    const admin = { authorization: `Bearer ${node.adminToken}` };
    const did = node.components.identity.did;
    const issue = async (credential: Json, options: Json = {}) => {
      const res = await post(node, '/credentials/issue', { credential, options }, admin);
      return res.status === 201 ? (res.body.verifiableCredential as Json) : undefined;
    };
    const suites = ['eddsa-rdfc-2022', 'eddsa-jcs-2022', 'Ed25519Signature2020'];
    for (let seed = 0; seed < 30; seed++) {
      const { credential } = generateCredential(seed);
      const cryptosuite = suites[seed % 3];
      if (cryptosuite === 'Ed25519Signature2020') {
        (credential['@context'] as unknown[]).push('https://w3id.org/security/suites/ed25519-2020/v1');
      }
      const issued = await issue({ ...credential, issuer: did }, { cryptosuite });
      if (issued) credentials.push(issued);
    }
    const good = (await issue(sampleBadge({ issuer: did }))) as Json;
    const revoked = (await issue(sampleBadge({ issuer: did }))) as Json;
    await post(node, '/credentials/status', { credentialId: revoked.id, status: true }, admin);
    const { proof: _proof, ...unsigned } = good;
    credentials.push(
      good,
      revoked,
      { ...good, name: 'Something else' },
      { ...good, issuer: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' },
      unsigned,
      { ...good, '@context': ['https://example.org/not-a-vc'] },
      { ...good, validUntil: '2026-03-01T00:00:00Z' },
      'eyJhbGciOiJub25lIn0.eyJ2YyI6e319.',
      'not a jwt',
    );
  }, 120_000);
  afterAll(async () => {
    await node?.close();
  });

  it('answers for each, in order, exactly what /credentials/verify answers for it', async () => {
    expect(credentials.length).toBeGreaterThan(30);
    for (const options of [{ at: AT }, { at: AT, checks: ['proof', 'credentialStatus', 'expiration'] }]) {
      const single = [];
      for (const verifiableCredential of credentials) {
        const { status, body } = await post(node, '/credentials/verify', { verifiableCredential, options });
        single.push(JSON.stringify({ status, ...body }));
      }
      const batched: string[] = [];
      for (let i = 0; i < credentials.length; i += 16) {
        const { status, body } = await post(node, '/credentials/verify/batch', {
          verifiableCredentials: credentials.slice(i, i + 16),
          options,
        });
        expect(status).toBe(200);
        batched.push(...body.results.map((r: Json) => JSON.stringify(r)));
      }
      expect(batched).toEqual(single);
      // The sample is mixed: verified, refused, and revoked (verified, with a warning; an error when required).
      const statuses = new Set(single.map((s) => JSON.parse(s).status));
      expect([...statuses].sort()).toEqual([200, 400]);
    }
  }, 60_000);

  it('returns each credential with its result when asked to', async () => {
    const { body } = await post(node, '/credentials/verify/batch', {
      verifiableCredentials: credentials.slice(0, 3),
      options: { returnCredential: true },
    });
    expect(body.results.map((r: Json) => r.credential)).toEqual(credentials.slice(0, 3));
  });

  it('refuses what is not a batch, naming the problem', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{}, 'VALIDATION_FAILED', /verifiableCredentials must be a list of credentials/],
      [{ verifiableCredentials: {} }, 'VALIDATION_FAILED', /must be a list/],
      [{ verifiableCredentials: [] }, 'VALIDATION_FAILED', /at least one credential/],
      [{ verifiableCredentials: Array(101).fill(credentials[0]) }, 'VALIDATION_FAILED', /at most 100/],
      [{ verifiableCredentials: [credentials[0], 42] }, 'VALIDATION_FAILED', /verifiableCredentials\.1/],
      [{ verifiableCredentials: [credentials[0]], options: { nope: 1 } }, 'UNKNOWN_OPTION_PROVIDED', /nope/],
      [{ verifiableCredentials: [credentials[0]], options: { checks: ['x'] } }, 'UNKNOWN_OPTION_PROVIDED', /x/],
    ];
    for (const [body, code, message] of cases) {
      const res = await post(node, '/credentials/verify/batch', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('refuses a batch over the limits of one request as a whole (413), before any work', async () => {
    // 101 distinct DIDs: over the per-request DID limit, as /skills/match is.
    const keys = Array.from({ length: 101 }, (_, i) => ({
      ...(credentials[0] as Json),
      issuer: `did:web:issuer-${i}.example`,
    }));
    const res = await post(node, '/credentials/verify/batch', { verifiableCredentials: keys.slice(0, 100) });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_COMPLEX', details: { limit: 'didsPerRequest' } });
  });

  it('is open to the same browser origins as /credentials/verify', () => {
    expect(corsKind('POST', '/credentials/verify/batch')).toBe(corsKind('POST', '/credentials/verify'));
    expect(corsKind('POST', '/credentials/verify/batch')).toBe('configured-origins');
  });
});

describe('when a client is rate limited', () => {
  let node: HttpTestNode;
  beforeAll(async () => {
    // A clock that stands still: one window for the whole test.
    node = await startHttpTestNode({}, { publicRateLimit: 6, rateLimitWindow: { now: () => 0 } });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('counts a batch as one verification per credential', async () => {
    const vc = { ...sampleBadge({ issuer: node.components.identity.did }) };
    const first = await post(node, '/credentials/verify/batch', { verifiableCredentials: [vc, vc, vc, vc] });
    expect(first.status).toBe(200);
    const second = await post(node, '/credentials/verify/batch', { verifiableCredentials: [vc, vc, vc] });
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('RATE_LIMITED');
    // The refused batch counted as its one request (as a refused request counts nothing more); what is left of
    // the limit serves one more verification.
    expect((await post(node, '/credentials/verify/batch', { verifiableCredentials: [vc] })).status).toBe(200);
    expect((await post(node, '/credentials/verify', { verifiableCredential: vc })).status).toBe(429);
  });
});
