/** Prints the figures of each phase and judges them against the targets of issue 16 ("Done when"). */
import type { CrashFigures } from './crash-attack.ts';
import type { HttpAttackFigures } from './http-attack.ts';
import type { AttackOptions } from './options.ts';
import type { RogueFigures } from './rogue-attack.ts';

export interface AllFigures {
  http?: HttpAttackFigures;
  rogue?: RogueFigures;
  crash?: CrashFigures;
}

export interface Target {
  name: string;
  pass: boolean;
  value: string;
  /** Informational: shown, but does not fail the run. */
  info?: boolean;
}

const mib = (n: number) => `${n.toFixed(0)} MiB`;

export function printFigures(f: AllFigures, options: AttackOptions): void {
  if (f.http) {
    const h = f.http;
    console.log('\n== HTTP ==');
    console.log(`requests: ${h.requests} (seed ${options.seed}, concurrency ${options.concurrency})`);
    console.log(
      `by status: ${Object.entries(h.byStatus)
        .sort()
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')}`,
    );
    console.log(`5xx (other than the documented 501): ${h.fiveXx}`);
    console.log(
      `non-JSON answers: ${h.nonJson}; errors not in the error shape: ${h.badErrorShape}; admin routes answered without a valid token: ${h.adminBypass}`,
    );
    console.log(
      `admin sweep: ${h.adminSweep.refused}/${h.adminSweep.requests} requests with bad credentials refused (4xx)`,
    );
    console.log(`transport errors (reset, timeout): ${h.transportErrors}`);
    console.log(`slowest response: ${h.slowest.ms.toFixed(0)} ms (${h.slowest.label})`);
    console.log(
      `outbound connections seen by loopback listeners: ${h.outboundConnections}${h.outboundSeen.length ? ` (${[...new Set(h.outboundSeen)].join('; ')})` : ''}`,
    );
    console.log(
      `slowloris: ${h.slowloris.closedByNode}/${h.slowloris.sockets} sockets closed by the node within ${h.slowloris.capMs} ms; longest held ${h.slowloris.longestMs} ms`,
    );
    console.log(
      `oversized bodies (10 MiB, ${h.oversized.requests} at once): ${Object.entries(h.oversized.statuses)
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')}; slowest ${h.oversized.slowestMs.toFixed(0)} ms`,
    );
    console.log(
      `RSS: ${mib(h.rss.beforeMiB)} before (after GC), peak ${mib(h.rss.peakMiB)}, ${mib(h.rss.afterMiB)} after (after GC): ${h.rss.growthPct >= 0 ? '+' : ''}${h.rss.growthPct.toFixed(1)}%`,
    );
    console.log(
      `valid credentials verifying: before ${h.validBefore.checked - h.validBefore.failed}/${h.validBefore.checked}, after ${h.validAfter.checked - h.validAfter.failed}/${h.validAfter.checked}`,
    );
    for (const why of h.validAfter.why) console.log(`  after the attack: ${why}`);
    if (h.samples.length) {
      console.log('examples of failed answers (first of each kind):');
      for (const s of h.samples) console.log(`  [${s.kind}] ${s.request}\n      → ${s.detail}`);
    }
  }
  if (f.rogue) {
    const r = f.rogue;
    console.log('\n== Rogue peer ==');
    console.log(
      `mutations sent: ${r.mutations} (gossip ${r.gossipSent}, entries in sync answers ${r.syncEntriesServed}, sync requests from honest nodes answered ${r.syncRequestsAnswered}, fake inventory pages ${r.inventoryPagesServed}, hostile sync requests sent ${r.hostileRequests})`,
    );
    console.log('per kind: sent / stored by an honest node / forwarded to the observer');
    for (const [kind, k] of Object.entries(r.byKind))
      console.log(`  ${kind}: ${k.sent} / ${k.stored} / ${k.forwarded}`);
    console.log(`stored items nobody entitled signed: ${r.storedUnsigned}; forwarded: ${r.forwardedUnsigned}`);
    console.log(
      `invented networks stored: ${r.inventedNetworksStored}; followed or anchored: ${r.inventedNetworksAdopted}`,
    );
    console.log(`revocations undone by a republished list: ${r.revocationsUndone}`);
    console.log(`equivocation: evidence kept on ${r.equivocationEvidence}/2 honest nodes`);
    console.log(`positive control (a governor-signed action sent by the rogue): accepted by ${r.controlAccepted}/2`);
    console.log(`honest RSS: ${r.honestRss.map((x) => `${mib(x.before)} → ${mib(x.after)}`).join(', ')}`);
    for (const n of r.notes) console.log(`  note: ${n}`);
  }
  if (f.crash) {
    const c = f.crash;
    console.log('\n== kill -9 ==');
    console.log(`kills: ${c.kills} (restarts failed: ${c.restartsFailed})`);
    console.log(
      `issues: ${c.issued.acknowledged} acknowledged, ${c.issued.found} found after restarts, ${c.issued.lost} lost; status slots handed out twice: ${c.duplicateSlots}`,
    );
    console.log(
      `revocations: ${c.revoked.acknowledged} acknowledged (${c.revoked.retried} after a retry), ${c.revoked.found} found, ${c.revoked.lost} lost`,
    );
    console.log(
      `governance: ${c.governance.acknowledged} acknowledged, ${c.governance.found} found, ${c.governance.lost} lost`,
    );
    console.log(
      `follower: ${c.followerStale} revoked credentials still valid at the follower after ${c.followerWaitMs} ms (of ${c.followerChecked}); governance actions missing at the follower: ${c.followerMissingGovernance}`,
    );
    for (const n of c.notes) console.log(`  note: ${n}`);
  }
}

export function targetsOf(f: AllFigures, options: AttackOptions): Target[] {
  const t: Target[] = [];
  if (f.http) {
    const h = f.http;
    t.push({ name: 'HTTP requests ≥ 10,000', pass: h.requests >= 10_000, value: String(h.requests), info: true });
    t.push({ name: '0 responses 5xx (other than the documented 501)', pass: h.fiveXx === 0, value: String(h.fiveXx) });
    t.push({
      name: '0 outbound connections to loopback/private listeners',
      pass: h.outboundConnections === 0,
      value: String(h.outboundConnections),
    });
    t.push({
      name: '0 verification failures of a valid credential after the attack',
      pass: h.validAfter.failed === 0 && h.validBefore.failed === 0,
      value: `${h.validAfter.failed} of ${h.validAfter.checked}`,
    });
    t.push({
      name: 'RSS within 20% of the start after a GC',
      pass: h.rss.growthPct <= 20,
      value: `${h.rss.growthPct.toFixed(1)}%`,
    });
    t.push({
      name: '0 admin routes answered without a valid token',
      pass: h.adminBypass === 0,
      value: String(h.adminBypass),
    });
    t.push({
      name: 'every answer JSON, errors in the error shape',
      pass: h.nonJson + h.badErrorShape === 0,
      value: String(h.nonJson + h.badErrorShape),
      info: true,
    });
    t.push({ name: 'the node survived', pass: !h.nodeCrashed, value: h.nodeCrashed ? 'crashed' : 'alive' });
  }
  if (f.rogue) {
    const r = f.rogue;
    t.push({ name: 'rogue mutations ≥ 1,000', pass: r.mutations >= 1_000, value: String(r.mutations), info: true });
    t.push({
      name: '0 accepted (stored) items the governors or the issuer did not sign',
      pass: r.storedUnsigned === 0,
      value: String(r.storedUnsigned),
    });
    t.push({
      name: '0 forwarded items the governors or the issuer did not sign',
      pass: r.forwardedUnsigned === 0,
      value: String(r.forwardedUnsigned),
    });
    t.push({
      name: '0 invented networks adopted (followed or anchored)',
      pass: r.inventedNetworksAdopted === 0,
      value: String(r.inventedNetworksAdopted),
    });
    t.push({
      name: '0 revocations undone by another member',
      pass: r.revocationsUndone === 0,
      value: String(r.revocationsUndone),
    });
    t.push({
      name: 'the harness reached the honest nodes (positive control accepted)',
      pass: r.controlAccepted === 2,
      value: `${r.controlAccepted}/2`,
      info: true,
    });
  }
  if (f.crash) {
    const c = f.crash;
    t.push({ name: 'kills ≥ 30', pass: c.kills >= 30, value: String(c.kills), info: true });
    t.push({
      name: '0 acknowledged operations lost',
      pass: c.issued.lost + c.revoked.lost + c.governance.lost + c.duplicateSlots === 0,
      value: `${c.issued.lost} issues, ${c.revoked.lost} revocations, ${c.governance.lost} governance, ${c.duplicateSlots} shared slots`,
    });
    t.push({
      name: '0 followers left on a superseded status list',
      pass: c.followerStale === 0,
      value: String(c.followerStale),
    });
    t.push({ name: 'every restart came up', pass: c.restartsFailed === 0, value: String(c.restartsFailed) });
  }
  void options;
  return t;
}
