import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignSuite } from '../../../protocol/signing/suites.ts';
import { type Publication, publicationSigningInput, type UnsignedPublication } from '../../../registry/publications.ts';
import { createBitstring, encodeBitstring } from '../../../registry/status/bitstring.ts';
import { isValid } from '../../../registry/verification/report.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';
import { governance, governors } from '../../helpers/registry.ts';

const statusOf = (report: { checks: Array<{ name: string; status: string }> }) =>
  report.checks.find((c) => c.name === 'status');

/** A publication signed by `node`'s institution, made by hand: what a rogue member can send, whatever its store allows. */
async function publicationBy(node: TestNode, fields: Omit<UnsignedPublication, 'publisher' | 'publishedAt'>) {
  const unsigned: UnsignedPublication = {
    publisher: node.components.identity.did,
    publishedAt: new Date().toISOString(),
    ...fields,
  };
  const signature = await node.components.identity.keyPair.signer().sign({ data: publicationSigningInput(unsigned) });
  return {
    ...unsigned,
    proof: {
      verificationMethod: node.components.identity.keyId,
      signature: Buffer.from(signature).toString('base64url'),
    },
  } satisfies Publication;
}

/** A status list at `url` in which no bit is set, signed by `signer` and naming `issuer` as its issuer. */
async function emptyListSignedBy(signer: TestNode, url: string, issuer: string): Promise<Record<string, unknown>> {
  return vc.issue({
    credential: {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer,
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: {
        id: `${url}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: encodeBitstring(createBitstring()),
      },
    },
    suite: createSignSuite('eddsa-rdfc-2022', signer.components.identity.keyPair),
    documentLoader: signer.components.documentLoader,
  });
}

describe('when another member republishes an issuer’s older status list under its own name', () => {
  let issuer: TestNode;
  let rogue: TestNode;
  let verifier: TestNode;
  beforeAll(async () => {
    [issuer, rogue, verifier] = [await createTestNode(), await createTestNode(), await createTestNode()];
    // The verifier follows a network in which both are members, so it takes both their publications from peers.
    const gov = governance(verifier.components.registry, governors(1));
    const network = await gov.createNetwork('Healthcare Talent');
    for (const member of [issuer, rogue]) {
      await gov.act(network, {
        type: 'member.add',
        did: member.components.identity.did,
        name: member === issuer ? 'Riverside Community College' : 'Member X',
        accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
      });
    }
  });
  afterAll(async () => {
    for (const node of [issuer, rogue, verifier]) await node?.close();
  });

  it('reports the issuer’s revoked credential as revoked, never valid', async () => {
    const lists = () => issuer.components.publications.list({ kind: 'status-list' });
    const credential = await issuer.components.issuer.issue(sampleBadge());
    const [before] = lists();
    await issuer.components.issuer.setStatus(credential.id, 'revocation', true);
    const [revoked] = lists();
    expect(revoked.version).toBeGreaterThan(before.version);

    const copy = await publicationBy(rogue, {
      kind: 'status-list',
      id: before.id,
      version: revoked.version + 10,
      body: before.body,
    });
    // In the order that let the copy win before: the issuer's lists first, then the rogue's.
    await verifier.components.publications.ingest([before, revoked]);
    await verifier.components.publications.ingest([copy]);

    const report = await verifier.components.verifier.verifyCredential(credential);
    expect(statusOf(report)).toMatchObject({ status: 'failed', code: 'REVOKED' });
    expect(isValid(report)).toBe(false);
  });
});

describe('when the list at the address the credential names is signed by another DID', () => {
  let server: Server;
  let served: Record<string, unknown> | undefined;
  let issuer: TestNode;
  let rogue: TestNode;
  const verifiers: TestNode[] = [];
  // A fresh verifier for each answer of the URL, because a verifier keeps what it fetched for minutes.
  async function freshVerifier(): Promise<TestNode> {
    const node = await createTestNode({ network: { allowPrivateHosts: true, allowHttpStatusLists: true } });
    verifiers.push(node);
    return node;
  }
  beforeAll(async () => {
    // What the issuer's status URL answers now (a lapsed domain, a compromised host): the rogue's list.
    server = createServer((_req, res) => {
      res.writeHead(served ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(served ?? {}));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    issuer = await createTestNode({ publicUrl });
    rogue = await createTestNode();
  });
  afterAll(async () => {
    for (const node of [issuer, rogue, ...verifiers]) await node?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('lets the list fetched from the address the credential names decide, with a warning naming its other signer', async () => {
    const credential = await issuer.components.issuer.issue(sampleBadge());
    await issuer.components.issuer.setStatus(credential.id, 'revocation', true);
    const url = (credential.credentialStatus as Record<string, string>).statusListCredential;

    // A list claiming the issuer but signed by another DID does not verify at all.
    served = await emptyListSignedBy(rogue, url, issuer.components.identity.did);
    const forged = await (await freshVerifier()).components.verifier.verifyCredential(structuredClone(credential));
    expect(statusOf(forged)).toMatchObject({ status: 'failed', code: 'STATUS_LIST_INVALID' });

    // The issuer's signed credential names this address, and the Bitstring Status List spec lets another DID issue
    // the list there (deployed issuers do: the DCC fixtures). The verifier lets it decide and says so.
    served = await emptyListSignedBy(rogue, url, rogue.components.identity.did);
    const other = await (await freshVerifier()).components.verifier.verifyCredential(structuredClone(credential));
    expect(statusOf(other)).toMatchObject({ status: 'ok' });
    expect(other.warnings.map((w) => w.detail).join('\n')).toContain(rogue.components.identity.did);

    // The issuer's own list at that address decides: the credential is revoked.
    served = await issuer.components.statusLists.getListCredential(new URL(url).pathname.split('/').pop()!);
    const report = await (await freshVerifier()).components.verifier.verifyCredential(structuredClone(credential));
    expect(statusOf(report)).toMatchObject({ status: 'failed', code: 'REVOKED' });
  });
});
