import { describe, expect, it } from 'vitest';
import { createWorkerPool } from '../../../node/verification/worker-pool.ts';
import { fixtureCredentials, fixtureDidDocuments } from '../../helpers/fixtures.ts';

describe('when proofs are verified in worker threads', () => {
  it('gives the same per-proof results as in-process verification', async () => {
    const pool = createWorkerPool({ size: 2 });
    try {
      const valid = fixtureCredentials().find((f) => f.file.includes('dcc-v2-dualproof-didkey-ob3-endorsement'))!;
      const tampered = fixtureCredentials().find((f) => f.file.includes('ed2020-didkey-tampered'))!;
      const web = fixtureCredentials().find((f) => f.file.includes('dcc-v2-dualproof-didweb-multikey'))!;
      const webDid = 'did:web:digitalcredentials.github.io:vc-test-fixtures:dids:oidf';
      const [a, b, c] = await Promise.all([
        pool.verify({ document: valid.credential, purpose: { kind: 'assertion' }, didDocuments: {} }),
        pool.verify({ document: tampered.credential, purpose: { kind: 'assertion' }, didDocuments: {} }),
        pool.verify({
          document: web.credential,
          purpose: { kind: 'assertion' },
          didDocuments: { [webDid]: fixtureDidDocuments(webDid) },
        }),
      ]);
      expect(a.verified).toBe(true);
      expect(a.proofs).toHaveLength(2);
      expect(b.verified).toBe(false);
      expect(c.verified).toBe(true);
    } finally {
      await pool.close?.();
    }
  });
});
