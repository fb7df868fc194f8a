/**
 * The three pilot journeys of the AWPAB white paper as a federation of real
 * nodes (level, libp2p, gossip and sync on loopback, m-of-n governance). All
 * institutions are fictional. Used by `npm run demo` and, shortened, by the
 * test suite.
 */

import { BLUEWAVE, CROSSWALKS, CYBER, HOSPITAL, NORTHWIND, NURSING, RETAIL } from '../data/sample-skills.ts';
import { signActionId } from '../protocol/signing/governor-keys.ts';
import type { Crosswalk } from '../registry/skills/crosswalk.ts';
import type { SkillFramework } from '../registry/skills/framework.ts';
import { isValid, type VerificationReport } from '../registry/verification/report.ts';
import { connect, type Peer, startPeer, until } from '../test/helpers/peers.ts';
import { governors } from '../test/helpers/registry.ts';

export interface DemoStep {
  title: string;
  lines: string[];
  ok: boolean;
}

type Log = (step: DemoStep) => void;

function describe(report: VerificationReport): string[] {
  const trust = report.checks.find((c) => c.name === 'trust');
  const status = report.checks.find((c) => c.name === 'status');
  return [
    `verified: ${report.verified}   valid: ${isValid(report)}   trusted: ${report.trusted}`,
    `issuer (from the registry): ${report.issuer.name ?? '(not listed)'} — networks: ${report.issuer.networks.map((n) => n.name).join(', ') || 'none'}`,
    `trust path: ${report.trustPath?.join(' → ') ?? '(none)'}`,
    `status: ${status?.status}${status?.code ? ` (${status.code})` : ''}   trust: ${trust?.status}${trust?.code ? ` (${trust.code})` : ''} — ${trust?.message ?? ''}`,
    ...(report.skills ?? []).map(
      (s) =>
        `skill: ${s.skill ? `${s.skill.name} [${s.skill.code ?? s.skill.id}]` : `${s.alignment.targetName} (unresolved)`}${
          s.equivalents?.length ? ` ≈ ${s.equivalents.map((e) => `${e.name} (${e.relation})`).join(', ')}` : ''
        }`,
    ),
  ];
}

const badge = (name: string, holder: string, description: string, alignment?: Array<Record<string, unknown>>) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name,
  credentialSubject: {
    id: holder,
    type: ['AchievementSubject'],
    achievement: {
      id: `https://achievements.example/${encodeURIComponent(name)}`,
      type: ['Achievement'],
      name,
      description,
      criteria: { narrative: `Demonstrated ${name.toLowerCase()} in assessed work.` },
      ...(alignment ? { alignment } : {}),
    },
  },
});

export async function runDemo(log: Log, options: { quick?: boolean } = {}): Promise<boolean> {
  const peers: Peer[] = [];
  let allOk = true;
  const step = (title: string, lines: string[], ok = true) => {
    allOk &&= ok;
    log({ title, lines, ok });
  };
  const node = async (name: string) => {
    const p = await startPeer({ syncIntervalMs: 2_000 });
    if (peers.length > 0) await connect(p, peers[0]);
    peers.push(p);
    return { name, peer: p, did: p.components.identity.did };
  };
  const keys = governors(3);
  async function approve(at: Peer, id: string, signers = keys.slice(0, 2)) {
    for (const g of signers)
      await at.components.registry.approve(id, { signer: g.did, signature: signActionId(g, id) });
  }
  async function createNetwork(at: Peer, name: string) {
    const genesis = await at.components.registry.createNetwork({
      name,
      governors: keys.map((k) => k.did),
      threshold: 2,
    });
    await approve(at, genesis.id);
    return genesis.id;
  }
  async function govern(at: Peer, network: string, action: Record<string, unknown>) {
    const p = await at.components.registry.propose(network, action);
    await approve(at, p.id, [keys[1], keys[2]]);
    return p.id;
  }
  const admit = (at: Peer, network: string, who: { did: string; name: string }, types = ['OpenBadgeCredential']) =>
    govern(at, network, {
      type: 'member.add',
      did: who.did,
      name: who.name,
      accreditations: [{ credentialTypes: types }],
    });
  /** Waits until `verifier` holds the network and the issuer's publications (status lists, skills). */
  const replicated = (verifier: Peer, issuer: Peer, network: string) =>
    until(
      () =>
        verifier.components.registry.digest(network) === issuer.components.registry.digest(network) &&
        issuer.components.publications
          .list({ publisher: issuer.components.identity.did })
          .every((p) =>
            verifier.components.publications
              .list({ kind: p.kind, publisher: p.publisher })
              .some((q) => q.id === p.id && q.version >= p.version),
          ),
      'replication to the verifier',
      30_000,
    );
  const publishSkills = async (at: Peer, frameworks: SkillFramework[], crosswalks: Crosswalk[] = []) => {
    for (const f of frameworks)
      await at.components.publications.publishOwn('skill-framework', `${f.id}|${f.version}`, f as never);
    for (const c of crosswalks) await at.components.publications.publishOwn('skill-crosswalk', c.id, c as never);
  };
  const skill = (f: SkillFramework, code: string) => {
    const item = f.items.find((i) => i.code === code)!;
    return {
      type: ['Alignment'],
      targetName: item.name,
      targetUrl: item.id,
      targetFramework: f.name,
      targetCode: code,
    };
  };

  try {
    // Journey 1: retail worker, university skills, employer in another network.
    const university = await node('Lakeside State University');
    const retailer = await node('Northwind Stores');
    const pathways = await createNetwork(university.peer, 'Lakeside Learning Pathways');
    await admit(university.peer, pathways, university);
    const retail = await createNetwork(retailer.peer, 'Northwind Retail Workforce Network');
    await admit(retailer.peer, retail, retailer);
    await govern(retailer.peer, retail, {
      type: 'network.recognize',
      network: pathways,
      credentialTypes: ['OpenBadgeCredential'],
    });
    step('Networks created with 2-of-3 governor approvals', [
      `Lakeside Learning Pathways (${pathways}) admits Lakeside State University`,
      `Northwind Retail Workforce Network (${retail}) recognizes it for OpenBadgeCredential`,
    ]);
    await publishSkills(university.peer, [RETAIL]);
    await publishSkills(retailer.peer, [NORTHWIND], [CROSSWALKS[2]]);
    const associate = 'did:example:associate-jordan';
    const bm = await university.peer.components.issuer.issue(
      badge('Business Management Fundamentals', associate, 'Plans budgets and leads a store team.', [
        skill(RETAIL, 'RM-FI-1'),
        skill(RETAIL, 'RM-PE-1'),
      ]),
    );
    await replicated(retailer.peer, university.peer, pathways);
    const r1 = await retailer.peer.components.verifier.verifyCredential(bm);
    step('Journey 1 — Northwind verifies the associate’s university badge for a promotion', describe(r1), r1.trusted);

    // Journey 2: nurse, college and state board credentials; hospital verifies; second university grants credit.
    const college = await node('Riverside Community College');
    const board = await node('Columbia State Board of Nursing');
    const hospital = await node('St. Brigid Regional Hospital');
    const eastfield = await node('Eastfield University');
    const health = await createNetwork(hospital.peer, 'Tri-County Healthcare Talent Network');
    await admit(hospital.peer, health, college);
    await admit(hospital.peer, health, board, ['OpenBadgeCredential', 'LicenseCredential']);
    // Institutions follow the networks that admitted them (an operator's POST /follows).
    for (const member of [college, board]) await member.peer.components.follows.add(health);
    const academic = await createNetwork(eastfield.peer, 'Eastfield Academic Alliance');
    await govern(eastfield.peer, academic, {
      type: 'network.recognize',
      network: health,
      credentialTypes: ['OpenBadgeCredential'],
    });
    await publishSkills(college.peer, [NURSING]);
    await publishSkills(hospital.peer, [HOSPITAL], [CROSSWALKS[1]]);
    const nurse = 'did:example:nurse-amara';
    const rn = await board.peer.components.issuer.issue(
      badge('Registered Nurse License', nurse, 'Licensed to practise as a registered nurse.'),
    );
    const wound = await college.peer.components.issuer.issue(
      badge('Wound Care Certificate', nurse, 'Assesses and dresses complex wounds.', [skill(NURSING, 'NP-TX-3')]),
    );
    await replicated(hospital.peer, board.peer, health);
    await replicated(hospital.peer, college.peer, health);
    const h1 = await hospital.peer.components.verifier.verifyCredential(rn);
    const h2 = await hospital.peer.components.verifier.verifyCredential(wound);
    step(
      'Journey 2 — the hospital verifies the nurse’s license and college certificate',
      [...describe(h1), ...describe(h2)],
      h1.trusted && h2.trusted,
    );
    await replicated(eastfield.peer, college.peer, health);
    const e1 = await eastfield.peer.components.verifier.verifyCredential(wound);
    step('Journey 2 — Eastfield University accepts the college certificate for prior credit', describe(e1), e1.trusted);

    // Journey 3: cybersecurity credentials aligned to a skills framework; employer in another network.
    if (!options.quick) {
      const harbor = await node('Harbor Community College');
      const bluewave = await node('Bluewave Systems');
      const cyber = await createNetwork(harbor.peer, 'Harbor Cyber Workforce Network');
      await admit(harbor.peer, cyber, harbor);
      const employers = await createNetwork(bluewave.peer, 'Bluewave Employer Network');
      await govern(bluewave.peer, employers, { type: 'network.recognize', network: cyber });
      await publishSkills(harbor.peer, [CYBER]);
      await publishSkills(bluewave.peer, [BLUEWAVE], [CROSSWALKS[0]]);
      const analyst = await harbor.peer.components.issuer.issue(
        badge('Cyber Defense Analysis', 'did:example:analyst-kai', 'Triages alerts and investigates incidents.', [
          skill(CYBER, 'CY-IR-1'),
          skill(CYBER, 'CY-DE-1'),
        ]),
      );
      await replicated(bluewave.peer, harbor.peer, cyber);
      const c1 = await bluewave.peer.components.verifier.verifyCredential(analyst);
      step(
        'Journey 3 — Bluewave verifies a framework-aligned cyber credential from another network',
        describe(c1),
        c1.trusted,
      );
      // The job needs two of Bluewave's own skills: which does the credential evidence?
      const evidence = new Map<string, string>();
      for (const s of c1.skills ?? [])
        for (const e of s.equivalents ?? []) evidence.set(e.id, `${s.skill?.name} (${e.relation})`);
      const wanted = [`${BLUEWAVE.id}/SOC-1`, `${BLUEWAVE.id}/IAM-1`];
      step(
        'Journey 3 — matched against the SOC analyst job (Bluewave skills)',
        wanted.map(
          (id) =>
            `${BLUEWAVE.items.find((i) => i.id === id)?.name}: ${evidence.has(id) ? `evidenced by ${evidence.get(id)}` : 'not evidenced'}`,
        ),
        evidence.has(wanted[0]) && !evidence.has(wanted[1]),
      );
    }

    // A revocation reaches the verifier through its replica.
    await university.peer.components.issuer.setStatus(bm.id, 'revocation', true);
    await replicated(retailer.peer, university.peer, pathways);
    const r2 = await retailer.peer.components.verifier.verifyCredential(bm);
    step(
      'The university revokes the badge; Northwind sees it without calling the university',
      describe(r2),
      // VCALM calls a revoked credential verified (a warning); it is never valid nor trusted (decision 0022).
      !isValid(r2) && !r2.trusted && r2.warnings.some((w) => w.code === 'REVOKED'),
    );

    // A suspension: credentials issued before it stay trusted, those issued during it do not.
    await govern(hospital.peer, health, { type: 'member.suspend', did: college.did, reason: 'accreditation review' });
    const duringSuspension = await college.peer.components.issuer.issue(
      badge('IV Therapy Certificate', nurse, 'Starts and manages IV lines.'),
    );
    await replicated(hospital.peer, college.peer, health);
    const s1 = await hospital.peer.components.verifier.verifyCredential(wound);
    const s2 = await hospital.peer.components.verifier.verifyCredential(duringSuspension);
    step(
      'The network suspends Riverside Community College',
      ['issued before the suspension:', ...describe(s1), 'issued during the suspension:', ...describe(s2)],
      s1.trusted && !s2.trusted,
    );
  } finally {
    for (const p of peers) await p.destroy();
  }
  return allOk;
}
