/**
 * The clients verifiers already run, against a real ler-node process over HTTPS (a certificate made at test
 * time, trusted by the client processes through NODE_EXTRA_CA_CERTS): DCC's verifier-core with the
 * network's OpenID Federation entity configuration (and its legacy registry JSON) as known registries, and
 * Animo's @openid-federation/core resolving a member's trust chain to the network's trust anchor.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTlsFront, type TlsFront } from '../../../scripts/conformance/tls-front.ts';
import { sampleBadge, tempDir } from '../../helpers/node.ts';
import { type NodeProcess, startNodeProcess } from '../../helpers/process.ts';

const CLIENTS = fileURLToPath(new URL('./clients/', import.meta.url));

function runClient(script: string, args: string[], caFile: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(CLIENTS, script), ...args], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`client ${script} exited ${code}: ${out} ${err}`));
      }
    });
  });
}

describe('when the real OpenID Federation clients read a network of a ler-node process', () => {
  let dir: string;
  let front: TlsFront;
  let node: NodeProcess;
  let networkId: string;
  let did: string;
  let credentialFile: string;
  let anchor: string;

  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${node.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  const act = async (action: Record<string, unknown>) => {
    const p = await call('POST', '/proposals', { network: networkId, action, options: { sign: true } });
    expect(p.body.proposal?.status, JSON.stringify(p.body)).toBe('applied');
  };

  beforeAll(async () => {
    dir = await tempDir('ler-oidf-');
    let target = '';
    front = await startTlsFront(() => target, dir);
    node = await startNodeProcess(join(dir, 'node'), {}, 20_000, ['--public-url', front.url]);
    target = node.url;
    did = (await call('GET', '/health')).body.did;
    const governor = (await call('POST', '/governor-keys')).body.did;
    const created = await call('POST', '/networks', {
      name: 'Retail Skills Network',
      governors: [governor],
      threshold: 1,
      options: { sign: true },
    });
    networkId = created.body.network.id;
    const key = (await call('POST', '/oidf/keys')).body;
    await act({ type: 'federation.keys', keys: [{ ...key.jwk, alg: undefined, use: undefined, holder: front.url }] });
    await act({
      type: 'member.add',
      did,
      name: 'Riverside Community College',
      url: 'https://college.example',
      accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
    });
    const issued = await call('POST', '/credentials/issue', {
      credential: sampleBadge({ id: `urn:uuid:${randomUUID()}`, issuer: did }),
    });
    expect(issued.status).toBe(201);
    credentialFile = join(dir, 'credential.json');
    await writeFile(credentialFile, JSON.stringify(issued.body.verifiableCredential));
    anchor = `${front.url}/oidf/${networkId}`;
  }, 60_000);

  afterAll(async () => {
    node?.child.kill('SIGTERM');
    await node?.exited;
    await front?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const registries = () =>
    JSON.stringify([
      { name: 'Retail Skills Network', type: 'oidf', trustAnchorEC: `${anchor}/.well-known/openid-federation` },
      { name: 'Retail Skills Network (legacy)', type: 'dcc-legacy', url: `${anchor}/dcc-registry.json` },
    ]);

  it('DCC verifier-core reports the accredited member as a registered issuer, by name, in both formats', async () => {
    const result = await runClient('dcc-verifier.mjs', [credentialFile, registries()], front.caFile);
    const step = result.log?.find((s: any) => s.id === 'registered_issuer');
    expect(step, JSON.stringify(result)).toMatchObject({ valid: true, uncheckedRegistries: [] });
    expect(step.matchingIssuers).toHaveLength(2);
    for (const match of step.matchingIssuers) {
      expect(match.issuer.federation_entity).toMatchObject({
        organization_name: 'Riverside Community College',
        homepage_uri: 'https://college.example',
      });
    }
    expect(step.matchingIssuers[0].registry.federation_entity.organization_name).toBe('Retail Skills Network');
  }, 60_000);

  it('@openid-federation/core resolves and validates the member trust chain to the network trust anchor', async () => {
    const member = `${anchor}/members/${Buffer.from(did).toString('base64url')}`;
    const result = await runClient('oidf-resolver.mjs', [anchor, member], front.caFile);
    expect(result.error, JSON.stringify(result)).toBeUndefined();
    expect(result.anchor).toMatchObject({
      sub: anchor,
      metadata: { federation_entity: { federation_fetch_endpoint: `${anchor}/fetch` } },
    });
    // The library's chain: the anchor's subordinate statement about the member, then the anchor's configuration.
    expect(result.chains).toEqual([
      expect.objectContaining({ valid: true, length: 2, subs: [member, anchor], anchor }),
    ]);
    expect(result.chains[0].metadata.federation_entity.organization_name).toBe('Riverside Community College');
  }, 60_000);

  it('after the member is suspended, DCC verifier-core no longer finds it, and the chain no longer resolves', async () => {
    await act({ type: 'member.suspend', did, reason: 'audit' });
    const result = await runClient('dcc-verifier.mjs', [credentialFile, registries()], front.caFile);
    const step = result.log?.find((s: any) => s.id === 'registered_issuer');
    expect(step, JSON.stringify(result)).toMatchObject({ valid: false, matchingIssuers: [], uncheckedRegistries: [] });
    const member = `${anchor}/members/${Buffer.from(did).toString('base64url')}`;
    const resolved = await runClient('oidf-resolver.mjs', [anchor, member], front.caFile);
    expect(resolved.chains ?? []).toEqual([]);
  }, 60_000);
});
