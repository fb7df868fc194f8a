/**
 * An idle node does not load what only some requests need (decision 0050): the JSON-LD proof stack (jsonld.js
 * through jsonld-signatures, @digitalbazaar/vc, the cryptosuites), zod with the API schemas, and the QR code
 * library are imported by the first request that uses them. Observed on a real `ler-node` process through a module-tracing preload.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBadge, tempDir } from '../helpers/node.ts';
import { type NodeProcess, startNodeProcess } from '../helpers/process.ts';

const PRELOAD = fileURLToPath(new URL('../helpers/module-trace-preload.mjs', import.meta.url));

// What an idle node must not have loaded, by the path of a module each of them loads first.
const LAZY = {
  'jsonld-signatures': /\/node_modules\/jsonld-signatures\//,
  '@digitalbazaar/vc': /\/node_modules\/@digitalbazaar\/vc\//,
  'the cryptosuites': /\/node_modules\/@digitalbazaar\/eddsa-rdfc-2022-cryptosuite\//,
  'protocol/signing/suites.ts': /\/protocol\/signing\/suites\.ts$/,
  zod: /\/node_modules\/zod\//,
  'the API schemas': /\/node\/http\/api-schemas\//,
  qrcode: /\/node_modules\/qrcode\//,
};

describe('an idle ler-node process', () => {
  let dir: string;
  let trace: string;
  let node: NodeProcess;
  const loaded = async () => {
    const urls = (await readFile(trace, 'utf8')).split('\n');
    return Object.entries(LAZY)
      .filter(([, pattern]) => urls.some((url) => pattern.test(url)))
      .map(([name]) => name);
  };
  const post = async (path: string, body: unknown) =>
    fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${node.token}` },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    dir = await tempDir();
    trace = join(dir, 'modules.txt');
    node = await startNodeProcess(join(dir, 'data'), {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${PRELOAD}`.trim(),
      LER_TEST_MODULE_TRACE: trace,
    });
  });
  afterAll(async () => {
    if (node?.child.exitCode === null) node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('has not loaded the JSON-LD proof stack, zod and the API schemas, or qrcode until a request needs them', async () => {
    expect((await fetch(`${node.url}/health`)).status).toBe(200);
    expect(await loaded()).toEqual([]);

    const issued = await post('/credentials/issue', { credential: sampleBadge({ issuer: node.did }) });
    expect(issued.status).toBe(201);
    const { verifiableCredential } = (await issued.json()) as { verifiableCredential: unknown };
    // Verified in this process (the helper starts nodes with --verify-workers 0).
    const verified = await post('/credentials/verify', { verifiableCredential });
    expect(verified.status).toBe(200);
    expect(((await verified.json()) as { verified: boolean }).verified).toBe(true);
    const { id: _id, ...subject } = sampleBadge().credentialSubject as Record<string, unknown>;
    const offer = await post('/offers', { credential: { ...sampleBadge(), credentialSubject: subject } });
    expect(offer.status).toBe(201);
    const { qr } = (await offer.json()) as { qr: { svg: string } };
    expect(await (await fetch(qr.svg)).text()).toContain('<svg');
    expect(await loaded()).toEqual(Object.keys(LAZY));
  });
});
