/**
 * Real StatusList2021 and RevocationList2020 lists (test/fixtures/status-lists: Digital Bazaar's vc-status-list and
 * vc-revocation-list test fixtures, copied unchanged), served offline, each giving the result its source expects.
 * The credentials that point at them are signed here (the sources' own are unsigned: they test status only), so
 * each list is another DID's and counts with the STATUS_LIST_SIGNER_DIFFERS warning, as a fetched list may.
 */
import { readFileSync } from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignSuite } from '../../../protocol/signing/suites.ts';
import type { VerificationReport } from '../../../registry/verification/report.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';
import { verifierServingLists } from '../../helpers/status-list-verifier.ts';

type Json = Record<string, any>;

const FIXTURES = new URL('../../fixtures/status-lists/', import.meta.url);
const read = (name: string): Json => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
const manifest = read('manifest.json');
const VC1 = 'https://www.w3.org/2018/credentials/v1';
const SL2021 = 'https://w3id.org/vc/status-list/2021/v1';
const RL2020 = 'https://w3id.org/vc-revocation-list-2020/v1';
const ED2020 = 'https://w3id.org/security/suites/ed25519-2020/v1';

describe('when a credential points at a real StatusList2021 or RevocationList2020 list', () => {
  let issuer: TestNode;
  // URL → list, from the manifest (and the tampered copy the source makes the same way).
  const lists = new Map<string, Json>();
  const verifier = verifierServingLists(lists, () => new Date(manifest.now));

  beforeAll(async () => {
    issuer = await createTestNode();
    for (const list of Object.values(manifest.lists) as Json[]) lists.set(list.url, read(list.file));
    // Served at its URL here, its id kept: the list's own id names where it was published in the source.
    // vc-status-list's "tampered with" test: the list's type changed after signing.
    const tampered = structuredClone(read(manifest.lists['sl2021-revocation'].file));
    tampered.type = ['VerifiableCredential', 'ex:Invalid'];
    tampered.id = 'https://example.com/status/tampered-SLCRevocation';
    lists.set(tampered.id, tampered);
  });
  afterAll(async () => issuer?.close());

  /** A VC 1.1 credential signed with Ed25519Signature2020 by the test issuer, with one status entry. */
  const credentialWith = (credentialStatus: Json, contexts: string[]) =>
    vc.issue({
      credential: {
        '@context': [VC1, ...contexts, ED2020],
        id: 'urn:uuid:a0418a78-7924-11ea-8a23-10bf48838a41',
        type: ['VerifiableCredential'],
        issuer: issuer.components.identity.did,
        issuanceDate: '2024-02-01T00:00:00Z',
        credentialSubject: { id: 'urn:uuid:4886029a-7925-11ea-9274-10bf48838a41' },
        credentialStatus,
      },
      suite: createSignSuite('Ed25519Signature2020', issuer.components.identity.keyPair),
      documentLoader: issuer.components.documentLoader,
    }) as Promise<Json>;

  const entryFor = (c: Json): Json =>
    c.type === 'RevocationList2020Status'
      ? { id: `${c.list}#${c.index}`, type: c.type, revocationListIndex: c.index, revocationListCredential: c.list }
      : {
          id: `${c.list}#${c.index}`,
          type: c.type,
          statusPurpose: c.purpose,
          statusListIndex: c.index,
          statusListCredential: c.list,
        };
  const check = (report: VerificationReport, name: string) => report.checks.find((c) => c.name === name);

  for (const c of manifest.cases as Json[]) {
    it(`gives ${c.expected}${c.code ? ` (${c.code})` : ''} for ${c.name}`, async () => {
      const contexts = c.type === 'RevocationList2020Status' ? [RL2020] : [SL2021];
      const report = await verifier.verifyCredential(await credentialWith(entryFor(c), contexts));
      // The credential itself verifies: its proof is checked with the bundled context of its status type.
      expect(check(report, 'proof')?.status).toBe('ok');
      const status = check(report, 'status');
      if (c.expected === 'active') expect(status?.status).toBe('ok');
      else expect(status).toMatchObject({ status: 'failed', code: c.code });
      if (c.expected !== 'list-invalid') {
        expect(report.warnings.map((w) => w.code)).toContain('STATUS_LIST_SIGNER_DIFFERS');
      }
    });
  }
});
