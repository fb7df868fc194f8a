/**
 * `ler-node backup` and `ler-node restore` (decision 0040). A running node holds its database's lock, so a
 * backup of it is asked of the node (POST /backup, a snapshot streamed over HTTP); a stopped node's directory
 * is read directly. Either way the file is checked (count, checksum) before the command says it is done.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { NodeError } from '../errors.ts';
import { CliError, EXIT } from './cli-errors.ts';
import { callForStream } from './client.ts';
import type { CommandHelpers } from './command-helpers.ts';
import { emit } from './output.ts';

export function addBackupCommands(program: Command, helpers: CommandHelpers): void {
  const { out, clientOptions, client, env } = helpers;

  clientOptions(
    program
      .command('backup')
      .description(
        'write a consistent snapshot of a node to FILE: of a running node through its HTTP API (--url, --token), of a stopped one from --data',
      )
      .requiredOption('--out <file>', 'the backup file to write (never overwritten)')
      .option('--data <dir>', 'data directory (read directly when no node runs on it)'),
  ).action(async (options, cmd: Command) => {
    // Loaded here: the storage stack is needed by these commands only (see program.ts).
    const [{ backupStoppedNode }, { checkBackupFile, writeBackupFile }] = await Promise.all([
      import('../restore.ts'),
      import('../storage/backup.ts'),
    ]);
    const dataDir = (options.data as string | undefined) ?? env.LER_DATA;
    let via: 'data directory' | 'running node' = 'running node';
    if (dataDir !== undefined) {
      if (!existsSync(join(dataDir, 'db'))) {
        throw new CliError(`no node data directory at ${dataDir} (no db/ inside)`, EXIT.dataDirMissing);
      }
      try {
        await backupStoppedNode(dataDir, options.out, helpers.version);
        via = 'data directory';
      } catch (error) {
        if ((error as NodeError).code !== 'DATA_DIR_IN_USE') throw error;
      }
    }
    if (via === 'running node') {
      const response = await callForStream(client(options), 'POST', '/backup');
      await writeBackupFile(Readable.fromWeb(response.body as never), options.out);
    }
    const summary = await checkBackupFile(options.out);
    emit(
      out,
      cmd,
      { file: options.out, via, ...summary },
      `backed up ${summary.did} (${summary.entries} entries, from the ${via}) to ${options.out}\nsha256 ${summary.sha256}\n`,
    );
  });

  program
    .command('restore')
    .description(
      'restore a backup into a data directory (run with the node stopped); refuses a used one unless --force',
    )
    .requiredOption('--from <file>', 'the backup file')
    .option('--data <dir>', 'data directory (default ./.ler-data)')
    .option('--force', "set the directory's current node aside (kept in DIR/before-restore-…) and restore over it")
    .action(async (options, cmd: Command) => {
      const dataDir = (options.data as string | undefined) ?? env.LER_DATA ?? './.ler-data';
      const { restoreDataDir } = await import('../restore.ts');
      const result = await restoreDataDir(dataDir, options.from, { force: Boolean(options.force) });
      emit(
        out,
        cmd,
        result,
        [
          `restored ${result.did} (${result.entries} entries, backed up ${result.createdAt}) into ${dataDir}`,
          ...(result.setAside ? [`the previous contents are kept in ${result.setAside}`] : []),
          'start the node: it catches up from its peers on what its networks did since; new credentials go to new status lists',
          '',
        ].join('\n'),
      );
    });
}
