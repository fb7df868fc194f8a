/**
 * The `ler-node` command line: `init` and `start` run the node; the other
 * commands are thin clients of a running node's HTTP API.
 *
 * What only `init`, `start` and `repair` need (libp2p, level, the verification stack: ~1.5 s of loading from
 * sources) is imported inside their actions, so a client command starts in a fraction of that.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { isValid, type VerificationReport } from '../../registry/verification/report.ts';
import { type ConfigInput, configFromEnv, configFromFile, resolveConfig } from '../config.ts';
import { NodeError } from '../errors.ts';
import { addBackupCommands } from './backup-commands.ts';
import { readJsonFile } from './cli-errors.ts';
import { type ClientOptions, call } from './client.ts';
import type { CommandHelpers } from './command-helpers.ts';
import { readCredentialFile } from './credential-file.ts';
import { addFollowCommands } from './follow-commands.ts';
import { formatReport } from './format-report.ts';
import { addGovernanceCommands } from './governance-commands.ts';
import { emit, type ProgressStream, wantsJson } from './output.ts';
import { addPublicationCommands } from './publication-commands.ts';
import { addSkillCommands } from './skill-commands.ts';

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: () => Promise<string>;
  /** Whether stderr is a terminal (logs are then readable lines, else JSON). */
  stderrIsTty?: () => boolean;
  /** Where progress is drawn (stderr); silent unless it is a terminal. Default: none. */
  progress?: ProgressStream;
}

/** The package version, from sources (node/cli) or the compiled tree (dist/node/cli). */
function packageVersion(): string {
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (pkg.name === 'ler-node') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

const VERSION = packageVersion();

const collect = (value: string, previous: string[] = []) => [...previous, value];
/** A repeatable option whose values may also be comma-separated. */
const collectList = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

async function readConfigFile(dataDir: string): Promise<ConfigInput> {
  try {
    return configFromFile(JSON.parse(await readFile(join(dataDir, 'config.json'), 'utf8')));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return {};
    if (error instanceof NodeError) throw error;
    throw new NodeError('CONFIG_INVALID', `config.json: ${(error as Error).message}`);
  }
}

function flagsOf(options: Record<string, unknown>): ConfigInput {
  const flags: ConfigInput = {
    dataDir: options.data as string | undefined,
    http: options.http as string | undefined,
    p2p: options.p2p as string[] | undefined,
    bootstrap: options.bootstrap as string[] | undefined,
    adminToken: options.adminToken as string | undefined,
    anchors: options.anchor as string[] | undefined,
    oidfAnchors: options.oidfAnchor as string[] | undefined,
    publicUrl: options.publicUrl as string | undefined,
    didWeb: options.didWeb as string | undefined,
    verifyWorkers: options.verifyWorkers as string | undefined,
    allowPrivateHosts: options.allowPrivateHosts as boolean | undefined,
    verifyDeadlineMs: options.verifyDeadlineMs as string | undefined,
    allowHttpsControllers: options.allowHttpsControllers as string[] | undefined,
    allowPeers: options.allowPeer as string[] | undefined,
    allowedHosts: options.allowedHost as string[] | undefined,
    preferFrameworks: options.preferFramework as string[] | undefined,
    publicVerifier: options.publicVerifier as boolean | undefined,
    presentationResultSeconds: options.presentationResultSeconds as string | undefined,
    corsOrigins: options.corsOrigins as string[] | undefined,
    tlsCert: options.tlsCert as string | undefined,
    tlsKey: options.tlsKey as string | undefined,
    logLevel: options.logLevel as string | undefined,
    metricsToken: options.metricsToken as string | undefined,
  };
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) as ConfigInput;
}

function identityBanner(did: string, peerId: string, token?: string): string {
  return [
    `DID:      ${did}`,
    `peer id:  ${peerId}`,
    ...(token
      ? [`admin token (shown once; store it safely): ${token}`]
      : ['admin token: set earlier (stored hashed; give --admin-token to replace it)']),
  ].join('\n');
}

export function createProgram(io: CliIo): Command {
  const program = new Command('ler-node')
    .description('A node for Learning and Employment Records')
    .version(VERSION)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .option('--json', 'machine-readable output: one JSON document on stdout, errors as JSON on stderr')
    .exitOverride();

  const clientOptions = (cmd: Command) =>
    cmd
      .addOption(new Option('--url <url>', 'node URL').default(io.env.LER_URL ?? 'http://127.0.0.1:8080'))
      .addOption(new Option('--token <token>', 'admin token (or LER_ADMIN_TOKEN)'));
  const client = (options: { url: string; token?: string }): ClientOptions => ({
    url: options.url,
    token: options.token ?? io.env.LER_ADMIN_TOKEN,
  });

  program
    .command('init')
    .description('create the node identity in the data directory if absent')
    .option('--data <dir>', 'data directory')
    .option('--did-web <location>', 'use did:web for HOST[:PORT][/PATH] instead of did:key')
    .action(async (options, cmd: Command) => {
      const env = configFromEnv(io.env);
      const dataDir = (options.data as string | undefined) ?? env.dataDir ?? './.ler-data';
      await mkdir(dataDir, { recursive: true });
      const { openDataDir } = await import('../data-dir.ts');
      const { peerIdFromPrivateKey } = await import('@libp2p/peer-id');
      const { database, identity, created, adminToken } = await openDataDir(dataDir, {
        didWeb: options.didWeb ?? env.didWeb,
      });
      try {
        const peerId = peerIdFromPrivateKey(identity.peerKey).toString();
        emit(
          io.out,
          cmd,
          { dataDir, created, did: identity.did, peerId, ...(adminToken ? { adminToken } : {}) },
          () =>
            `${created ? 'created' : 'already initialized'}: ${dataDir}\n${identityBanner(identity.did, peerId, adminToken)}\n`,
        );
      } finally {
        await database.close();
      }
    });

  program
    .command('repair')
    .description('repair a damaged data directory (run with the node stopped; back the directory up first)')
    .option('--data <dir>', 'data directory')
    .action(async (options, cmd: Command) => {
      const env = configFromEnv(io.env);
      const dataDir = (options.data as string | undefined) ?? env.dataDir ?? './.ler-data';
      const { formatRepairSummary, repairDataDir } = await import('../repair.ts');
      const summary = await repairDataDir(dataDir);
      emit(io.out, cmd, { dataDir, ...summary }, () => formatRepairSummary(dataDir, summary));
      if (!summary.ok) process.exitCode = 1;
    });

  program
    .command('start')
    .description('run the node')
    .option('--data <dir>', 'data directory (default ./.ler-data)')
    .option('--http <host:port>', 'HTTP listen address (default 127.0.0.1:8080)')
    .option('--p2p <multiaddr>', 'libp2p listen address (repeatable)', collect)
    .option('--bootstrap <multiaddr>', 'bootstrap peer with /p2p/<peerId> (repeatable)', collect)
    .option('--admin-token <token>', 'set the admin token')
    .option('--anchor <networkId>', 'trust anchor network (repeatable)', collect)
    .option(
      '--oidf-anchor <url>',
      'OpenID Federation trust anchor entity id accepted as a source of trust (repeatable)',
      collect,
    )
    .option('--public-url <url>', 'URL others reach this node at')
    .option('--did-web <location>', 'on first start, use did:web for HOST[:PORT][/PATH]')
    .option('--verify-workers <n>', 'worker threads for verification (0 = main thread)')
    .option('--allow-private-hosts', 'let did:web and status list fetches reach private addresses')
    .option('--verify-deadline-ms <ms>', 'deadline for the outbound fetches of one verification (default 6000)')
    .option(
      '--allow-https-controllers <hosts>',
      "fetch https controller documents (1EdTech's https verification methods) from these hosts only (comma-separated, repeatable; * = any public host)",
      collectList,
    )
    .option('--allow-peer <peerId>', 'only these libp2p peers may connect (repeatable)', collect)
    .option('--allowed-host <host>', 'answer only for this Host (host or host:port; repeatable)', collect)
    .option('--prefer-framework <id>', 'show skill equivalents in this framework (repeatable)', collect)
    .option('--public-verifier', 'let anyone create OID4VP presentation requests (rate-limited)')
    .option('--presentation-result-seconds <s>', 'how long OID4VP results are kept (default 3600)')
    .option(
      '--cors-origins <origins>',
      'origins (comma-separated, or *) whose pages may call the verify endpoints; public documents allow any',
      (value: string) =>
        value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
    )
    .option('--tls-cert <file>', 'PEM certificate (chain): serve HTTPS itself (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .option('--log-level <level>', 'fatal, error, warn, info (default), debug, trace or silent')
    .option('--metrics-token <token>', 'bearer token that may read GET /metrics (the admin token always may)')
    .action(async (options, cmd: Command) => {
      const flags = flagsOf(options);
      const env = configFromEnv(io.env);
      const dataDir = flags.dataDir ?? env.dataDir ?? './.ler-data';
      await mkdir(dataDir, { recursive: true });
      const config = resolveConfig(flags, env, await readConfigFile(dataDir), { dataDir });
      const [{ createLogger }, { startNode }, { publicUrlWarning }] = await Promise.all([
        import('../logger.ts'),
        import('../run-node.ts'),
        import('../public-url-check.ts'),
      ]);
      // JSON lines for a log collector; readable lines when a person watches the terminal.
      const logger = createLogger({ level: config.logLevel, pretty: io.stderrIsTty?.() ?? false });
      const node = await startNode(config, { logger, version: VERSION, testCrashPoint: io.env.LER_TEST_CRASH_POINT });
      const multiaddrs = node.host.getMultiaddrs().map((ma) => ma.toString());
      // Before the banner, so whoever waits for the banner has the warning too.
      const warning = publicUrlWarning(config.publicUrl ?? node.httpUrl, config.publicUrl !== undefined);
      if (warning) io.err(`warning: ${warning}\n`);
      // One line with --json: whoever started the process reads its stdout line by line.
      emit(
        io.out,
        cmd,
        {
          status: 'running',
          version: VERSION,
          did: node.components.identity.did,
          peerId: node.host.peerId.toString(),
          ...(node.createdAdminToken ? { adminToken: node.createdAdminToken } : {}),
          http: node.httpUrl,
          multiaddrs,
        },
        [
          `LER node ${VERSION} running`,
          identityBanner(node.components.identity.did, node.host.peerId.toString(), node.createdAdminToken),
          `HTTP:     ${node.httpUrl}`,
          `libp2p:   ${multiaddrs.join(' ')}`,
          '',
        ].join('\n'),
        { compact: true },
      );
      const signal = await io.stopSignal();
      logger.info({ signal }, 'stopping');
      await node.stop();
      logger.info('stopped');
    });

  clientOptions(
    program
      .command('issue <file>')
      .description('issue the credential in FILE (JSON) and print the signed credential')
      .option(
        '--cryptosuite <name>',
        'eddsa-rdfc-2022 (default), eddsa-jcs-2022, Ed25519Signature2020, ecdsa-rdfc-2019 or ecdsa-jcs-2019',
      )
      .option(
        '--format <format>',
        'secure with JOSE instead: vc+jwt (VC 2.0, printed as an EnvelopedVerifiableCredential) or jwt_vc_json (VC 1.1, printed as the JWT)',
      )
      .option('--alg <alg>', 'with --format: EdDSA (default, the Ed25519 key) or ES256 (the P-256 key)')
      .option('--suspension', 'add a suspension status entry'),
  ).action(async (file, options, cmd: Command) => {
    const credential = (await readJsonFile(file)) as Record<string, unknown>;
    // The VC API requires an issuer; a file without one is issued as the node's own DID (its P-256 DID for a
    // P-256 signature: decision 0021).
    if (credential && typeof credential === 'object' && !Object.hasOwn(credential, 'issuer')) {
      const health = (await call(client(options), 'GET', '/health')).body;
      const p256 = options.alg === 'ES256' || String(options.cryptosuite ?? '').startsWith('ecdsa-');
      credential.issuer = p256 && health.ecdsaDid ? health.ecdsaDid : health.did;
    }
    const { body } = await call(client(options), 'POST', '/credentials/issue', {
      credential,
      options: {
        ...(options.cryptosuite ? { cryptosuite: options.cryptosuite } : {}),
        ...(options.format ? { format: options.format } : {}),
        ...(options.alg ? { alg: options.alg } : {}),
        ...(options.suspension ? { credentialStatus: [{ statusPurpose: 'suspension' }] } : {}),
      },
    });
    // A VC 1.1 JWT is printed as itself, so the output is a file `ler-node verify` and wallets read; with --json
    // it is a JSON string.
    const issued = body.verifiableCredential;
    io.out(typeof issued === 'string' && !wantsJson(cmd) ? `${issued}\n` : `${JSON.stringify(issued, null, 2)}\n`);
  });

  clientOptions(
    program
      .command('offer <file>')
      .description(
        'offer the credential in FILE to a wallet (OID4VCI): print the offer URI and its QR code; FILE is the credential without credentialSubject.id, or a whole POST /offers body',
      )
      .option('--tx-code', 'require a transaction code (printed here; give it to the learner out of band)')
      .option('--expires-in <seconds>', 'how long the offer stays redeemable', (v) => Number(v))
      .option('--by-value', 'print the offer by value instead of by reference'),
  ).action(async (file, options, cmd: Command) => {
    const document = (await readJsonFile(file)) as Record<string, unknown>;
    const request =
      document.credential !== undefined || document.achievement !== undefined ? document : { credential: document };
    const { body } = await call(client(options), 'POST', '/offers', {
      ...request,
      ...(options.txCode ? { txCode: true } : {}),
      ...(options.expiresIn !== undefined ? { expiresIn: options.expiresIn } : {}),
    });
    const uri = String(options.byValue ? body.offerUri : body.offerUriByReference);
    if (wantsJson(cmd)) {
      io.out(`${JSON.stringify(body, null, 2)}\n`);
      return;
    }
    const { default: QRCode } = await import('qrcode');
    io.out(`${uri}\n\n${await QRCode.toString(uri, { type: 'terminal', small: true })}\n`);
    io.out(`offer ${body.id} for credential ${body.credentialId}, redeemable until ${body.expiresAt}\n`);
    if (body.txCode) io.out(`transaction code (give it to the learner separately): ${body.txCode}\n`);
  });

  clientOptions(
    program
      .command('verify <file>')
      .description('verify the credential or presentation in FILE; exit 0 if verified and valid, 1 if not')
      .option('--challenge <challenge>', 'expected presentation challenge')
      .option('--domain <domain>', 'expected presentation domain')
      .option('--recipient <identity>', "the email, URL or phone number an Open Badges 2.0 badge's recipient must be"),
  ).action(async (file, options, cmd: Command) => {
    // JSON, a compact JWT/JWS or a hosted badge's URL (sent as the string itself), or a baked PNG/SVG badge.
    const credential = await readCredentialFile(file);
    const document = (typeof credential === 'string' ? {} : credential) as Record<string, unknown>;
    const types = ([] as unknown[]).concat(document.type ?? []);
    const isPresentation = types.includes('VerifiablePresentation');
    const { body } = isPresentation
      ? await call(client(options), 'POST', '/presentations/verify', {
          verifiablePresentation: document,
          options: {
            challenge: options.challenge,
            domain: options.domain,
            ...(options.recipient ? { recipient: options.recipient } : {}),
          },
        })
      : await call(
          client(options),
          'POST',
          '/credentials/verify',
          {
            verifiableCredential: credential,
            ...(options.recipient ? { options: { recipient: options.recipient } } : {}),
          },
          [400, 503],
        );
    emit(io.out, cmd, body, () => `${formatReport(body as never)}\n`);
    // Exit 0 only for what a person may rely on: verified and valid (not revoked, suspended, expired, unchecked).
    const report = body as unknown as VerificationReport & { credentials?: VerificationReport[] };
    if (!report.verified || !isValid(report) || !(report.credentials ?? []).every(isValid)) process.exitCode = 1;
  });

  clientOptions(
    program
      .command('revoke <credentialId>')
      .description('revoke a credential this node issued (or suspend with --suspend)')
      .option('--suspend', 'suspend instead of revoke')
      .option('--undo', 'clear a suspension (a revocation is final: the node refuses with REVOCATION_FINAL)'),
  ).action(async (credentialId, options, cmd: Command) => {
    const statusPurpose = options.suspend ? 'suspension' : 'revocation';
    const { body } = await call(client(options), 'POST', '/credentials/status', {
      credentialId,
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose },
      status: !options.undo,
    });
    emit(
      io.out,
      cmd,
      body,
      `${credentialId}: ${statusPurpose} ${body.status ? 'set' : 'cleared'}${body.changed ? '' : ' (unchanged)'}\n`,
    );
  });

  clientOptions(program.command('status').description("show a running node's health")).action(async (options) => {
    const { body } = await call(client(options), 'GET', '/health');
    io.out(`${JSON.stringify(body, null, 2)}\n`);
  });

  // Runtime trust anchors (GET/POST/DELETE /anchors); configured --anchor networks are listed but not removable.
  const anchors = program.command('anchors').description("list or change a running node's trust anchors");
  const printAnchors = (body: Record<string, unknown>, cmd: Command) => {
    if (wantsJson(cmd)) return io.out(`${JSON.stringify(body, null, 2)}\n`);
    const configured = new Set(body.configured as string[]);
    const runtime = new Set(body.runtime as string[]);
    for (const id of body.anchors as string[]) {
      io.out(`${id}\t${configured.has(id) ? 'configured' : runtime.has(id) ? 'runtime' : 'default'}\n`);
    }
  };
  clientOptions(anchors.command('list').description('list the trust anchors and where each comes from')).action(
    async (options, cmd: Command) => {
      const { body } = await call(client(options), 'GET', '/anchors');
      printAnchors(body, cmd);
    },
  );
  clientOptions(anchors.command('add <network>').description('add a runtime trust anchor (it is followed too)')).action(
    async (network, options, cmd: Command) => {
      const { body } = await call(client(options), 'POST', '/anchors', { network });
      emit(
        io.out,
        cmd,
        body,
        `${network}: ${body.added ? 'added' : 'already an anchor'}${body.known ? '' : ` (${body.note})`}\n`,
      );
    },
  );
  clientOptions(anchors.command('remove <network>').description('remove a runtime trust anchor')).action(
    async (network, options, cmd: Command) => {
      const { body } = await call(client(options), 'DELETE', `/anchors/${encodeURIComponent(network)}`);
      emit(io.out, cmd, body, `${network}: removed\n`);
    },
  );

  const helpers: CommandHelpers = {
    out: io.out,
    clientOptions,
    client,
    env: io.env,
    version: VERSION,
    progress: io.progress ?? { isTTY: false, write: () => true },
  };
  addGovernanceCommands(program, helpers);
  addFollowCommands(program, helpers);
  addPublicationCommands(program, helpers);
  addSkillCommands(program, helpers);
  addBackupCommands(program, helpers);
  return program;
}
