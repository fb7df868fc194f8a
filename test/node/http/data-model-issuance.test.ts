import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { createTestNode, sampleBadge, type TestNode } from '../../helpers/node.ts';

// Digests of https://www.w3.org/ns/credentials/v2 as W3C serves it (w3c/vc-data-model 08b83e46).
const V2 = 'https://www.w3.org/ns/credentials/v2';
const V2_SRI = 'sha384-l/HrjlBCNWyAX91hr6LFV2Y3heB5Tcr6IeE4/Tje8YyzYBM8IhqjHWiWpr8+ZbYU';
const V2_MULTIBASE = 'uWZVc7WaX1h4D8rJVb-vlMIqxaEKEb1tYbX8fet7JJzQ';

const MESSAGES = [
  { status: '0x0', message: 'pending' },
  { status: '0x1', message: 'accepted' },
  { status: '0x2', message: 'rejected' },
  { status: '0x3', message: 'withdrawn' },
];

describe('when the VC API issues against the VC Data Model 2.0 rules', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;
  let admin: Record<string, string>;
  const json = { 'content-type': 'application/json' };

  beforeAll(async () => {
    node = await createTestNode();
    app = createApp({
      components: node.components,
      version: 'test',
      health: () => ({ peerId: undefined, multiaddrs: [], networks: [] }),
    });
    admin = { ...json, authorization: `Bearer ${node.adminToken}` };
  });
  afterAll(async () => {
    await node.close();
  });

  async function post(path: string, body: unknown, headers = admin) {
    const res = await app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }
  const issue = (credential: unknown, options?: unknown) => post('/credentials/issue', { credential, options });
  // A badge naming this node as its issuer, as the VC API requires.
  const badge = (overrides: Record<string, unknown> = {}) =>
    sampleBadge({ issuer: node.components.identity.did, ...overrides });
  const verify = (verifiableCredential: unknown) => post('/credentials/verify', { verifiableCredential }, json);

  it('refuses id null and other ids that are not one URL, instead of replacing them', async () => {
    for (const id of [null, 'https ://not-a-url/1', ['urn:uuid:1', 'urn:uuid:2'], 7]) {
      const answer = await issue(badge({ id }));
      expect(answer.status, JSON.stringify(id)).toBe(422);
      expect(answer.body.error.code).toBe('INVALID_CREDENTIAL');
    }
    const subject = badge();
    (subject.credentialSubject as Record<string, unknown>).id = ['did:example:a', 'did:example:b'];
    expect((await issue(subject)).status).toBe(422);
  });

  it('refuses a credential without issuer (the VC API issuer suite) and issues it once the issuer is named', async () => {
    const answer = await issue(sampleBadge());
    expect(answer.status).toBe(422);
    expect(answer.body.error.details.problems).toContain('issuer is required');
    expect((await issue(badge())).status).toBe(201);
  });

  it('refuses a null issuer and an issuer object whose id is null', async () => {
    expect((await issue(badge({ issuer: null }))).status).toBe(422);
    expect((await issue(badge({ issuer: { id: null, name: 'x' } }))).status).toBe(422);
  });

  it('refuses credentialSchema, refreshService, evidence, termsOfUse and credentialStatus without a type', async () => {
    for (const extra of [
      { credentialSchema: { id: 'https://example.org/schema/1' } },
      { credentialSchema: { type: 'JsonSchema' } },
      { refreshService: { id: 'https://example.org/refresh/1' } },
      { evidence: [{ id: 'https://example.org/evidence/1' }] },
      { termsOfUse: { id: 'https://example.org/terms/1' } },
      { credentialStatus: { id: 'https://example.org/status/1' } },
      { credentialStatus: { type: 'CredentialStatusList2017', id: 'https ://bad' } },
    ]) {
      const answer = await issue(badge(extra));
      expect(answer.status, JSON.stringify(extra)).toBe(422);
      expect(answer.body.error.details.problems.length).toBeGreaterThan(0);
    }
  });

  it("accepts a caller's own well-formed credentialStatus and adds its revocation entry after it", async () => {
    const own = { id: 'https://example.org/status/7', type: 'ExampleStatus' };
    const answer = await issue(
      badge({
        '@context': [V2, 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', { ExampleStatus: 'urn:ex:s' }],
        credentialStatus: own,
      }),
    );
    expect(answer.status).toBe(201);
    const entries = answer.body.verifiableCredential.credentialStatus;
    expect(entries[0]).toEqual(own);
    expect(entries[1]).toMatchObject({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
  });

  it("refuses a caller's BitstringStatusListEntry pointing into the node's own lists", async () => {
    const first = (await issue(badge())).body.verifiableCredential.credentialStatus;
    const answer = await issue(badge({ credentialStatus: { ...first, statusListIndex: '5' } }));
    expect(answer.status).toBe(422);
    expect(answer.body.error.message).toMatch(/own status lists/);
  });

  it('checks relatedResource: ids required and unique, digests well-formed and matching a bundled context', async () => {
    const good = [
      { id: V2, digestSRI: V2_SRI },
      { id: V2, digestMultibase: V2_MULTIBASE },
      [{ id: 'https://example.org/any.json', digestMultibase: 'uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0' }],
    ];
    for (const relatedResource of good) {
      expect((await issue(badge({ relatedResource }))).status, JSON.stringify(relatedResource)).toBe(201);
    }
    const bad = [
      [V2],
      [{ digestSRI: V2_SRI }],
      [
        { id: V2, digestSRI: V2_SRI },
        { id: V2, digestMultibase: V2_MULTIBASE },
      ],
      [{ id: V2 }],
      [{ id: V2, digestMultibase: 'uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0' }],
      [{ id: V2, digestSRI: 'sha384-_rCVIV7fSXXTNIvpiq26jRDyj8JG8TDjij-tD0ewLk4JpnXEz6a5AeeY_1qQ0d0P' }],
      [{ id: 'https://example.org/any.json', digestSRI: 'sha256-tooshort' }],
    ];
    for (const relatedResource of bad) {
      expect((await issue(badge({ relatedResource }))).status, JSON.stringify(relatedResource)).toBe(422);
    }
  });

  it('accepts relatedResource digests of every v2 context W3C has published since its July 2024 freeze', async () => {
    // w3c/vc-data-model 8d0ee107 (2024-07-20): the bytes the W3C data model suite pins; b4d990ee (2025-02-24).
    for (const relatedResource of [
      { id: V2, digestSRI: 'sha384-NSOcNpmdIVUxIJGvGUoe22FjTWrXiaXlsZ8q6912LdnR3KraQO2n75Ica4wK4Qeg' },
      { id: V2, digestMultibase: 'uJKGMkOmFbVJhEfKTduMC2XCyvRAYLjOVmZWwIH1wQ7k' },
      { id: V2, digestSRI: 'sha256-OKRUMLgSe0Wl7/XABF+gG4p0PpgvgqOCpX5QpHTlAVY=' },
    ]) {
      const answer = await issue(badge({ relatedResource }));
      expect(answer.status, JSON.stringify(relatedResource)).toBe(201);
      expect((await verify(answer.body.verifiableCredential)).body.verified).toBe(true);
    }
  });

  it('refuses to issue a credential whose validUntil is before its validFrom, and fails its verification', async () => {
    const answer = await issue(badge({ validFrom: '2031-01-01T00:00:00Z', validUntil: '2029-01-01T00:00:00Z' }));
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('INVALID_CREDENTIAL');
    expect(answer.body.error.details.problems).toEqual([
      'validUntil/expirationDate must not be earlier than validFrom/issuanceDate',
    ]);
    // A credential carrying such a period (here by changing a signed one) is a data-model failure at verification.
    const signed = (await issue(badge({ validUntil: '2035-01-01T00:00:00Z' }))).body.verifiableCredential;
    const inverted = { ...signed, validFrom: '2036-01-01T00:00:00Z' };
    const report = (await verify(inverted)).body;
    expect(report.verified).toBe(false);
    expect(report.checks.find((c: { name: string }) => c.name === 'schema')).toMatchObject({
      status: 'failed',
      code: 'INVALID_SHAPE',
      message: expect.stringContaining('must not be earlier than'),
    });
  });

  it('fails verification of a signed credential whose relatedResource digest does not match a bundled context', async () => {
    const signed = (await issue(badge({ relatedResource: [{ id: V2, digestSRI: V2_SRI }] }))).body.verifiableCredential;
    expect((await verify(signed)).body.verified).toBe(true);
    const wrong = structuredClone(signed);
    wrong.relatedResource = [{ id: V2, digestMultibase: 'uM4RgWQc3RUDtjJCSgTJtTfvpZ7SPEg_LNO0ESlovQC0' }];
    // A data-model failure is an error (W3C VCALM): 400 with the whole report.
    const answer = await verify(wrong);
    expect(answer.status).toBe(400);
    const report = answer.body;
    expect(report.verified).toBe(false);
    expect(report.checks.find((c: { name: string }) => c.name === 'schema')).toMatchObject({
      status: 'failed',
      code: 'INVALID_RELATED_RESOURCE',
    });
  });

  describe('when options ask for a message entry (statusSize, statusMessage, statusReference)', () => {
    const options = {
      credentialStatus: [
        {
          statusPurpose: 'message',
          statusSize: 2,
          statusMessage: MESSAGES,
          statusReference: 'https://example.org/status-dictionary/',
        },
      ],
    };

    it('issues the entry next to the revocation entry, on a list with statusSize bits per credential', async () => {
      const answer = await issue(badge(), options);
      expect(answer.status).toBe(201);
      const entries = answer.body.verifiableCredential.credentialStatus as Array<Record<string, unknown>>;
      expect(entries.map((e) => e.statusPurpose)).toEqual(['revocation', 'message']);
      expect(entries[1]).toMatchObject({
        type: 'BitstringStatusListEntry',
        statusSize: 2,
        statusMessage: MESSAGES,
        statusReference: 'https://example.org/status-dictionary/',
      });
      const listId = String(entries[1].statusListCredential).split('/').pop();
      const list = (await (await app.request(`/status-lists/${listId}`)).json()) as Record<string, any>;
      expect(list.credentialSubject.statusPurpose).toBe('message');
      expect(entries[0].statusListCredential).not.toBe(entries[1].statusListCredential);
    });

    it('sets a message value and the verifier reports its message without failing the credential', async () => {
      const vc = (await issue(badge(), options)).body.verifiableCredential;
      const initial = (await verify(vc)).body;
      expect(initial.verified).toBe(true);
      expect(initial.checks.find((c: { name: string }) => c.name === 'status').message).toMatch(/0x0 \(pending\)/);
      const set = await post('/credentials/status', {
        credentialId: vc.id,
        credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'message' },
        status: '0x2',
      });
      expect(set.status).toBe(200);
      expect(set.body.changed).toBe(true);
      const after = (await verify(vc)).body;
      expect(after.verified).toBe(true);
      const status = after.checks.find((c: { name: string }) => c.name === 'status');
      expect(status).toMatchObject({ status: 'ok' });
      expect(status.message).toMatch(/0x2 \(rejected\)/);
      const tooBig = await post('/credentials/status', {
        credentialId: vc.id,
        credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'message' },
        status: 4,
      });
      expect(tooBig.status).toBe(422);
    });

    it('refuses malformed requests: too few messages, a sized revocation, a bad reference', async () => {
      for (const entry of [
        { statusPurpose: 'message', statusSize: 2, statusMessage: MESSAGES.slice(0, 2) },
        { statusPurpose: 'message', statusSize: 2 },
        { statusPurpose: 'revocation', statusSize: 2, statusMessage: MESSAGES },
        { statusPurpose: 'message', statusSize: 2, statusMessage: MESSAGES, statusReference: 'not a url' },
        { statusPurpose: 'message', statusSize: 9, statusMessage: MESSAGES },
      ]) {
        expect((await issue(badge(), { credentialStatus: [entry] })).status, JSON.stringify(entry)).toBe(422);
      }
    });
  });
});
