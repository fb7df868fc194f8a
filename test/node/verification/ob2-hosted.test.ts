/**
 * Hosted Open Badges 2.0 assertions (OB 2.0 §HostedBadge): the hosted copy is the assertion, within its issuer's
 * verification policy; and every fetch a badge causes is https-only, guarded, limited and cached.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOb2DocumentSource } from '../../../node/verification/ob2-documents.ts';
import { createOb2Verifier } from '../../../node/verification/ob2-verifier.ts';
import { ob2InputOf } from '../../../protocol/ob2/documents.ts';
import { createOutboundFetcher } from '../../../protocol/signing/outbound-fetch.ts';
import type { VerificationReport } from '../../../registry/verification/report.ts';
import { type BadgeHost, startBadgeHost } from '../../helpers/badge-host.ts';
import { ob2Fixture, ob2TestVerifier } from '../../helpers/ob2.ts';

const O = 'https://example.org/';
const ASSERTION = `${O}beths-robotics-badge.json`;
const text = (file: string) => ob2Fixture(file).toString('utf8');
const json = (file: string) => JSON.parse(text(file)) as Record<string, unknown>;
const check = (report: VerificationReport, name: string) => report.checks.find((c) => c.name === name);

describe('when a hosted Open Badges 2.0 assertion is verified', () => {
  let host: BadgeHost;
  const issuer = json('validator-core/issuer.json');
  beforeAll(async () => {
    host = await startBadgeHost();
  });
  beforeEach(() => {
    host.set(ASSERTION, { body: text('validator-core/assertion.json') });
    host.set(`${O}robotics-badge.json`, { body: text('validator-core/badgeclass.json') });
    host.set(`${O}organization.json`, { body: text('validator-core/issuer.json') });
    host.requests.length = 0;
  });
  afterAll(async () => {
    await host.close();
  });
  const verify = (input: unknown) => ob2TestVerifier({ fetch: host.fetch }).verifyCredential(input);

  it('refuses a presented assertion that differs from the hosted copy', async () => {
    const presented = { ...json('validator-core/assertion.json'), issuedOn: '2012-01-01T00:00:00Z' };
    const report = await verify(presented);
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'OB2_HOSTED_MISMATCH' });
    expect(report.verified).toBe(false);
  });

  it('refuses an assertion hosted outside the issuer’s allowedOrigins', async () => {
    host.set(`${O}organization.json`, {
      body: JSON.stringify({
        ...issuer,
        verification: { type: 'VerificationObject', allowedOrigins: 'badges.example' },
      }),
    });
    const report = await verify(ASSERTION);
    expect(check(report, 'issuer')).toMatchObject({ status: 'failed', code: 'OB2_NOT_IN_VERIFICATION_SCOPE' });
    expect(report.verified).toBe(false);
  });

  it('refuses an assertion id outside the issuer’s startsWith', async () => {
    host.set(`${O}organization.json`, {
      body: JSON.stringify({ ...issuer, verification: { startsWith: `${O}assertions/` } }),
    });
    const report = await verify(ASSERTION);
    expect(check(report, 'issuer')).toMatchObject({ status: 'failed', code: 'OB2_NOT_IN_VERIFICATION_SCOPE' });
  });

  it('refuses a BadgeClass whose issuer Profile names itself otherwise', async () => {
    host.set(`${O}organization.json`, { body: JSON.stringify({ ...issuer, id: `${O}impostor.json` }) });
    const report = await verify(ASSERTION);
    expect(check(report, 'issuer')).toMatchObject({ status: 'failed', code: 'OB2_ISSUER_MISMATCH' });
  });

  it('fetches nothing over http', async () => {
    const report = await verify({ ...json('validator-core/assertion.json'), id: 'http://example.org/badge.json' });
    expect(check(report, 'proof')).toMatchObject({ status: 'unchecked', code: 'OB2_URL_REFUSED' });
    expect(report.verified).toBe(false);
    expect(host.requests).toEqual([]);
  });

  it('fetches each issuer document once while it is cached', async () => {
    const verifier = ob2TestVerifier({ fetch: host.fetch });
    await verifier.verifyCredential(ASSERTION);
    await verifier.verifyCredential(ASSERTION);
    expect(host.requests.filter((u) => u === `${O}organization.json`)).toHaveLength(1);
  });

  it('refuses a hosted document larger than its limit', async () => {
    const documents = createOb2DocumentSource({
      fetcher: createOutboundFetcher({ fetch: host.fetch, allowPrivateHosts: true }),
      maxBytes: 200,
    });
    const answer = await documents.get(ASSERTION, { signal: new AbortController().signal });
    expect(answer).toMatchObject({ error: { code: 'OB2_FETCH_FAILED' } });
  });
});

describe('when a badge names a private address', () => {
  it('refuses to fetch it: no connection is made', async () => {
    let connections = 0;
    const server = createServer((_req, res) => res.end('{}'));
    server.on('connection', () => {
      connections++;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      // The node's real fetcher, as a node without --allow-private-hosts has it.
      const verifier = createOb2Verifier({ documents: createOb2DocumentSource({ fetcher: createOutboundFetcher() }) });
      const input = ob2InputOf(`https://127.0.0.1:${port}/badge.json`);
      const report = await verifier.verify(input!, { at: new Date(), signal: AbortSignal.timeout(5_000) });
      expect(check(report, 'proof')).toMatchObject({ status: 'unchecked', code: 'OB2_FETCH_FAILED' });
      expect(report.verified).toBe(false);
      expect(connections).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
