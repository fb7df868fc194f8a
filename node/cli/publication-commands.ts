/** `ler-node publications …`: publish as this node's institution (POST /publications) and read the replica. */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { PUBLICATION_KINDS } from '../../registry/publications.ts';
import { parseJson } from './cli-errors.ts';
import { call } from './client.ts';
import type { CommandHelpers } from './command-helpers.ts';
import { emit } from './output.ts';

export function addPublicationCommands(program: Command, helpers: CommandHelpers): void {
  const { out, clientOptions, client } = helpers;
  const publications = program.command('publications').description('publish as this institution; read the replica');

  clientOptions(
    publications
      .command('publish <file>')
      .description('sign and publish the JSON body in FILE to every network the institution is a member of')
      .requiredOption('--kind <kind>', PUBLICATION_KINDS.join(' | '))
      .requiredOption('--id <id>', 'publication id (unique per publisher and kind)')
      .option('--version <n>', 'version (default: one above the current)', (v) => Number(v)),
  ).action(async (file, options, cmd: Command) => {
    const body = parseJson(await readFile(file, 'utf8'), file);
    const result = await call(client(options), 'POST', '/publications', {
      kind: options.kind,
      id: options.id,
      ...(options.version !== undefined ? { version: options.version } : {}),
      body,
    });
    const p = result.body.publication as Record<string, unknown>;
    emit(out, cmd, result.body, `published ${p.kind} ${p.id} version ${p.version}\n`);
  });

  clientOptions(
    publications
      .command('list')
      .description('list the publications this node holds (and equivocation evidence)')
      .option('--publisher <did>', 'only this publisher')
      .option('--kind <kind>', 'only this kind'),
  ).action(async (options, cmd: Command) => {
    const query = new URLSearchParams({
      ...(options.publisher ? { publisher: options.publisher } : {}),
      ...(options.kind ? { kind: options.kind } : {}),
    });
    const { body } = await call(client(options), 'GET', `/publications?${query}`);
    const list = body.publications as Array<Record<string, unknown>>;
    const equivocations = (body.equivocations as unknown[] | undefined) ?? [];
    emit(out, cmd, body, () =>
      [
        ...list.map((p) => `${p.publisher}\t${p.kind}\t${p.id}\tv${p.version}\t${p.publishedAt}\n`),
        list.length ? '' : 'no publications\n',
        equivocations.length ? `${equivocations.length} equivocation(s) kept as evidence (see --json)\n` : '',
      ].join(''),
    );
  });
}
