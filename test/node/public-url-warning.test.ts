/**
 * A node whose public URL is plain http on a non-loopback host issues credentials no other node can check:
 * it says so when it starts (issue 15, 10).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publicUrlWarning } from '../../node/public-url-check.ts';
import { tempDir } from '../helpers/node.ts';
import { type NodeProcess, startNodeProcess } from '../helpers/process.ts';

describe('when a node starts with a public URL', () => {
  const dirs: string[] = [];
  const nodes: NodeProcess[] = [];
  afterAll(async () => {
    for (const node of nodes) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  async function start(extra: string[]) {
    const dir = await tempDir();
    dirs.push(dir);
    const node = await startNodeProcess(join(dir, 'data'), {}, 20_000, extra);
    nodes.push(node);
    // The warning precedes the banner; an HTTP round trip after it makes sure stderr has been read.
    await fetch(`${node.url}/health`);
    return node;
  }

  it('warns on stderr when it is http and not loopback', async () => {
    const node = await start(['--public-url', 'http://node.example.edu']);
    expect(node.stderr()).toMatch(/warning: the public URL http:\/\/node\.example\.edu is not https/);
  });

  it('does not warn for https, nor for loopback (a developer machine)', async () => {
    const node = await start(['--public-url', 'https://node.example.edu']);
    expect(node.stderr()).not.toMatch(/warning: the public URL/);
    const local = await start([]);
    expect(local.stderr()).not.toMatch(/warning: the public URL/);
  });

  it('tells loopback from other hosts by address range', () => {
    for (const url of ['http://127.0.0.1:8080', 'http://127.8.9.1', 'http://[::1]:80', 'http://localhost:1'])
      expect(publicUrlWarning(url, true)).toBeUndefined();
    for (const url of ['http://0.0.0.0:8080', 'http://10.0.0.5', 'http://[::ffff:8.8.8.8]', 'http://node.example'])
      expect(publicUrlWarning(url, true)).toMatch(/is not https/);
    expect(publicUrlWarning('http://0.0.0.0:8080', false)).toMatch(/no --public-url given/);
  });
});
