import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerificationReport } from '../../../registry/verification/report.ts';
import { sampleBadge } from '../../helpers/node.ts';
import { connect, type Peer, startPeer, until } from '../../helpers/peers.ts';
import { governance, governors } from '../../helpers/registry.ts';

const status = (r: VerificationReport) => r.checks.find((c) => c.name === 'status');

describe('when a verification report is built from the replica (issue 15, defect 1: the freshness rule)', () => {
  let issuer: Peer;
  let follower: Peer | undefined;
  let network: string;
  let valid: Record<string, unknown>;
  let revoked: Record<string, unknown>;
  let followerDir: string;
  const extra: Peer[] = [];

  beforeAll(async () => {
    // The periodic round an hour away: only syncs on connect (and at start) count.
    issuer = await startPeer({ syncIntervalMs: 3_600_000 });
    const gov = governance(issuer.components.registry, governors(1));
    network = await gov.createNetwork('Freshness Network');
    await gov.act(network, {
      type: 'member.add',
      did: issuer.components.identity.did,
      name: 'Riverside College',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    const did = issuer.components.identity.did;
    valid = (await issuer.components.issuer.issue(sampleBadge({ issuer: did }))) as Record<string, unknown>;
    revoked = (await issuer.components.issuer.issue(sampleBadge({ issuer: did }))) as Record<string, unknown>;
    await issuer.components.issuer.setStatus(String(revoked.id), 'revocation', true);
    follower = await startPeer({ anchors: [network], syncIntervalMs: 3_600_000 });
    followerDir = follower.dir;
    await connect(follower, issuer);
    await until(
      () => follower!.components.publications.list({ kind: 'status-list' }).length > 0,
      'the status list at the follower',
    );
  });
  afterAll(async () => {
    await follower?.destroy();
    for (const p of extra) await p.destroy();
    await issuer?.destroy();
  });

  it('says when the replica last synced with a peer of the network, as an ISO time and an age', async () => {
    await until(() => follower!.components.freshness.of([network]).current, 'a complete sync');
    const report = await follower!.components.verifier.verifyCredential(valid);
    expect(status(report)).toMatchObject({ status: 'ok' });
    expect(report.freshness?.current).toBe(true);
    const [entry] = report.freshness!.networks;
    expect(entry.network).toBe(network);
    expect(new Date(entry.lastSyncAt!).toISOString()).toBe(entry.lastSyncAt);
    expect(entry.ageSeconds).toBeGreaterThanOrEqual(0);
  });

  it('reports a credential of its own lists without a replica freshness (they are the source)', async () => {
    const report = await issuer.components.verifier.verifyCredential(valid);
    expect(status(report)).toMatchObject({ status: 'ok' });
    expect(report.freshness).toBeUndefined();
  });

  it('does not present "not set" as current after a restart without peers: STATUS_REPLICA_STALE, not valid', async () => {
    await follower!.stop();
    follower = undefined;
    const restarted = await startPeer({ dir: followerDir, anchors: [network], syncIntervalMs: 3_600_000 });
    extra.push(restarted);
    const report = await restarted.components.verifier.verifyCredential(valid);
    expect(status(report)).toMatchObject({ status: 'unchecked', code: 'STATUS_REPLICA_STALE' });
    expect(report.warnings.map((w) => w.code)).toContain('STATUS_REPLICA_STALE');
    expect(report.trusted).toBe(false);
    expect(report.freshness).toMatchObject({ current: false, networks: [{ network }] });
    expect(report.freshness!.networks[0].lastSyncAt).toBeUndefined();
    // A revocation the stale copy holds stands: it is final, and no later change can undo it.
    const gone = await restarted.components.verifier.verifyCredential(revoked);
    expect(status(gone)).toMatchObject({ status: 'failed', code: 'REVOKED' });

    await connect(restarted, issuer);
    await until(() => restarted.components.freshness.of([network]).current, 'a sync after the restart');
    const fresh = await restarted.components.verifier.verifyCredential(valid);
    expect(status(fresh)).toMatchObject({ status: 'ok' });
    expect(fresh.trusted).toBe(true);
    expect(fresh.freshness?.networks[0].lastSyncAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
