/** Entry point of `ler-node`: wires the process (argv, env, signals, exit codes) to the CLI. */
import './polyfills.ts';
import { CommanderError } from 'commander';
import { ProtocolError } from '../protocol/errors.ts';
import { RegistryError } from '../registry/errors.ts';
import { ClientError } from './cli/client.ts';
import { createProgram } from './cli/program.ts';
import { NodeError } from './errors.ts';
import { surviveNetworkErrors } from './network-errors.ts';

surviveNetworkErrors((error) => process.stderr.write(`network error survived: ${(error as Error).message}\n`));

const program = createProgram({
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stopSignal: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }),
});

try {
  await program.parseAsync(process.argv);
  // Libraries (libp2p, pino) may leave handles behind; a finished command should not linger.
  process.exit(process.exitCode ?? 0);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof NodeError || error instanceof RegistryError || error instanceof ProtocolError) {
    process.stderr.write(`ler-node: ${error.message} (${error.code})\n`);
  } else if (error instanceof ClientError) {
    process.stderr.write(`ler-node: ${error.message}\n`);
  } else {
    process.stderr.write(`ler-node: ${(error as Error).stack ?? error}\n`);
  }
  process.exit(1);
}
