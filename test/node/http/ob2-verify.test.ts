/**
 * Open Badges 2.0 through the node's surfaces: POST /credentials/verify (an assertion, its URL, its JWS, with
 * `options.recipient`), POST /presentations/verify, and `ler-node verify FILE` (JSON, PNG, SVG, a JWS in a file),
 * with an issuer Profile a network member declares (decision 0034) so its badges have a trust path.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CompactSign } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bakePng, PNG_KEYWORD_V2 } from '../../../protocol/baking.ts';
import { type BadgeHost, startBadgeHost } from '../../helpers/badge-host.ts';
import { type HttpTestNode, startHttpTestNode } from '../../helpers/http-node.ts';
import { tempDir } from '../../helpers/node.ts';
import { ob2Fixture, servedDocuments } from '../../helpers/ob2.ts';
import { runCli } from '../../helpers/process.ts';
import { governance, governors } from '../../helpers/registry.ts';

type Json = Record<string, any>;

const ORIGIN = 'https://badges.example';
const PROFILE = `${ORIGIN}/issuer.json`;
const KEY = `${ORIGIN}/key.json`;
const BADGE = `${ORIGIN}/badge.json`;
const MEMBER = 'did:web:badges.example';
const LEARNER = 'learner@harbor.example';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

async function signedBadge(): Promise<string> {
  const assertion = {
    '@context': 'https://w3id.org/openbadges/v2',
    type: 'Assertion',
    id: 'urn:uuid:6a3c2a8e-0b7f-4a44-8b1e-3f0d1c7a9e55',
    recipient: {
      type: 'email',
      hashed: true,
      salt: 'pepper',
      identity: `sha256$${createHash('sha256').update(`${LEARNER}pepper`).digest('hex')}`,
    },
    issuedOn: new Date().toISOString(),
    badge: BADGE,
    verification: { type: 'SignedBadge', creator: KEY },
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(assertion)))
    .setProtectedHeader({ alg: 'RS256' })
    .sign(rsa.privateKey);
}

describe('when Open Badges 2.0 badges are verified through the node', () => {
  let host: BadgeHost;
  let node: HttpTestNode;
  let network: string;
  let jws: string;
  let dir: string;
  let gov: ReturnType<typeof governance>;

  async function post(path: string, body: unknown): Promise<{ status: number; body: Json }> {
    const res = await fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }

  beforeAll(async () => {
    const O = 'https://example.org/';
    host = await startBadgeHost({
      ...servedDocuments({
        [`${O}beths-robotics-badge.json`]: { file: 'validator-core/assertion.json' },
        [`${O}robotics-badge.json`]: { file: 'validator-core/badgeclass.json' },
        [`${O}organization.json`]: { file: 'validator-core/issuer.json' },
        [`${O}assertions/123`]: { file: 'spec/baked-hosted.assertion.json' },
        [`${O}badges/5`]: { file: 'spec/baked-hosted.badgeclass.json' },
        [`${O}issuer`]: { file: 'spec/baked-hosted.issuer.json' },
      }),
      [BADGE]: { body: JSON.stringify({ type: 'BadgeClass', id: BADGE, name: 'Forklift Safety', issuer: PROFILE }) },
      [PROFILE]: { body: JSON.stringify({ type: 'Issuer', id: PROFILE, name: 'Harbor Training', publicKey: KEY }) },
      [KEY]: {
        body: JSON.stringify({
          id: KEY,
          owner: PROFILE,
          publicKeyPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        }),
      },
    });
    // The node reaches the badges' hosts only through its own outbound fetcher, here pointed at the badge host.
    node = await startHttpTestNode({ network: { fetch: host.fetch, allowPrivateHosts: true } });
    gov = governance(node.components.registry, governors(1));
    network = await gov.createNetwork('Harbor Skills Network');
    await gov.act(network, {
      type: 'member.add',
      did: MEMBER,
      name: 'Harbor Training Institute',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
      ob2Profiles: [PROFILE],
    });
    jws = await signedBadge();
    dir = await tempDir();
  });
  afterAll(async () => {
    await node?.close();
    await host?.close();
  });

  it('verifies a signed badge of a member’s declared issuer Profile as trusted, with its recipient', async () => {
    const { status, body } = await post('/credentials/verify', {
      verifiableCredential: jws,
      options: { recipient: LEARNER },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ verified: true, trusted: true, trustPath: [network] });
    expect(body.issuer).toMatchObject({ did: PROFILE, name: 'Harbor Training Institute' });
    expect(body.checks.find((c: Json) => c.name === 'recipient')).toMatchObject({ status: 'ok' });
  });

  it('answers 400 RECIPIENT_MISMATCH for someone else, and refuses a malformed recipient option', async () => {
    const other = await post('/credentials/verify', {
      verifiableCredential: jws,
      options: { recipient: 'someone@harbor.example' },
    });
    expect(other.status).toBe(400);
    expect(other.body.errors.map((e: Json) => e.code)).toContain('RECIPIENT_MISMATCH');
    const malformed = await post('/credentials/verify', { verifiableCredential: jws, options: { recipient: 7 } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('verifies a hosted badge from its URL; its issuer, declared by nobody, is not trusted', async () => {
    const { status, body } = await post('/credentials/verify', {
      verifiableCredential: 'https://example.org/beths-robotics-badge.json',
    });
    expect(status).toBe(200);
    expect(body.verified).toBe(true);
    expect(body.trusted).toBe(false);
    expect(body.checks.find((c: Json) => c.name === 'trust')).toMatchObject({ status: 'failed', code: 'NOT_A_MEMBER' });
    expect(body.warnings.map((w: Json) => w.code)).toContain('RECIPIENT_NOT_CHECKED');
  });

  it('reports each badge a presentation carries', async () => {
    const { status, body } = await post('/presentations/verify', {
      verifiablePresentation: {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiablePresentation'],
        verifiableCredential: [jws, JSON.parse(ob2Fixture('validator-core/assertion.json').toString('utf8'))],
      },
      options: { recipient: LEARNER },
    });
    expect(status).toBe(200);
    expect(body.credentials.map((c: Json) => c.verified)).toEqual([true, false]);
    expect(body.credentials[0].trusted).toBe(true);
    // The second badge was awarded to nobody@example.org, not to the learner presenting.
    expect(body.credentials[1].errors.map((e: Json) => e.code)).toContain('RECIPIENT_MISMATCH');
  });

  it('refuses a second member’s claim to a declared issuer Profile, and a profile that is not https', async () => {
    await expect(
      gov.act(network, {
        type: 'member.add',
        did: 'did:web:impostor.example',
        name: 'Impostor',
        accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
        ob2Profiles: [PROFILE],
      }),
    ).rejects.toMatchObject({ code: 'ACTION_NOT_APPLICABLE', message: expect.stringContaining('OB2_PROFILE_CLAIMED') });
    expect((await post('/credentials/verify', { verifiableCredential: jws })).body.issuer.name).toBe(
      'Harbor Training Institute',
    );
    await expect(
      node.components.registry.propose(network, {
        type: 'member.add',
        did: 'did:web:other.example',
        name: 'Other',
        ob2Profiles: ['http://badges.example/issuer.json'],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ACTION' });
  });

  it('verifies badge files with the CLI: JSON, a baked PNG and SVG, a JWS; exit 1 for someone else', async () => {
    const files = {
      json: join(dir, 'badge.json'),
      png: join(dir, 'badge.png'),
      svg: join(dir, 'badge.svg'),
      jws: join(dir, 'badge.jws'),
      huge: join(dir, 'huge.png'),
    };
    const assertion = ob2Fixture('validator-core/assertion.json').toString('utf8');
    await writeFile(files.json, assertion);
    await writeFile(
      files.png,
      bakePng(ob2Fixture('validator-core/public_domain_heart.png'), assertion, PNG_KEYWORD_V2),
    );
    await writeFile(files.svg, ob2Fixture('spec/baked-hosted.svg'));
    await writeFile(files.jws, `${jws}\n`);
    await writeFile(
      files.huge,
      bakePng(ob2Fixture('validator-core/public_domain_heart.png'), 'x'.repeat(1_100_000), PNG_KEYWORD_V2),
    );
    const run = async (file: string, recipient?: string) => {
      const cli = runCli(['verify', file, '--url', node.url, ...(recipient ? ['--recipient', recipient] : [])]);
      const { code } = await cli.exited;
      return { code, out: cli.stdout(), err: cli.stderr() };
    };
    // Three processes at a time: the machine is shared.
    const [json, png, svg] = await Promise.all([
      run(files.json, 'nobody@example.org'),
      run(files.png, 'nobody@example.org'),
      run(files.svg, 'alice@example.org'),
    ]);
    const [signed, wrong, huge] = await Promise.all([
      run(files.jws, LEARNER),
      run(files.jws, 'someone@harbor.example'),
      run(files.huge),
    ]);
    for (const ok of [json, png, svg]) {
      expect(ok.code, ok.out + ok.err).toBe(0);
      expect(ok.out).toMatch(/^VALID/);
    }
    expect(signed.code, signed.out + signed.err).toBe(0);
    expect(signed.out).toMatch(/^VALID, TRUSTED/);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/^NOT VALID/);
    expect(wrong.out).toContain('RECIPIENT_MISMATCH');
    expect(huge.code).toBe(10);
    expect(huge.err).toContain('BAKED_TOO_LARGE');
  }, 180_000);
});
