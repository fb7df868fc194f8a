import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Publication, publicationSigningInput, type UnsignedPublication } from '../../../registry/publications.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';

const achievement = (id: string, name: string) => ({ id, type: ['Achievement'], name });

describe('when two bodies of one publication version arrive at once', () => {
  let issuer: TestNode;
  let receivers: TestNode[];

  async function sign(node: TestNode, unsigned: Omit<UnsignedPublication, 'publisher'>): Promise<Publication> {
    const { identity } = node.components;
    const full: UnsignedPublication = { publisher: identity.did, ...unsigned };
    const signature = await identity.keyPair.signer().sign({ data: publicationSigningInput(full) });
    return {
      ...full,
      proof: { verificationMethod: identity.keyId, signature: Buffer.from(signature).toString('base64url') },
    };
  }
  const pair = async (id: string) =>
    Promise.all(
      ['A', 'B'].map((name) =>
        sign(issuer, {
          kind: 'achievement',
          id,
          version: 3,
          publishedAt: '2026-06-01T00:00:00.000Z',
          body: achievement(id, name),
        }),
      ),
    );

  beforeAll(async () => {
    issuer = await createTestNode();
    receivers = [await createTestNode(), await createTestNode()];
  });
  afterAll(async () => {
    for (const n of [issuer, ...receivers]) await n?.close();
  });

  it('keeps evidence every time', async () => {
    const store = receivers[0].components.publications;
    for (let trial = 0; trial < 8; trial++) {
      const id = `https://college.example/a/race-${trial}`;
      const [a, b] = await pair(id);
      // 'local': the receiver's membership rules are not what is under test here.
      await Promise.all([store.ingest([a], 'local'), store.ingest([b], 'local')]);
      const evidence = (await store.equivocations({ kind: 'achievement' })).filter((e) => e.key.endsWith(id));
      expect(evidence, `trial ${trial}`).toHaveLength(1);
      expect(evidence[0].publications.map((p) => p.body.name).sort()).toEqual(['A', 'B']);
    }
  });

  it('lets the same body stand on every node, whatever the order of arrival', async () => {
    const id = 'https://college.example/a/order';
    const [a, b] = await pair(id);
    await receivers[0].components.publications.ingest([a], 'local');
    await receivers[0].components.publications.ingest([b], 'local');
    await receivers[1].components.publications.ingest([b], 'local');
    await receivers[1].components.publications.ingest([a], 'local');
    const standing = receivers.map((r) =>
      r.components.publications.list({ kind: 'achievement' }).find((p) => p.id === id),
    );
    expect(standing[0]?.body.name).toBeDefined();
    expect(standing[1]?.body.name).toBe(standing[0]?.body.name);
    for (const r of receivers) {
      const evidence = (await r.components.publications.equivocations({ kind: 'achievement' })).filter((e) =>
        e.key.endsWith(id),
      );
      expect(evidence[0].publications).toHaveLength(2);
    }
  });
});
