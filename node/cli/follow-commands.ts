/**
 * `ler-node follows …`: which networks the node replicates (GET/POST/DELETE /follows) and the networks that
 * list its institution but that its operator has not accepted yet (GET /follows/offers; accepting one is a
 * follow, decision 0014).
 */
import type { Command } from 'commander';
import { CliError, EXIT } from './cli-errors.ts';
import { call } from './client.ts';
import type { CommandHelpers } from './command-helpers.ts';
import { emit } from './output.ts';

export function addFollowCommands(program: Command, helpers: CommandHelpers): void {
  const { out, clientOptions, client } = helpers;
  const follows = program.command('follows').description('networks this node follows, and offers to accept');
  const encoded = (network: string) => encodeURIComponent(network);

  clientOptions(follows.command('list').description('list followed networks (explicit ones marked)')).action(
    async (options, cmd: Command) => {
      const { body } = await call(client(options), 'GET', '/follows');
      const explicit = new Set(body.explicit as string[]);
      emit(out, cmd, body, () =>
        (body.follows as string[]).map((id) => `${id}\t${explicit.has(id) ? 'explicit' : 'derived'}\n`).join(''),
      );
    },
  );

  const addFollow = async (network: string, options: { url: string; token?: string }, cmd: Command) => {
    const { body } = await call(client(options), 'POST', '/follows', { network });
    emit(out, cmd, body, `${network}: ${body.added ? 'followed' : 'already followed'}\n`);
  };
  clientOptions(follows.command('add <network>').description('follow a network (replicate and serve it)')).action(
    (network, options, cmd: Command) => addFollow(network, options, cmd),
  );

  clientOptions(
    follows.command('remove <network>').description('stop following an explicitly followed network'),
  ).action(async (network, options, cmd: Command) => {
    const { body } = await call(client(options), 'DELETE', `/follows/${encoded(network)}`);
    emit(out, cmd, body, `${network}: no longer followed\n`);
  });

  const offers = follows.command('offers').description('networks that list this institution, not yet accepted');
  clientOptions(offers.command('list').description('list the offers')).action(async (options, cmd: Command) => {
    const { body } = await call(client(options), 'GET', '/follows/offers');
    const list = body.offers as string[];
    emit(out, cmd, body, list.length ? list.map((id) => `${id}\n`).join('') : 'no offers\n');
  });
  clientOptions(offers.command('accept <network>').description('accept an offer: follow that network')).action(
    async (network, options, cmd: Command) => {
      // Accepting is following; refusing what is not on offer keeps a typo from following a stranger's network.
      const { body } = await call(client(options), 'GET', '/follows/offers');
      if (!(body.offers as string[]).includes(network)) {
        throw new CliError(`${network} is not on offer (see \`ler-node follows offers list\`)`, EXIT.failed);
      }
      await addFollow(network, options, cmd);
    },
  );
  clientOptions(
    offers.command('decline <network>').description('decline an offer: it is not offered or pulled again'),
  ).action(async (network, options, cmd: Command) => {
    const { body } = await call(client(options), 'POST', `/follows/offers/${encodeURIComponent(network)}/decline`, {});
    emit(out, cmd, body, `${network}: declined\n`);
  });
}
