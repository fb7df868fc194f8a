/**
 * Signed Open Badges 2.0 assertions (OB 2.0 §SignedBadge): a JWS whose key comes from the hosted issuer Profile's
 * CryptographicKey, owned by that Profile. Keys are made at test time, as 1EdTech's validator's own signed tests
 * do (tests/test_signed_verification.py); the documents are served on loopback.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isValid, type VerificationReport } from '../../../registry/verification/report.ts';
import { type BadgeHost, startBadgeHost } from '../../helpers/badge-host.ts';
import { ob2TestVerifier } from '../../helpers/ob2.ts';

const ORIGIN = 'https://badges.example';
const PROFILE = `${ORIGIN}/issuer.json`;
const KEY = `${ORIGIN}/key.json`;
const LIST = `${ORIGIN}/revocations.json`;
const BADGE = `${ORIGIN}/badge.json`;

const LEARNER_HASH = createHash('sha256')
  .update('learner@harbor.example' + 'pepper')
  .digest('hex');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

function assertion(overrides: Record<string, unknown> = {}) {
  return {
    '@context': 'https://w3id.org/openbadges/v2',
    type: 'Assertion',
    id: 'urn:uuid:2f6c86a4-5a3e-4c43-9b39-4d3b5d0b9e11',
    recipient: { type: 'email', hashed: true, salt: 'pepper', identity: `sha256$${LEARNER_HASH}` },
    issuedOn: '2024-05-01T00:00:00Z',
    badge: BADGE,
    verification: { type: 'SignedBadge', creator: KEY },
    ...overrides,
  };
}

async function sign(payload: unknown, key: KeyObject = rsa.privateKey, alg = 'RS256'): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg }).sign(key);
}

/** A JWS with any header at all (alg none, HS256), as an attacker would write one. */
function handMade(header: Record<string, unknown>, payload: unknown, signature = ''): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part(header)}.${part(payload)}.${signature}`;
}

const check = (report: VerificationReport, name: string) => report.checks.find((c) => c.name === name);

describe('when a signed Open Badges 2.0 assertion is verified', () => {
  let host: BadgeHost;
  const documents = () => ({
    [BADGE]: { body: JSON.stringify({ type: 'BadgeClass', id: BADGE, name: 'Forklift Safety', issuer: PROFILE }) },
    [PROFILE]: {
      body: JSON.stringify({
        type: 'Issuer',
        id: PROFILE,
        name: 'Harbor Training',
        publicKey: KEY,
        revocationList: LIST,
      }),
    },
    [KEY]: {
      body: JSON.stringify({ type: 'CryptographicKey', id: KEY, owner: PROFILE, publicKeyPem: pem(rsa.publicKey) }),
    },
    [LIST]: {
      body: JSON.stringify({
        type: 'RevocationList',
        id: LIST,
        issuer: PROFILE,
        revokedAssertions: [{ id: 'urn:uuid:revoked-one', revocationReason: 'Issued in error' }],
      }),
    },
  });
  beforeAll(async () => {
    host = await startBadgeHost();
  });
  beforeEach(() => {
    for (const [url, document] of Object.entries(documents())) host.set(url, document);
    host.requests.length = 0;
  });
  afterAll(async () => {
    await host.close();
  });
  const verify = async (input: unknown) => ob2TestVerifier({ fetch: host.fetch }).verifyCredential(input);

  it('verifies a JWS by the issuer’s own key, and checks its revocation list', async () => {
    const report = await verify(await sign(assertion()));
    expect(check(report, 'proof')).toMatchObject({ status: 'ok' });
    expect(check(report, 'issuer')).toMatchObject({ status: 'ok' });
    expect(check(report, 'status')).toMatchObject({ status: 'ok' });
    expect(report.verified).toBe(true);
    expect(isValid(report)).toBe(true);
    expect(report.issuer.did).toBe(PROFILE);
    expect(host.requests).toContain(LIST);
  });

  it('reports an assertion in the issuer’s revocation list as revoked', async () => {
    const report = await verify(await sign(assertion({ id: 'urn:uuid:revoked-one' })));
    expect(check(report, 'status')).toMatchObject({ status: 'failed', code: 'REVOKED' });
    expect(report.verified).toBe(true);
    expect(isValid(report)).toBe(false);
  });

  it('leaves the status unchecked when the revocation list cannot be fetched', async () => {
    host.set(LIST, undefined);
    const report = await verify(await sign(assertion()));
    expect(check(report, 'status')).toMatchObject({ status: 'unchecked', code: 'STATUS_LIST_UNAVAILABLE' });
    expect(isValid(report)).toBe(false);
  });

  it('refuses alg none before fetching anything it names', async () => {
    const report = await verify(handMade({ alg: 'none' }, assertion()));
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'ALG_NONE_REFUSED' });
    expect(report.verified).toBe(false);
    expect(host.requests).toEqual([]);
  });

  it('refuses an HMAC or other unexpected algorithm', async () => {
    const hmac = await verify(handMade({ alg: 'HS256' }, assertion(), 'c2lnbmF0dXJl'));
    expect(check(hmac, 'proof')).toMatchObject({ status: 'failed', code: 'ALG_NOT_ALLOWED' });
    expect(host.requests).toEqual([]);
    // ES256 is allowed for P-256 keys, not with the issuer's RSA key: the key decides.
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const mixed = await verify(await sign(assertion(), p256.privateKey, 'ES256'));
    expect(check(mixed, 'proof')).toMatchObject({ status: 'failed', code: 'ALG_NOT_ALLOWED' });
    expect(mixed.verified).toBe(false);
  });

  it('refuses a key whose owner is not the issuer', async () => {
    host.set(KEY, {
      body: JSON.stringify({ id: KEY, owner: `${ORIGIN}/someone-else.json`, publicKeyPem: pem(rsa.publicKey) }),
    });
    const report = await verify(await sign(assertion()));
    expect(check(report, 'issuer')).toMatchObject({ status: 'failed', code: 'OB2_KEY_NOT_ISSUERS' });
    expect(report.verified).toBe(false);
  });

  it('refuses a creator key the issuer Profile does not list', async () => {
    const report = await verify(await sign(assertion({ verification: { type: 'signed', creator: `${ORIGIN}/k2` } })));
    expect(check(report, 'issuer')).toMatchObject({ status: 'failed', code: 'OB2_KEY_NOT_ISSUERS' });
    expect(host.requests).not.toContain(`${ORIGIN}/k2`);
  });

  it('refuses a JWS signed by another key, or whose payload was changed', async () => {
    const forged = await verify(await sign(assertion(), other.privateKey));
    expect(check(forged, 'proof')).toMatchObject({ status: 'failed', code: 'INVALID_SIGNATURE' });
    const [header, , signature] = (await sign(assertion())).split('.');
    const changed = Buffer.from(JSON.stringify(assertion({ issuedOn: '2020-01-01T00:00:00Z' }))).toString('base64url');
    const tampered = await verify(`${header}.${changed}.${signature}`);
    expect(check(tampered, 'proof')).toMatchObject({ status: 'failed', code: 'INVALID_SIGNATURE' });
    expect(tampered.verified).toBe(false);
  });

  it('does not take a signed assertion without its JWS', async () => {
    const report = await verify(assertion());
    expect(check(report, 'proof')).toMatchObject({ status: 'failed', code: 'OB2_SIGNATURE_MISSING' });
    expect(host.requests).toEqual([]);
  });
});
