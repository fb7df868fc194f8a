/**
 * `ler-node follows list|add|remove` and `follows offers list|accept` against a real `ler-node` process. An
 * offer is a network held here that lists this node's institution but that its operator has not accepted:
 * made here by creating a network that admits the node and then unfollowing it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/node.ts';
import { adminApi, type NodeProcess, runCli, startNodeProcess } from '../../helpers/process.ts';

describe('ler-node follows', () => {
  let dir: string;
  let node: NodeProcess;
  let network: string;
  // Network ids may begin with '-': after `--` they are arguments, never options.
  const cli = async (...args: string[]) => {
    const split = args.indexOf('--');
    const [command, ids] = split < 0 ? [args, []] : [args.slice(0, split), args.slice(split + 1)];
    const run = runCli([...command, '--url', node.url, '--', ...ids], { LER_ADMIN_TOKEN: node.token! });
    const { code } = await run.exited;
    return { code, out: run.stdout(), err: run.stderr() };
  };
  const api = adminApi(() => node);

  beforeAll(async () => {
    dir = await tempDir('ler-follows-');
    node = await startNodeProcess(join(dir, 'node'));
    const governor = (await api('POST', '/governor-keys')).did;
    network = (
      await api('POST', '/networks', { name: 'Pilot', governors: [governor], threshold: 1, options: { sign: true } })
    ).network.id;
    const admitted = await api('POST', '/proposals', {
      network,
      action: {
        type: 'member.add',
        did: node.did,
        name: 'College',
        accreditations: [{ credentialTypes: ['OpenBadgeCredential'] }],
      },
      options: { sign: true },
    });
    expect(admitted.proposal.status).toBe('applied');
  }, 60_000);
  afterAll(async () => {
    if (node?.child.exitCode === null) node.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('lists, removes, offers and accepts, in text and with --json', async () => {
    const listed = await cli('follows', 'list');
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toBe(`${network}\texplicit\n`);

    const removed = await cli('follows', 'remove', '--', network);
    expect(removed.code, removed.err).toBe(0);
    expect(removed.out).toBe(`${network}: no longer followed\n`);
    // Still held, and it lists this institution: an offer now.
    const offers = await cli('--json', 'follows', 'offers', 'list');
    expect(offers.code, offers.err).toBe(0);
    expect(JSON.parse(offers.out)).toMatchObject({ offers: [network], declined: [] });

    const accepted = await cli('follows', 'offers', 'accept', '--', network);
    expect(accepted.code, accepted.err).toBe(0);
    expect(accepted.out).toBe(`${network}: followed\n`);
    expect((await api('GET', '/follows')).explicit).toEqual([network]);

    // Accepting what is not on offer is refused (a typo never follows a stranger's network).
    const stranger = 'C'.repeat(43);
    const refused = await cli('follows', 'offers', 'accept', '--', stranger);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/not on offer/);
    const added = await cli('--json', 'follows', 'add', '--', stranger);
    expect(added.code, added.err).toBe(0);
    expect(JSON.parse(added.out)).toMatchObject({ network: stranger, added: true });
    const notFollowed = await cli('follows', 'remove', '--', 'D'.repeat(43));
    expect(notFollowed.code).toBe(1);
    expect(notFollowed.err).toMatch(/NOT_FOUND/);

    // Declined, an offer stays declined: it is no longer listed.
    expect((await cli('follows', 'remove', '--', network)).code).toBe(0);
    const declined = await cli('follows', 'offers', 'decline', '--', network);
    expect(declined.code, declined.err).toBe(0);
    expect(declined.out).toBe(`${network}: declined\n`);
    expect(await api('GET', '/follows/offers')).toMatchObject({ offers: [], declined: [network] });
  }, 120_000);
});
