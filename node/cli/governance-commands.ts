/**
 * `ler-node network …`, `ler-node gov …` and `ler-node registry …`: governance
 * from the command line. Keys given with --key stay on this machine: only the
 * signature is sent.
 */
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type GovernorKey, generateGovernorKey, signActionId } from '../../protocol/signing/governor-keys.ts';
import { NodeError } from '../errors.ts';
import { auditExport } from '../registry/audit.ts';
import { CliError, EXIT, parseJson, readJsonFile } from './cli-errors.ts';
import { call } from './client.ts';
import type { CommandHelpers } from './command-helpers.ts';
import { createProgress, emit } from './output.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

async function readKey(file: string): Promise<GovernorKey> {
  const key = (await readJsonFile(file)) as GovernorKey;
  if (typeof key?.did !== 'string' || typeof key?.privateKey !== 'string') {
    throw new NodeError('CONFIG_INVALID', `${file} is not a governor key file (from ler-node gov keygen)`);
  }
  return key;
}

function formatProposal(p: Record<string, unknown>): string {
  const action = p.action as Record<string, unknown>;
  const subject = action.did ?? action.recognizedNetwork ?? action.name ?? '';
  const signatures = (p.signatures as unknown[]).length;
  return `${p.id}  ${String(p.status).padEnd(8)} ${String(action.type).padEnd(20)} ${subject}  (${signatures} signature(s))`;
}

/** A JSON value given inline (`{…}`) or as a file holding it; `what` names the option in messages. */
async function jsonArgument(value: string, what: string): Promise<unknown> {
  const inline = value.trim().startsWith('{');
  return parseJson(inline ? value : await readFile(value, 'utf8'), inline ? what : value);
}

export function addGovernanceCommands(program: Command, helpers: CommandHelpers): void {
  const { out, clientOptions, client } = helpers;

  const network = program.command('network').description('create networks');
  clientOptions(
    network
      .command('create')
      .description('propose a new network (its genesis); it exists once its governors approve it')
      .requiredOption('--name <name>', 'network name')
      .requiredOption('--governor <did>', 'governor did:key (repeatable)', collect)
      .requiredOption('--threshold <m>', 'approvals needed (m of n)')
      .option('--description <text>', 'description')
      .option('--framework-url <url>', 'governance framework document')
      .option('--sign', 'sign with the governor keys this node holds'),
  ).action(async (options, cmd: Command) => {
    const { body } = await call(client(options), 'POST', '/networks', {
      name: options.name,
      description: options.description,
      governors: options.governor,
      threshold: Number(options.threshold),
      frameworkUrl: options.frameworkUrl,
      options: { sign: Boolean(options.sign) },
    });
    const proposal = body.proposal as Record<string, unknown>;
    emit(
      out,
      cmd,
      body,
      `network ${proposal.id} ${proposal.approved ? 'created' : 'proposed (waiting for approvals)'}\n`,
    );
  });

  const gov = program.command('gov').description('governance: keys, proposals, approvals');

  gov
    .command('keygen')
    .description('create a governor key in a local file (never sent anywhere) and print its DID')
    .requiredOption('--out <file>', 'where to write the key (mode 0600)')
    .action(async (options, cmd: Command) => {
      const key = generateGovernorKey();
      await writeFile(options.out, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      await chmod(options.out, 0o600);
      emit(out, cmd, { did: key.did, file: options.out }, `${key.did}\n`);
    });

  clientOptions(gov.command('key-create').description('create a governor key held by the node')).action(
    async (options, cmd: Command) => {
      const { body } = await call(client(options), 'POST', '/governor-keys', {});
      emit(out, cmd, body, `${body.did}\n`);
    },
  );

  gov
    .command('sign <proposalId>')
    .description('print a detached approval signature for a proposal, made with a local key file')
    .requiredOption('--key <file>', 'governor key file')
    .action(async (proposalId, options) => {
      const key = await readKey(options.key);
      // JSON already (with --json too): the very body `gov submit` posts.
      out(`${JSON.stringify({ proposal: proposalId, signer: key.did, signature: signActionId(key, proposalId) })}\n`);
    });

  clientOptions(
    gov
      .command('submit <proposalId>')
      .description(
        'post a detached approval signature made elsewhere (the output of `gov sign`, or --signer and --signature)',
      )
      .option('--signature-file <file>', 'JSON {signer, signature} as printed by `gov sign` ("-" reads stdin)')
      .option('--signer <did>', 'the governor DID that signed')
      .option('--signature <sig>', 'the detached signature over the proposal id'),
  ).action(async (proposalId, options, cmd: Command) => {
    let approval: Record<string, unknown>;
    if (options.signatureFile) {
      const text = options.signatureFile === '-' ? await readStdin() : await readFile(options.signatureFile, 'utf8');
      approval = parseJson(text, options.signatureFile === '-' ? 'stdin' : options.signatureFile) as Record<
        string,
        unknown
      >;
      if (approval.proposal !== undefined && approval.proposal !== proposalId) {
        throw new CliError(
          `the signature is for proposal ${String(approval.proposal)}, not ${proposalId}`,
          EXIT.failed,
        );
      }
    } else if (options.signer && options.signature) {
      approval = { signer: options.signer, signature: options.signature };
    } else throw new NodeError('CONFIG_INVALID', 'give --signature-file FILE, or --signer DID and --signature SIG');
    // Only the signature travels: a detached governor signature is its own authorization (no admin token).
    const result = await call(client(options), 'POST', `/proposals/${encodeURIComponent(proposalId)}/approvals`, {
      signer: approval.signer,
      signature: approval.signature,
    });
    emit(out, cmd, result.body, `${formatProposal(result.body.proposal as Record<string, unknown>)}\n`);
  });

  clientOptions(
    gov
      .command('propose')
      .description('propose an action, e.g. --action \'{"type":"member.add","did":"did:web:x","name":"X"}\'')
      .requiredOption('--network <id>', 'network id')
      .requiredOption('--action <json-or-file>', 'the action as JSON, or a file holding it')
      .option('--effective-at <time>', 'when it takes effect (default now)')
      .option('--sign', 'sign with the governor keys this node holds'),
  ).action(async (options, cmd: Command) => {
    const { body } = await call(client(options), 'POST', '/proposals', {
      network: options.network,
      action: await jsonArgument(options.action, '--action'),
      effectiveAt: options.effectiveAt,
      options: { sign: Boolean(options.sign) },
    });
    emit(out, cmd, body, `${formatProposal(body.proposal as Record<string, unknown>)}\n`);
  });

  clientOptions(
    gov
      .command('approve <proposalId>')
      .description('approve a proposal with a local key file, or with a key the node holds')
      .option('--key <file>', 'governor key file (signs here)')
      .option('--signer <did>', 'governor DID whose key the node holds (the node signs)'),
  ).action(async (proposalId, options, cmd: Command) => {
    let body: Record<string, unknown>;
    if (options.key) {
      const key = await readKey(options.key);
      body = { signer: key.did, signature: signActionId(key, proposalId) };
    } else if (options.signer) body = { signer: options.signer, sign: true };
    else throw new NodeError('CONFIG_INVALID', 'give --key FILE or --signer DID');
    const result = await call(client(options), 'POST', `/proposals/${encodeURIComponent(proposalId)}/approvals`, body);
    emit(out, cmd, result.body, `${formatProposal(result.body.proposal as Record<string, unknown>)}\n`);
  });

  clientOptions(
    gov
      .command('list')
      .description('list proposals (pending unless --all)')
      .option('--network <id>', 'only this network')
      .option('--all', 'include applied and rejected'),
  ).action(async (options, cmd: Command) => {
    const query = new URLSearchParams({
      ...(options.network ? { network: options.network } : {}),
      ...(options.all ? {} : { pending: 'true' }),
    });
    const { body } = await call(client(options), 'GET', `/proposals?${query}`);
    const proposals = body.proposals as Record<string, unknown>[];
    emit(out, cmd, body, proposals.length ? `${proposals.map(formatProposal).join('\n')}\n` : 'no proposals\n');
  });

  const registry = program.command('registry').description('registry maintenance and audit');

  clientOptions(
    registry.command('export <networkId>').description("print a network's full signed history (JSON)"),
  ).action(async (networkId, options) => {
    // JSON already (with --json too).
    const { body } = await call(client(options), 'GET', `/networks/${encodeURIComponent(networkId)}/export`);
    out(`${JSON.stringify(body, null, 2)}\n`);
  });

  registry
    .command('verify <file>')
    .description('audit an exported history offline: ids, signatures, thresholds, genesis-derived id; print the digest')
    .action(async (file, _options, cmd: Command) => {
      const progress = createProgress(helpers.progress, 'checking actions');
      const result = auditExport((await readJsonFile(file)) as never, {
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.finish();
      emit(out, cmd, result, () =>
        [
          `network:  ${result.network}`,
          `actions:  ${result.applied} applied, ${result.pending} pending, ${result.rejected} rejected`,
          `digest:   ${result.digest ?? '(none)'}`,
          ...result.problems.map((p) => `problem:  ${p}`),
          result.ok ? 'OK' : 'FAILED',
          '',
        ].join('\n'),
      );
      if (!result.ok) process.exitCode = 1;
    });

  registry
    .command('rebuild')
    .description('re-derive every network state from the stored actions (run with the node stopped)')
    .option('--data <dir>', 'data directory', helpers.env.LER_DATA ?? './.ler-data')
    .action(async (options, cmd: Command) => {
      // A mistyped --data is not damage: say so, instead of suggesting `repair` for a directory that never was.
      if (!existsSync(join(options.data, 'db'))) {
        throw new CliError(
          `no node data directory at ${options.data} (no db/ inside); give --data <dir> of an initialized node`,
          EXIT.dataDirMissing,
        );
      }
      // Never create: on a damaged directory (CURRENT gone) LevelDB would start an empty database over it.
      // Loaded here: the storage stack is needed by this command only (see program.ts).
      const [{ repairHint }, { openDatabase }, { openRegistryService }, { createGovernorKeyring }] = await Promise.all([
        import('../data-dir.ts'),
        import('../storage/database.ts'),
        import('../registry/registry-service.ts'),
        import('../registry/governor-keys.ts'),
      ]);
      const database = await openDatabase(join(options.data, 'db'), {
        createIfMissing: false,
        repairHint: repairHint(options.data),
      });
      try {
        const service = await openRegistryService({ database, keyring: createGovernorKeyring(database) });
        const progress = createProgress(helpers.progress, 'folding networks');
        const { networks, actions } = await service.rebuild({
          onProgress: (done, total) => progress.update(done, total),
        });
        progress.finish();
        const states = service.networks().map((s) => ({ id: s.id, digest: service.digest(s.id), name: s.name }));
        emit(
          out,
          cmd,
          { networks, actions, states },
          () =>
            `rebuilt ${networks} network(s) from ${actions} action(s)\n${states.map((s) => `${s.id}  ${s.digest}  ${s.name}\n`).join('')}`,
        );
      } finally {
        await database.close();
      }
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
