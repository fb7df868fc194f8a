/** What each group of `ler-node` subcommands is given by program.ts (one place, so groups stay alike). */
import type { Command } from 'commander';
import type { ClientOptions } from './client.ts';
import type { Out, ProgressStream } from './output.ts';

export interface CommandHelpers {
  out: Out;
  /** Adds `--url` and `--token` to a command that talks to a running node. */
  clientOptions: (cmd: Command) => Command;
  client: (options: { url: string; token?: string }) => ClientOptions;
  env: Record<string, string | undefined>;
  /** The package version (written into backups). */
  version: string;
  /** Where progress is drawn (stderr); silent unless it is a terminal. */
  progress: ProgressStream;
}
