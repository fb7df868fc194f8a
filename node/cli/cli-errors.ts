/**
 * What the CLI tells a person when a command fails: one line, and an exit code per kind of failure so
 * scripts can tell "fix your file" from "the port is taken" without parsing text. Stack traces are for
 * bugs only (exit 70).
 */
import { readFile } from 'node:fs/promises';

/** Exit codes of `ler-node`; 0 is success, 1 a negative answer (verification failed, a node refused). */
export const EXIT = {
  failed: 1,
  fileNotFound: 3,
  badJson: 4,
  outputExists: 5,
  addressInUse: 6,
  configInvalid: 7,
  dataDirMissing: 8,
  nodeUnreachable: 9,
  /** A badge image that is malformed, carries no credential, or carries one too large to read. */
  badImage: 10,
  bug: 70,
} as const;

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Parses `text` as JSON; `what` names its source in the message (a file, or an option). */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${what} is not valid JSON: ${(error as Error).message}`, EXIT.badJson);
  }
}

/** Reads and parses a JSON file the user named. */
export async function readJsonFile(file: string): Promise<unknown> {
  return parseJson(await readFile(file, 'utf8'), file);
}

/**
 * The one line and exit code for an operating-system error (errno codes), or undefined when `error` is not one.
 * Node's messages for these carry a stack and syscall names a user need not read.
 */
export function describeSystemError(error: unknown): { message: string; exitCode: number } | undefined {
  const e = error as { code?: unknown; path?: unknown; address?: unknown; port?: unknown };
  if (!e || typeof e.code !== 'string') return undefined;
  switch (e.code) {
    case 'ENOENT':
      return { message: `no such file or directory: ${String(e.path ?? '')}`, exitCode: EXIT.fileNotFound };
    case 'EISDIR':
      return { message: `is a directory, not a file: ${String(e.path ?? '')}`, exitCode: EXIT.fileNotFound };
    case 'EACCES':
      if (e.path !== undefined) return { message: `permission denied: ${String(e.path)}`, exitCode: EXIT.fileNotFound };
      return {
        message: `permission denied to listen on ${String(e.address)}:${String(e.port)}`,
        exitCode: EXIT.addressInUse,
      };
    case 'EEXIST':
      return {
        message: `${String(e.path ?? 'the output file')} already exists; refusing to overwrite it (choose another --out)`,
        exitCode: EXIT.outputExists,
      };
    case 'EADDRINUSE':
      return {
        message: `address already in use: ${e.address !== undefined ? `${String(e.address)}:${String(e.port)}` : 'a listen address'} (is another node running? choose another --http or --p2p)`,
        exitCode: EXIT.addressInUse,
      };
    default:
      return undefined;
  }
}

/** libp2p reports a p2p listen address it could not bind only in the text of its own error. */
export function describeListenError(error: unknown): { message: string; exitCode: number } | undefined {
  if ((error as Error)?.name !== 'UnsupportedListenAddressesError') return undefined;
  const failed = [...String((error as Error).message).matchAll(/^\s*(\/\S+): Error: listen (\w+)/gm)].map(
    ([, address, code]) => `${address} (${code === 'EADDRINUSE' ? 'address already in use' : code})`,
  );
  return {
    message: `cannot listen on libp2p address ${failed.join(', ') || '(unknown)'}; choose another --p2p`,
    exitCode: EXIT.addressInUse,
  };
}
