/**
 * A node restored from a backup takes its own later status lists back from its peers (decision 0040): a
 * revocation stays set whichever side has it (it is final), a suspension takes the published, later state; and
 * the next status change is signed over those bits, never over the backup's.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreDataDir } from '../../../node/restore.ts';
import { backupStream, writeBackupFile } from '../../../node/storage/backup.ts';
import { signActionId } from '../../../protocol/signing/governor-keys.ts';
import { createTestNode, sampleBadge, type TestNode, tempDir } from '../../helpers/node.ts';
import { until } from '../../helpers/peers.ts';
import { governors } from '../../helpers/registry.ts';

const [governor] = governors(1);

describe('own status lists returned by peers after a restore', () => {
  let dir: string;
  let original: TestNode;
  let restored: TestNode;
  let credential: Record<string, unknown>;
  let publishedLater: unknown[];

  beforeAll(async () => {
    dir = await tempDir('ler-adopt-');
    original = await createTestNode({ dir: join(dir, 'original') });
    const { registry, identity, issuer, publications } = original.components;
    const approve = async (id: string) =>
      registry.approve(id, { signer: governor.did, signature: signActionId(governor, id) });
    const network = (await registry.createNetwork({ name: 'Pilot', governors: [governor.did], threshold: 1 })).id;
    await approve(network);
    await original.components.follows.add(network);
    const admitted = await registry.propose(network, {
      type: 'member.add',
      did: identity.did,
      name: 'College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    await approve(admitted.id);
    credential = (await issuer.issue(sampleBadge(), {
      credentialStatus: [{ statusPurpose: 'revocation' }, { statusPurpose: 'suspension' }],
    })) as Record<string, unknown>;
    await issuer.setStatus(credential.id, 'suspension', true);

    // The backup: suspended, not revoked.
    await writeBackupFile(backupStream(original.database), join(dir, 'backup'));
    // After it: the suspension is lifted and the credential revoked; the network's peers hold those lists.
    await issuer.setStatus(credential.id, 'suspension', false);
    await issuer.setStatus(credential.id, 'revocation', true);
    publishedLater = publications.list({ publisher: identity.did, kind: 'status-list' });
    await original.close();

    await restoreDataDir(join(dir, 'restored'), join(dir, 'backup'));
    restored = await createTestNode({ dir: join(dir, 'restored') });
  }, 60_000);
  afterAll(async () => {
    await restored?.close();
  });

  const status = async (purpose: string) => {
    const record = await restored.components.issuer.get(credential.id as string);
    const slot = record!.status.find((s) => s.purpose === purpose)!;
    return restored.components.statusLists.getStatus(slot);
  };

  it('starts from the backup, then takes the later lists in from a peer', async () => {
    expect(restored.components.identity.did).toBe(original.components.identity.did);
    expect([await status('revocation'), await status('suspension')]).toEqual([false, true]);
    await restored.components.publications.ingest(publishedLater, 'peer');
    await until(async () => (await status('revocation')) === true, 'the revocation from the peer');
    await until(async () => (await status('suspension')) === false, 'the lifted suspension from the peer');
  });

  it('signs the next change over the adopted bits', async () => {
    await restored.components.issuer.setStatus(credential.id, 'suspension', true);
    expect([await status('revocation'), await status('suspension')]).toEqual([true, true]);
    const report = await restored.components.verifier.verifyCredential(credential);
    expect(report.checks.find((c) => c.name === 'status')).toMatchObject({ status: 'failed' });
  });
});
