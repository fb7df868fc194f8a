/**
 * `ler-node offer FILE` against a real node process, and a pending offer that
 * outlives a restart of that process (all offer state is in level).
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHolderKey } from '../../../scripts/wallet/holder-key.ts';
import { receiveCredential } from '../../../scripts/wallet/receive.ts';
import { sampleBadge, tempDir } from '../../helpers/node.ts';
import { type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('ler-node offer and a restart', () => {
  let dir: string;
  let port: number;
  let node: NodeProcess | undefined;

  beforeAll(async () => {
    setGlobalConfig({ allowInsecureUrls: true });
    dir = await tempDir();
    port = await freePort();
  });
  afterAll(async () => {
    setGlobalConfig({ allowInsecureUrls: false });
    node?.child.kill('SIGTERM');
    await node?.exited;
  });

  it('prints an offer URI, a QR code and the transaction code; the offer survives a restart', async () => {
    node = await startNodeProcess(join(dir, 'data'), {}, 20_000, ['--http', `127.0.0.1:${port}`]);
    const token = node.token!;
    const file = join(dir, 'badge.json');
    const { id: _id, ...subject } = sampleBadge().credentialSubject as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...sampleBadge(), credentialSubject: subject }));
    const cli = runCli(['offer', file, '--url', node.url, '--token', token, '--tx-code']);
    expect((await cli.exited).code).toBe(0);
    const printed = cli.stdout();
    const uri = /^(openid-credential-offer:\/\/\S+)$/m.exec(printed)?.[1];
    const txCode = /transaction code[^:]*: (\d+)/.exec(printed)?.[1];
    expect(uri).toContain('credential_offer_uri=');
    expect(txCode).toMatch(/^\d{6}$/);
    // The terminal QR code: block characters.
    expect(printed).toMatch(/[▀▄█]/);

    node.child.kill('SIGTERM');
    expect((await node.exited).code).toBe(0);
    node = await startNodeProcess(join(dir, 'data'), {}, 20_000, ['--http', `127.0.0.1:${port}`]);

    const holder = await generateHolderKey();
    const { credential } = await receiveCredential({ offerUri: uri!, key: holder, txCode });
    expect((credential.credentialSubject as Record<string, unknown>).id).toBe(holder.did);
  });
});
