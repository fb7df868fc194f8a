import * as vc from '@digitalbazaar/vc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CRYPTOSUITES } from '../../../protocol/signing/suites.ts';
import { isValid } from '../../../registry/verification/report.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

describe('when a node issues credentials', () => {
  let node: TestNode;
  beforeEach(async () => {
    node = await createTestNode();
  });
  afterEach(async () => {
    await node.close();
  });

  for (const cryptosuite of CRYPTOSUITES) {
    it(`signs with ${cryptosuite} and its own verifier accepts the result`, async () => {
      const { issuer, verifier, identity } = node.components;
      const credential = await issuer.issue(sampleBadge(), { cryptosuite });
      // Decision 0021: a did:key node signs ECDSA credentials as its P-256 did:key.
      expect(credential.issuer).toBe(cryptosuite.startsWith('ecdsa-') ? identity.ecdsa.did : identity.did);
      expect(credential.validFrom).toMatch(/Z$/);
      expect(String(credential.id)).toMatch(/^urn:uuid:/);
      const report = await verifier.verifyCredential(credential);
      expect(report.checks.filter((c) => c.name !== 'trust')).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'proof', status: 'ok' })]),
      );
      expect(report.verified).toBe(true);
    });
  }

  it('produces credentials that @digitalbazaar/vc verifies directly', async () => {
    const { issuer, documentLoader, statusLists } = node.components;
    const credential = await issuer.issue(sampleBadge());
    const result = await vc.verifyCredential({
      credential,
      suite: (await import('../../../protocol/signing/suites.ts')).createVerifySuites(),
      documentLoader,
      checkStatus: async () => {
        const lookup = await statusLists.source.get(
          (credential.credentialStatus as Record<string, string>).statusListCredential,
        );
        return { verified: 'credential' in lookup };
      },
    });
    expect(result.verified).toBe(true);
  });

  it('accepts VC 1.1 credentials and adds issuanceDate and the status terms inline', async () => {
    const { issuer, verifier, documentLoader, statusLists } = node.components;
    const credential = await issuer.issue(
      sampleBadge({
        '@context': [
          'https://www.w3.org/2018/credentials/v1',
          'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        ],
      }),
    );
    expect(credential.issuanceDate).toBeTypeOf('string');
    // Issue 10 item 4: the W3C Data Integrity suites' loaders cannot load status/v1 by URL.
    expect(credential['@context']).not.toContain('https://www.w3.org/ns/credentials/status/v1');
    expect((await verifier.verifyCredential(credential)).verified).toBe(true);
    const withoutStatusContext = async (url: string) => {
      if (url.startsWith('https://www.w3.org/ns/credentials/status/')) throw new Error(`not loadable: ${url}`);
      return documentLoader(url);
    };
    const result = await vc.verifyCredential({
      credential,
      suite: (await import('../../../protocol/signing/suites.ts')).createVerifySuites(),
      documentLoader: withoutStatusContext,
      checkStatus: async () => {
        const entry = credential.credentialStatus as Record<string, string>;
        return { verified: 'credential' in (await statusLists.source.get(entry.statusListCredential)) };
      },
    });
    expect(result.error ?? null).toBeNull();
    expect(result.verified).toBe(true);
  });

  it('revokes: the re-signed status list makes verification fail with REVOKED', async () => {
    const { issuer, verifier } = node.components;
    const credential = await issuer.issue(sampleBadge());
    await issuer.setStatus(credential.id, 'revocation', true);
    const report = await verifier.verifyCredential(credential);
    expect(report.checks.find((c) => c.name === 'status')).toMatchObject({ status: 'failed', code: 'REVOKED' });
    // VCALM: a revocation is a warning unless the caller requires the status check; never valid, never trusted.
    expect(report).toMatchObject({ verified: true, trusted: false, errors: [] });
    expect(report.warnings.map((w) => w.code)).toContain('REVOKED');
    expect(isValid(report)).toBe(false);
    const required = await verifier.verifyCredential(credential, { required: ['status'] });
    expect(required.verified).toBe(false);
    expect(required.errors.map((e) => e.code)).toEqual(['REVOKED']);
  });

  it('suspends and unsuspends when issued with a suspension entry', async () => {
    const { issuer, verifier } = node.components;
    const credential = await issuer.issue(sampleBadge(), { credentialStatus: [{ statusPurpose: 'suspension' }] });
    expect(credential.credentialStatus).toHaveLength(2);
    await issuer.setStatus(credential.id, 'suspension', true);
    expect((await verifier.verifyCredential(credential)).checks.find((c) => c.name === 'status')).toMatchObject({
      code: 'SUSPENDED',
    });
    await issuer.setStatus(credential.id, 'suspension', false);
    expect((await verifier.verifyCredential(credential)).verified).toBe(true);
  });

  it('refuses to suspend a credential issued without a suspension entry', async () => {
    const credential = await node.components.issuer.issue(sampleBadge());
    await expect(node.components.issuer.setStatus(credential.id, 'suspension', true)).rejects.toMatchObject({
      code: 'STATUS_PURPOSE_NOT_ISSUED',
    });
  });

  it('refuses a foreign issuer and a repeated credential id', async () => {
    const { issuer } = node.components;
    await expect(issuer.issue(sampleBadge({ issuer: 'did:example:someone-else' }))).rejects.toMatchObject({
      code: 'FOREIGN_ISSUER',
    });
    await issuer.issue(sampleBadge({ id: 'urn:uuid:5f1b3c3e-0000-4000-8000-000000000001' }));
    await expect(
      issuer.issue(sampleBadge({ id: 'urn:uuid:5f1b3c3e-0000-4000-8000-000000000001' })),
    ).rejects.toMatchObject({
      code: 'CREDENTIAL_EXISTS',
    });
  });

  it('refuses a VC 1.1 credential whose own status entry has no id (VC DM 1.1 §4.9), before allocating anything', async () => {
    const { issuer } = node.components;
    const v11 = [
      'https://www.w3.org/2018/credentials/v1',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ];
    const entry = { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '3' };
    const listUrl = 'https://status.example/lists/1';
    await expect(
      issuer.issue(sampleBadge({ '@context': v11, credentialStatus: { ...entry, statusListCredential: listUrl } })),
    ).rejects.toMatchObject({ code: 'INVALID_CREDENTIAL', message: expect.stringContaining('credentialStatus.id') });
    expect(await issuer.list({ limit: 10 })).toEqual([]);
  });

  it('refuses a credential with terms no context defines', async () => {
    const { issuer } = node.components;
    await expect(
      issuer.issue(sampleBadge({ '@context': ['https://www.w3.org/2018/credentials/v1'], undefinedTerm: 1 })),
    ).rejects.toMatchObject({ code: 'INVALID_CREDENTIAL' });
  });
});

describe('when status indexes are allocated', () => {
  it('never hands out the same index twice and opens a new list when one is full', async () => {
    const node = await createTestNode({ statusListLength: 64 });
    try {
      const credentials = await Promise.all(
        Array.from({ length: 100 }, () =>
          node.components.issuer.issue(sampleBadge(), { cryptosuite: 'eddsa-jcs-2022' }),
        ),
      );
      const slots = credentials.map((c) => {
        const entry = c.credentialStatus as Record<string, string>;
        return `${entry.statusListCredential}#${entry.statusListIndex}`;
      });
      expect(new Set(slots).size).toBe(100);
      const lists = new Set(
        credentials.map((c) => (c.credentialStatus as Record<string, string>).statusListCredential),
      );
      expect(lists.size).toBe(2);
      // the first 64 fill one list completely, at unpredictable positions
      const firstList = credentials
        .slice(0, 64)
        .map((c) => Number((c.credentialStatus as Record<string, string>).statusListIndex));
      expect(firstList).not.toEqual([...firstList].sort((a, b) => a - b));
    } finally {
      await node.close();
    }
  });

  it('remembers taken slots across a restart', async () => {
    const first = await createTestNode({ statusListLength: 16 });
    const dir = first.dir;
    const before = await Promise.all(
      Array.from({ length: 10 }, () => first.components.issuer.issue(sampleBadge(), { cryptosuite: 'eddsa-jcs-2022' })),
    );
    await first.components.close();
    await first.database.close();
    const second = await createTestNode({ dir, statusListLength: 16 });
    try {
      const after = await Promise.all(
        Array.from({ length: 6 }, () =>
          second.components.issuer.issue(sampleBadge(), { cryptosuite: 'eddsa-jcs-2022' }),
        ),
      );
      const indexes = [...before, ...after].map((c) => (c.credentialStatus as Record<string, string>).statusListIndex);
      expect(new Set(indexes).size).toBe(16);
    } finally {
      await second.close();
      const { rm } = await import('node:fs/promises');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
