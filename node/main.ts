/** Entry point of `ler-node`: wires the process (argv, env, signals, exit codes) to the CLI. */
import './polyfills.ts';
import { CommanderError } from 'commander';
import { ProtocolError } from '../protocol/errors.ts';
import { RegistryError } from '../registry/errors.ts';
import { CliError, describeListenError, describeSystemError, EXIT, EXIT_BY_CODE } from './cli/cli-errors.ts';
import { ClientError } from './cli/client.ts';
import { createProgram } from './cli/program.ts';
import { NodeError } from './errors.ts';
import { surviveNetworkErrors } from './network-errors.ts';

surviveNetworkErrors((error) => process.stderr.write(`network error survived: ${(error as Error).message}\n`));

/** `fileNotFound` → `FILE_NOT_FOUND`: the code of a failure no layer gave a code of its own. */
const EXIT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(EXIT).map(([name, value]) => [value, name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()]),
);

const program = createProgram({
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stderrIsTty: () => process.stderr.isTTY === true,
  progress: process.stderr,
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
  const { message, exitCode, code } = describeFailure(error);
  // With --json the failure is a JSON document too (on stderr, like the text line), with the same exit code.
  if (program.opts().json === true || process.argv.includes('--json')) {
    process.stderr.write(`${JSON.stringify({ error: { code: code ?? EXIT_NAMES[exitCode], message, exitCode } })}\n`);
  } else process.stderr.write(`ler-node: ${message}\n`);
  process.exit(exitCode);
}

/** One line per failure; a stack trace only for what is a bug (an error none of the layers raised on purpose). */
function describeFailure(error: unknown): { message: string; exitCode: number; code?: string } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof NodeError || error instanceof RegistryError || error instanceof ProtocolError) {
    const exitCode = EXIT_BY_CODE[error.code] ?? EXIT.failed;
    return { message: `${error.message} (${error.code})`, exitCode, code: error.code };
  }
  if (error instanceof ClientError) {
    return {
      message: error.message,
      exitCode: error.status === undefined ? EXIT.nodeUnreachable : EXIT.failed,
      code: error.code ?? (error.status === undefined ? 'NODE_UNREACHABLE' : undefined),
    };
  }
  const system = describeSystemError(error) ?? describeListenError(error);
  if (system) return system;
  return { message: `${(error as Error)?.stack ?? error}`, exitCode: EXIT.bug };
}
