/**
 * Phase 3, kill -9: an issuing node and a follower, both `ler-node` processes. Each round the issuer
 * comes up on the same ports, a client retries what was in flight when it died (as a real client would),
 * then issues, revokes and governs concurrently until SIGKILL at a seeded random moment. At the end every
 * acknowledged operation is looked up on the issuer, status slots are checked for reuse, and the
 * follower must show every acknowledged revocation (no follower left on a superseded status list).
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Api, api, badge, createGovernedNetwork, type Loose } from './api.ts';
import { type AttackNode, startNode } from './node-process.ts';
import { freePort, prng } from './ports.ts';

export interface CrashOptions {
  kills: number;
  seed: number;
  /** How long the follower may take to converge at the end. */
  followerWaitMs?: number;
  log: (line: string) => void;
}

export interface CrashFigures {
  kills: number;
  restartsFailed: number;
  issued: { acknowledged: number; found: number; lost: number };
  duplicateSlots: number;
  revoked: { acknowledged: number; retried: number; found: number; lost: number };
  governance: { acknowledged: number; found: number; lost: number };
  followerChecked: number;
  followerStale: number;
  followerWaitMs: number;
  followerMissingGovernance: number;
  notes: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LIST_LENGTH = '2048';

/** True when `node` reports the credential's status check failed (revoked). */
async function statusFailed(node: Api, vc: Loose): Promise<boolean> {
  const { body } = await node.call('POST', '/credentials/verify', { verifiableCredential: vc }, false);
  return (body.checks ?? []).find((c: Loose) => c.name === 'status')?.status === 'failed';
}

interface State {
  issued: Loose[];
  revoked: Set<string>;
  /** Revocations sent but not answered when the node died: the client retries them. */
  inFlightRevokes: Set<string>;
  retried: number;
  governance: string[];
  counter: number;
}

async function operate(client: Api, state: State, networkId: string, did: string, stop: { now: boolean }) {
  const issueLoop = async () => {
    while (!stop.now) {
      try {
        const n = state.counter++;
        const { status, body } = await client.call('POST', '/credentials/issue', {
          credential: badge(did, n),
          options: { cryptosuite: 'eddsa-jcs-2022' },
        });
        if (status === 201) state.issued.push(body.verifiableCredential);
      } catch {
        return; // killed mid-request: never acknowledged
      }
    }
  };
  const revokeLoop = async () => {
    while (!stop.now) {
      const target = state.issued.find((vc) => !state.revoked.has(vc.id) && !state.inFlightRevokes.has(vc.id));
      if (!target) {
        await sleep(10);
        continue;
      }
      state.inFlightRevokes.add(target.id);
      try {
        const { status } = await client.call('POST', '/credentials/status', { credentialId: target.id, status: true });
        if (status === 200) {
          state.inFlightRevokes.delete(target.id);
          state.revoked.add(target.id);
        }
      } catch {
        return; // stays in flight: retried after the restart
      }
    }
  };
  const governLoop = async () => {
    while (!stop.now) {
      try {
        const n = state.counter++;
        const { status, body } = await client.call('POST', '/proposals', {
          network: networkId,
          action: {
            type: 'member.update',
            did,
            name: `Crash College ${n}`,
            accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
          },
          options: { sign: true },
        });
        if (status === 201 && body.proposal?.approved) state.governance.push(body.proposal.id);
      } catch {
        return;
      }
    }
  };
  await Promise.all([issueLoop(), issueLoop(), revokeLoop(), governLoop()]);
}

export async function crashAttack(options: CrashOptions): Promise<CrashFigures> {
  const issuerDir = mkdtempSync(join(tmpdir(), 'ler-attack-crash-'));
  const followerDir = mkdtempSync(join(tmpdir(), 'ler-attack-follower-'));
  const random = prng(options.seed);
  const followerWaitMs = options.followerWaitMs ?? 60_000;
  const notes: string[] = [];
  const env = { LER_STATUS_LIST_LENGTH: LIST_LENGTH };
  const follower = await startNode({ dataDir: followerDir, env, verifyWorkers: 0 });
  const httpPort = await freePort();
  const p2pPort = await freePort();
  let issuer: AttackNode | undefined;
  let token = '';
  const startIssuer = async () =>
    startNode({
      dataDir: issuerDir,
      http: `127.0.0.1:${httpPort}`,
      p2p: `/ip4/127.0.0.1/tcp/${p2pPort}`,
      bootstrap: [follower.multiaddr],
      env,
      verifyWorkers: 0,
    });
  let restartsFailed = 0;
  const state: State = {
    issued: [],
    revoked: new Set(),
    inFlightRevokes: new Set(),
    retried: 0,
    governance: [],
    counter: 0,
  };
  try {
    issuer = await startIssuer();
    token = issuer.token;
    const did = issuer.did;
    const { networkId } = await createGovernedNetwork(api(issuer.url, token), { did, name: 'Crash College' });
    await api(issuer.url, token).must('POST', '/follows', { network: networkId });
    await api(follower.url, follower.token).must('POST', '/follows', { network: networkId });
    let kills = 0;
    while (kills < options.kills) {
      const client = api(issuer.url, token);
      // The client's retries of what it never saw answered.
      for (const id of [...state.inFlightRevokes]) {
        const { status } = await client.call('POST', '/credentials/status', { credentialId: id, status: true });
        if (status === 200) {
          state.inFlightRevokes.delete(id);
          state.revoked.add(id);
          state.retried++;
        } else if (status === 404) {
          state.inFlightRevokes.delete(id); // its issue was never acknowledged
        }
      }
      const stop = { now: false };
      const ops = operate(client, state, networkId, did, stop);
      await sleep(150 + Math.floor(random() * 750));
      await issuer.kill9();
      stop.now = true;
      await ops;
      kills++;
      if (kills % 5 === 0)
        options.log(
          `crash: ${kills} kills; ${state.issued.length} issues, ${state.revoked.size} revocations, ${state.governance.length} governance actions acknowledged`,
        );
      try {
        issuer = await startIssuer();
      } catch (error) {
        restartsFailed++;
        notes.push(`restart after kill ${kills} failed: ${(error as Error).message.slice(0, 300)}`);
        issuer = await startIssuer();
      }
    }
    const client = api(issuer.url, token);
    for (const id of [...state.inFlightRevokes]) {
      const { status } = await client.call('POST', '/credentials/status', { credentialId: id, status: true });
      if (status === 200) {
        state.revoked.add(id);
        state.retried++;
      }
    }

    // What the issuer still knows, asked without changing anything: a status change for a purpose the
    // credential was issued without is refused with 422 when the node knows the credential, 404 when not;
    // whether it is revoked, its own verification says (its own lists, no network).
    const slots = state.issued.map(
      (vc) => `${vc.credentialStatus?.statusListCredential}#${vc.credentialStatus?.statusListIndex}`,
    );
    const duplicateSlots = slots.length - new Set(slots).size;
    let issuedFound = 0;
    let revokedFound = 0;
    for (const vc of state.issued) {
      const { status } = await client.call('POST', '/credentials/status', {
        credentialId: vc.id,
        credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'suspension' },
        status: false,
      });
      // Any refusal but 404 means the node knows the credential; 422 is today's answer.
      if (status !== 404 && status < 500) issuedFound++;
      if (status !== 422 && status !== 404) notes.push(`a lookup of an acknowledged credential answered ${status}`);
      if (state.revoked.has(vc.id) && (await statusFailed(client, vc))) revokedFound++;
    }
    let governanceFound = 0;
    for (const id of state.governance) {
      const { status, body } = await client.call('GET', `/proposals/${id}`, undefined, false);
      if (status === 200 && body.proposal?.approved) governanceFound++;
    }

    // The follower: every acknowledged revocation must show there, once replication has had its time.
    const followerApi = api(follower.url, follower.token);
    const revokedCredentials = state.issued.filter((vc) => state.revoked.has(vc.id));
    let stale = revokedCredentials;
    const deadline = Date.now() + followerWaitMs;
    while (stale.length > 0) {
      const still: Loose[] = [];
      for (const vc of stale) {
        if (!(await statusFailed(followerApi, vc))) still.push(vc);
      }
      stale = still;
      if (stale.length === 0 || Date.now() > deadline) break;
      await sleep(2_000);
    }
    let followerMissingGovernance = 0;
    for (const id of state.governance) {
      const { body } = await followerApi.call('GET', `/proposals/${id}`, undefined, false);
      if (!body.proposal?.approved) followerMissingGovernance++;
    }
    // API.md: a revocation is final, clearing it is refused with 409. Tried last: it may change state.
    if (revokedCredentials.length > 0) {
      const { status, body } = await client.call('POST', '/credentials/status', {
        credentialId: revokedCredentials[0].id,
        status: false,
      });
      if (status !== 409)
        notes.push(
          `clearing an acknowledged revocation answered ${status} ${JSON.stringify(body).slice(0, 120)} (API.md: 409)`,
        );
    }
    return {
      kills,
      restartsFailed,
      issued: { acknowledged: state.issued.length, found: issuedFound, lost: state.issued.length - issuedFound },
      duplicateSlots,
      revoked: {
        acknowledged: state.revoked.size,
        retried: state.retried,
        found: revokedFound,
        lost: state.revoked.size - revokedFound,
      },
      governance: {
        acknowledged: state.governance.length,
        found: governanceFound,
        lost: state.governance.length - governanceFound,
      },
      followerChecked: revokedCredentials.length,
      followerStale: stale.length,
      followerWaitMs,
      followerMissingGovernance,
      notes: [...new Set(notes)],
    };
  } finally {
    await issuer?.stop();
    await follower.stop();
    await rm(issuerDir, { recursive: true, force: true });
    await rm(followerDir, { recursive: true, force: true });
  }
}
