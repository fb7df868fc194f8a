/** Entry point of `ler-node`: wires the process (argv, env, signals, exit codes) to the CLI. */
import './polyfills.ts';
import { CommanderError } from 'commander';
import { ProtocolError } from '../protocol/errors.ts';
import { RegistryError } from '../registry/errors.ts';
import { CliError, describeListenError, describeSystemError, EXIT } from './cli/cli-errors.ts';
import { ClientError } from './cli/client.ts';
import { createProgram } from './cli/program.ts';
import { NodeError } from './errors.ts';
import { surviveNetworkErrors } from './network-errors.ts';

surviveNetworkErrors((error) => process.stderr.write(`network error survived: ${(error as Error).message}\n`));

const program = createProgram({
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stderrIsTty: () => process.stderr.isTTY === true,
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
  const { message, exitCode } = describeFailure(error);
  process.stderr.write(`ler-node: ${message}\n`);
  process.exit(exitCode);
}

/** One line per failure; a stack trace only for what is a bug (an error none of the layers raised on purpose). */
function describeFailure(error: unknown): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof NodeError || error instanceof RegistryError || error instanceof ProtocolError) {
    const exitCode = error.code === 'CONFIG_INVALID' ? EXIT.configInvalid : EXIT.failed;
    return { message: `${error.message} (${error.code})`, exitCode };
  }
  if (error instanceof ClientError) {
    return { message: error.message, exitCode: error.status === undefined ? EXIT.nodeUnreachable : EXIT.failed };
  }
  const system = describeSystemError(error) ?? describeListenError(error);
  if (system) return system;
  return { message: `${(error as Error)?.stack ?? error}`, exitCode: EXIT.bug };
}
