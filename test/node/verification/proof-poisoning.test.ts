import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cryptosuite } from '../../../protocol/signing/suites.ts';
import { sampleBadge, tempDir } from '../../helpers/node.ts';
import { type NodeProcess, startNodeProcess } from '../../helpers/process.ts';

const SUITES: Cryptosuite[] = ['eddsa-rdfc-2022', 'Ed25519Signature2020', 'eddsa-jcs-2022'];
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

describe('when anonymous callers post prototype keys to a node with proof workers', () => {
  let node: NodeProcess;
  let dir: string;
  const issued = new Map<Cryptosuite, Record<string, any>>();

  async function verify(credential: unknown): Promise<{ status: number; body: Record<string, any> }> {
    const res = await fetch(`${node.url}/credentials/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiableCredential: credential }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  beforeAll(async () => {
    dir = await tempDir();
    // Two workers, as on the attacked node: each poison request lands on one of them.
    node = await startNodeProcess(dir, {}, 20_000, ['--verify-workers', '2']);
    for (const cryptosuite of SUITES) {
      const credential = sampleBadge(
        cryptosuite === 'Ed25519Signature2020'
          ? {
              '@context': [
                'https://www.w3.org/ns/credentials/v2',
                'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
                'https://w3id.org/security/suites/ed25519-2020/v1',
              ],
            }
          : {},
      );
      const res = await fetch(`${node.url}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
        body: JSON.stringify({ credential: { ...credential, issuer: node.did }, options: { cryptosuite } }),
      });
      expect(res.status).toBe(201);
      issued.set(cryptosuite, ((await res.json()) as Record<string, any>).verifiableCredential);
    }
  });
  afterAll(async () => {
    node?.child.kill('SIGTERM');
    await node?.exited;
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies a valid credential of each cryptosuite, status list included, after the poison requests', async () => {
    for (const suite of SUITES) expect((await verify(issued.get(suite))).body.verified, suite).toBe(true);
    for (const key of PROTOTYPE_KEYS) {
      for (let i = 0; i < 4; i++) {
        const poison = {
          ...issued.get(SUITES[i % 2])!,
          credentialStatus: {
            type: 'BitstringStatusListEntry',
            statusPurpose: 'revocation',
            statusListIndex: '1',
            statusListCredential: key,
          },
        };
        const answer = await verify(poison);
        expect(answer.status).toBe(200);
        expect(answer.body.verified).toBe(false);
      }
    }
    // Four of each, so both workers (and the cached own list) answer for each suite.
    for (const suite of SUITES) {
      const answers = await Promise.all([1, 2, 3, 4].map(() => verify(issued.get(suite))));
      for (const a of answers) {
        expect({ suite, verified: a.body.verified, checks: a.body.checks }).toMatchObject({ suite, verified: true });
      }
    }
  });
});
