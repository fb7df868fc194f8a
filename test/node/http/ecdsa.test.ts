/**
 * ECDSA issuance and verification over HTTP on real `ler-node` processes (a
 * did:key node and a did:web node; decision 0021), plus a P-256 Multikey in a
 * DID document the node holds.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../node/storage/database.ts';
import { freshP256Key, signAndDeriveSd, signEcdsa, specP256Key } from '../../helpers/ecdsa.ts';
import { createTestNode, sampleBadge, tempDir } from '../../helpers/node.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

type Json = Record<string, any>;
const ECDSA_SUITES = ['ecdsa-rdfc-2019', 'ecdsa-jcs-2019'] as const;

function checkOf(report: Json, name: string): Json {
  return report.checks.find((c: Json) => c.name === name);
}

describe('ECDSA over HTTP on real nodes', () => {
  const dirs: string[] = [];
  const seen: string[] = [];
  let keyNode: NodeProcess;
  let webNode: NodeProcess;
  let keyHealth: Json;
  let webHealth: Json;

  async function call(node: NodeProcess, method: string, path: string, body?: unknown, token = node.token) {
    const res = await fetch(`${node.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    seen.push(text);
    return { status: res.status, body: JSON.parse(text) as Json };
  }
  const issue = (node: NodeProcess, credential: unknown, options: Json) =>
    call(node, 'POST', '/credentials/issue', { credential, options });
  const verify = (node: NodeProcess, vc: unknown) =>
    call(node, 'POST', '/credentials/verify', { verifiableCredential: vc }, undefined);

  beforeAll(async () => {
    const [keyDir, webDir] = [await tempDir(), await tempDir()];
    dirs.push(keyDir, webDir);
    const init = runCli(['init', '--data', webDir, '--did-web', 'college.example']);
    expect((await init.exited).code).toBe(0);
    const webToken = /admin token[^:]*: (\S+)/.exec(init.stdout())?.[1];
    [keyNode, webNode] = await Promise.all([startNodeProcess(keyDir), startNodeProcess(webDir)]);
    webNode.token = webToken;
    keyHealth = (await call(keyNode, 'GET', '/health')).body;
    webHealth = (await call(webNode, 'GET', '/health')).body;
  }, 60_000);

  afterAll(async () => {
    for (const node of [keyNode, webNode]) if (node?.child.exitCode === null) node.child.kill('SIGKILL');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  describe('when the institution is a did:key', () => {
    it('names its P-256 did:key as the ECDSA issuer in /health', () => {
      expect(keyHealth.did).toMatch(/^did:key:z6Mk/);
      expect(keyHealth.ecdsaDid).toMatch(/^did:key:zDna/);
    });

    for (const cryptosuite of ECDSA_SUITES) {
      it(`issues ${cryptosuite} as its P-256 did:key, and verifies it`, async () => {
        const issued = await issue(keyNode, sampleBadge({ issuer: keyHealth.ecdsaDid }), { cryptosuite });
        expect(issued.status).toBe(201);
        const vc = issued.body.verifiableCredential;
        expect(vc.issuer).toBe(keyHealth.ecdsaDid);
        expect(vc.proof).toMatchObject({
          type: 'DataIntegrityProof',
          cryptosuite,
          verificationMethod: `${keyHealth.ecdsaDid}#${keyHealth.ecdsaDid.slice('did:key:'.length)}`,
        });
        const report = (await verify(keyNode, vc)).body;
        expect(checkOf(report, 'proof')).toMatchObject({ status: 'ok' });
        expect(checkOf(report, 'issuer')).toMatchObject({ status: 'ok' });
        expect(checkOf(report, 'status')).toMatchObject({ status: 'ok' });
        expect(report.verified).toBe(true);
      });

      it(`reports a tampered ${cryptosuite} credential as INVALID_SIGNATURE`, async () => {
        const vc = (await issue(keyNode, sampleBadge({ issuer: keyHealth.ecdsaDid }), { cryptosuite })).body
          .verifiableCredential;
        vc.credentialSubject.achievement.name = 'Brain Surgery';
        const report = (await verify(keyNode, vc)).body;
        expect(report.verified).toBe(false);
        expect(checkOf(report, 'proof')).toMatchObject({ status: 'failed', code: 'INVALID_SIGNATURE' });
      });
    }

    it('refuses an ECDSA credential naming the Ed25519 did:key as issuer, and says which DID to use', async () => {
      const refused = await issue(keyNode, sampleBadge({ issuer: keyHealth.did }), { cryptosuite: 'ecdsa-rdfc-2019' });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('FOREIGN_ISSUER');
      expect(refused.body.error.message).toContain(keyHealth.ecdsaDid);
    });

    it('reports a P-256 proof whose key is not the issuer’s as ISSUER_KEY_MISMATCH', async () => {
      const credential = { ...sampleBadge(), issuer: keyHealth.ecdsaDid, validFrom: '2024-01-01T00:00:00Z' };
      const vc = await signEcdsa(credential, await freshP256Key(), 'ecdsa-rdfc-2019');
      const report = (await verify(keyNode, vc)).body;
      expect(report.verified).toBe(false);
      expect(checkOf(report, 'issuer')).toMatchObject({ status: 'failed', code: 'ISSUER_KEY_MISMATCH' });
    });

    it('verifies an ecdsa-sd-2023 derived credential, and answers SD_BASE_PROOF for a base proof', async () => {
      const key = await specP256Key();
      const { base, derived } = await signAndDeriveSd(
        {
          '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
          id: 'urn:uuid:5b0e1c1e-39f5-4c41-9c0b-2f6c8f4f1a11',
          type: ['VerifiableCredential', 'ExampleDegreeCredential'],
          issuer: key.controller,
          validFrom: '2024-01-01T00:00:00Z',
          credentialSubject: { id: 'did:example:learner', degree: 'BSc', birthYear: '1999' },
        },
        key,
        { mandatoryPointers: ['/issuer', '/validFrom'], selectivePointers: ['/credentialSubject/degree'] },
      );
      const derivedReport = (await verify(keyNode, derived)).body;
      expect(checkOf(derivedReport, 'proof')).toMatchObject({ status: 'ok' });
      expect(checkOf(derivedReport, 'issuer')).toMatchObject({ status: 'ok' });
      expect(derivedReport.verified).toBe(true);

      const baseReport = (await verify(keyNode, base)).body;
      expect(baseReport.verified).toBe(false);
      expect(checkOf(baseReport, 'proof')).toMatchObject({ status: 'failed', code: 'SD_BASE_PROOF' });
    });
  });

  describe('when the institution is a did:web', () => {
    it('lists its Ed25519 and P-256 keys in its DID document, the P-256 one for assertions only', async () => {
      const { body: doc } = await call(webNode, 'GET', '/.well-known/did.json');
      expect(webHealth.ecdsaDid).toBe(webHealth.did);
      const p256 = doc.verificationMethod.find((m: Json) => m.publicKeyMultibase.startsWith('zDna'));
      expect(p256).toMatchObject({ type: 'Multikey', controller: webHealth.did });
      expect(p256.id).toBe(`${webHealth.did}#${p256.publicKeyMultibase}`);
      expect(doc.verificationMethod).toHaveLength(2);
      expect(doc.assertionMethod).toContain(p256.id);
      expect(doc.authentication).not.toContain(p256.id);
    });

    for (const cryptosuite of ECDSA_SUITES) {
      it(`issues ${cryptosuite} as the did:web with its P-256 key, and verifies it`, async () => {
        const issued = await issue(webNode, sampleBadge({ issuer: webHealth.did }), { cryptosuite });
        expect(issued.status).toBe(201);
        const vc = issued.body.verifiableCredential;
        expect(vc.issuer).toBe(webHealth.did);
        expect(vc.proof.verificationMethod).toMatch(new RegExp(`^${webHealth.did}#zDna`));
        const report = (await verify(webNode, vc)).body;
        expect(checkOf(report, 'proof')).toMatchObject({ status: 'ok' });
        expect(checkOf(report, 'issuer')).toMatchObject({ status: 'ok' });
        expect(report.verified).toBe(true);
        expect(report.warnings ?? []).toEqual([]);
      });
    }
  });

  // Runs last: stops both nodes, then reads their stores.
  it('keeps the P-256 secret key in the store only: never in an answer or in the logs', async () => {
    for (const node of [keyNode, webNode]) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    for (const [dir, node] of [
      [dirs[0], keyNode],
      [dirs[1], webNode],
    ] as const) {
      const database = await openDatabase(join(dir, 'db'));
      const stored = (await database.keys.get('institution-p256')) as { secretKeyMultibase: string };
      await database.close();
      expect(stored.secretKeyMultibase).toMatch(/^z/);
      for (const text of [...seen, node.stdout(), node.stderr()]) expect(text).not.toContain(stored.secretKeyMultibase);
    }
  });
});

describe('a P-256 Multikey in a DID document the node holds', () => {
  it('verifies ecdsa-rdfc-2019 and ecdsa-jcs-2019 credentials of a did:web issuer without fetching', async () => {
    const did = 'did:web:university.example';
    const key = await freshP256Key(did);
    const document = {
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: did,
      // Relative id and no multikey context, as documents in the wild have them.
      verificationMethod: [
        { id: `#${key.publicKeyMultibase}`, type: 'Multikey', publicKeyMultibase: key.publicKeyMultibase },
      ],
      assertionMethod: [`#${key.publicKeyMultibase}`],
    };
    const node = await createTestNode({ knownDidDocuments: (d) => (d === did ? document : undefined) });
    try {
      for (const cryptosuite of ECDSA_SUITES) {
        const vc = await signEcdsa(
          { ...sampleBadge(), issuer: did, validFrom: '2024-01-01T00:00:00Z' },
          key,
          cryptosuite,
          node.components.documentLoader,
        );
        const report = await node.components.verifier.verifyCredential(vc);
        expect(report.checks.find((c) => c.name === 'proof')).toMatchObject({ status: 'ok' });
        expect(report.checks.find((c) => c.name === 'issuer')).toMatchObject({ status: 'ok' });
        expect(report.verified).toBe(true);
      }
    } finally {
      await node.close();
    }
  });
});
