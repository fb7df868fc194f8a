/**
 * `npm run wallet`: the reference holder as a real process, receiving from and
 * presenting to a node on real HTTP.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpTestNode, startHttpTestNode } from '../helpers/http-node.ts';
import { sampleBadge, tempDir } from '../helpers/node.ts';
import { runCli } from '../helpers/process.ts';

const MAIN = fileURLToPath(new URL('../../scripts/wallet/main.ts', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The README's text from one heading to the next of the same level. */
function section(readme: string, heading: string): string {
  const start = readme.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`README has no "${heading}"`);
  const level = heading.split(' ')[0];
  const next = readme.slice(start + heading.length).search(new RegExp(`\n${level} `));
  return next < 0 ? readme.slice(start) : readme.slice(start, start + heading.length + next);
}

function wallet(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run wallet', () => {
  let node: HttpTestNode;
  let dir: string;

  beforeAll(async () => {
    node = await startHttpTestNode();
    dir = await tempDir('ler-wallet-');
  });
  afterAll(async () => {
    await node?.close();
  });

  it('creates a key, receives an offered credential, lists it and presents it', async () => {
    const init = await wallet(['init', '--dir', dir]);
    expect(init.code).toBe(0);
    const did = init.stdout.trim();
    expect(did).toMatch(/^did:key:z6Mk/);

    const { id: _id, ...subject } = sampleBadge().credentialSubject as Record<string, unknown>;
    const offer = (await (
      await fetch(`${node.url}/offers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
        body: JSON.stringify({ credential: { ...sampleBadge(), credentialSubject: subject }, txCode: true }),
      })
    ).json()) as Record<string, string>;
    const received = await wallet([
      'receive',
      offer.offerUriByReference,
      '--tx-code',
      offer.txCode,
      '--dir',
      dir,
      '--insecure',
    ]);
    expect(received.stderr).toBe('');
    expect(received.stdout).toContain('received Business Management Fundamentals');
    expect(await readdir(join(dir, 'credentials'))).toHaveLength(1);
    expect((await wallet(['list', '--dir', dir])).stdout).toContain(offer.credentialId);

    const request = (await (
      await fetch(`${node.url}/presentation-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
        body: '{}',
      })
    ).json()) as Record<string, string>;
    const presented = await wallet(['present', request.requestUri, '--dir', dir, '--insecure']);
    expect(presented.stderr).toBe('');
    expect(presented.stdout).toContain(`presented ${offer.credentialId}`);
    const result = (await (
      await fetch(request.resultUrl, { headers: { authorization: `Bearer ${request.resultToken}` } })
    ).json()) as { result: Record<string, unknown> };
    expect(result.result).toMatchObject({ verified: true, holder: did });
  });

  it('runs a VCALM issuance exchange from its interaction URL', async () => {
    const { id: _id, ...subject } = sampleBadge().credentialSubject as Record<string, unknown>;
    const created = (await (
      await fetch(`${node.url}/workflows/issuance/exchanges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
        body: JSON.stringify({ variables: { credential: { ...sampleBadge(), credentialSubject: subject } } }),
      })
    ).json()) as Record<string, string>;
    const answer = await wallet(['exchange', created.interactionUrl, '--dir', dir, '--insecure']);
    expect(answer.stderr).toBe('');
    expect(answer.stdout).toContain('received Business Management Fundamentals');
  });

  it('refuses http:// issuers unless told --insecure', async () => {
    const { id: _id, ...subject } = sampleBadge().credentialSubject as Record<string, unknown>;
    const { offerUri: offer } = (await (
      await fetch(`${node.url}/offers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
        body: JSON.stringify({ credential: { ...sampleBadge(), credentialSubject: subject } }),
      })
    ).json()) as Record<string, string>;
    const answer = await wallet(['receive', offer, '--dir', dir]);
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain('https');
  });

  // The README's walkthrough, as far as one node can run it: the badge file the skills example writes, offered
  // with the CLI, received and presented by the wallet, each printing what the README says it prints.
  it('runs the README wallet walkthrough with the badge file and the outputs the README shows', async () => {
    const readme = await readFile(README, 'utf8');
    const skills = section(readme, '### Skills: worked example');
    const wallets = section(readme, '## Wallets: OID4VCI, OID4VP, VCALM exchanges');
    const heredoc = /cat > triage-badge\.json <<'JSON'\n([\s\S]*?)\nJSON\n/.exec(skills);
    expect(heredoc, 'the skills example writes triage-badge.json').not.toBeNull();
    const badgeFile = join(dir, 'triage-badge.json');
    await writeFile(badgeFile, heredoc![1]);
    for (const line of [
      '# transaction code (give it to the learner separately): ',
      '# received Incident Triage from http://127.0.0.1:8181',
      '# presented urn:uuid:',
      '"state":"answered"',
    ]) {
      expect(wallets).toContain(line);
    }

    const offered = runCli(['offer', badgeFile, '--tx-code', '--url', node.url, '--token', node.adminToken]);
    expect((await offered.exited).code, offered.stderr()).toBe(0);
    const uri = offered.stdout().split('\n')[0];
    expect(uri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    const code = /^transaction code \(give it to the learner separately\): (\d+)$/m.exec(offered.stdout())?.[1];
    expect(code).toBeDefined();
    const credentialId = /for credential (\S+),/.exec(offered.stdout())?.[1];

    const walletDir = await tempDir('ler-wallet-readme-');
    expect((await wallet(['init', '--dir', walletDir])).code).toBe(0);
    const received = await wallet(['receive', uri, '--tx-code', code!, '--dir', walletDir, '--insecure']);
    expect(received.stderr).toBe('');
    expect(received.stdout).toContain(`received Incident Triage from ${node.url}`);

    const required = /-d '(\{"requiredSkills":[^']*\})'/.exec(wallets)?.[1];
    expect(required, 'the walkthrough asks for skills').toBeDefined();
    const request = (await (
      await fetch(`${node.url}/presentation-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` },
        body: required,
      })
    ).json()) as Record<string, string>;
    const presented = await wallet(['present', request.requestUri, '--dir', walletDir, '--insecure']);
    expect(presented.stderr).toBe('');
    expect(presented.stdout).toContain(`presented ${credentialId} to `);
    const view = (await (
      await fetch(request.resultUrl, { headers: { authorization: `Bearer ${request.resultToken}` } })
    ).json()) as { state: string; result: { verified: boolean; skills: { matches: unknown[] } } };
    expect(view.state).toBe('answered');
    expect(view.result.verified).toBe(true);
    expect(view.result.skills.matches).toHaveLength(2);
  });
});
