/**
 * The `ler-node` command line: `init` and `start` run the node; the other
 * commands are thin clients of a running node's HTTP API.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { Command, Option } from 'commander';
import QRCode from 'qrcode';
import { isValid, type VerificationReport } from '../../registry/verification/report.ts';
import { type ConfigInput, configFromEnv, configFromFile, resolveConfig } from '../config.ts';
import { openDataDir } from '../data-dir.ts';
import { NodeError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { publicUrlWarning } from '../public-url-check.ts';
import { formatRepairSummary, repairDataDir } from '../repair.ts';
import { startNode } from '../run-node.ts';
import { parseJson, readJsonFile } from './cli-errors.ts';
import { type ClientOptions, call } from './client.ts';
import { formatReport } from './format-report.ts';
import { addGovernanceCommands } from './governance-commands.ts';

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: () => Promise<string>;
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
    allowPeers: options.allowPeer as string[] | undefined,
    allowedHosts: options.allowedHost as string[] | undefined,
    preferFrameworks: options.preferFramework as string[] | undefined,
    publicVerifier: options.publicVerifier as boolean | undefined,
    presentationResultSeconds: options.presentationResultSeconds as string | undefined,
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
    .action(async (options) => {
      const env = configFromEnv(io.env);
      const dataDir = (options.data as string | undefined) ?? env.dataDir ?? './.ler-data';
      await mkdir(dataDir, { recursive: true });
      const { database, identity, created, adminToken } = await openDataDir(dataDir, {
        didWeb: options.didWeb ?? env.didWeb,
      });
      try {
        io.out(`${created ? 'created' : 'already initialized'}: ${dataDir}\n`);
        io.out(`${identityBanner(identity.did, peerIdFromPrivateKey(identity.peerKey).toString(), adminToken)}\n`);
      } finally {
        await database.close();
      }
    });

  program
    .command('repair')
    .description('repair a damaged data directory (run with the node stopped; back the directory up first)')
    .option('--data <dir>', 'data directory')
    .action(async (options) => {
      const env = configFromEnv(io.env);
      const dataDir = (options.data as string | undefined) ?? env.dataDir ?? './.ler-data';
      const summary = await repairDataDir(dataDir);
      io.out(formatRepairSummary(dataDir, summary));
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
    .option('--allow-peer <peerId>', 'only these libp2p peers may connect (repeatable)', collect)
    .option('--allowed-host <host>', 'answer only for this Host (host or host:port; repeatable)', collect)
    .option('--prefer-framework <id>', 'show skill equivalents in this framework (repeatable)', collect)
    .option('--public-verifier', 'let anyone create OID4VP presentation requests (rate-limited)')
    .option('--presentation-result-seconds <s>', 'how long OID4VP results are kept (default 3600)')
    .action(async (options) => {
      const flags = flagsOf(options);
      const env = configFromEnv(io.env);
      const dataDir = flags.dataDir ?? env.dataDir ?? './.ler-data';
      await mkdir(dataDir, { recursive: true });
      const config = resolveConfig(flags, env, await readConfigFile(dataDir), { dataDir });
      const logger = createLogger();
      const node = await startNode(config, { logger, version: VERSION, testCrashPoint: io.env.LER_TEST_CRASH_POINT });
      const multiaddrs = node.host.getMultiaddrs().map((ma) => ma.toString());
      // Before the banner, so whoever waits for the banner has the warning too.
      const warning = publicUrlWarning(config.publicUrl ?? node.httpUrl, config.publicUrl !== undefined);
      if (warning) io.err(`warning: ${warning}\n`);
      io.out(
        [
          `LER node ${VERSION} running`,
          identityBanner(node.components.identity.did, node.host.peerId.toString(), node.createdAdminToken),
          `HTTP:     ${node.httpUrl}`,
          `libp2p:   ${multiaddrs.join(' ')}`,
          '',
        ].join('\n'),
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
      .option('--suspension', 'add a suspension status entry'),
  ).action(async (file, options) => {
    const credential = (await readJsonFile(file)) as Record<string, unknown>;
    // The VC API requires an issuer; a file without one is issued as the node's own DID.
    if (credential && typeof credential === 'object' && !Object.hasOwn(credential, 'issuer')) {
      credential.issuer = (await call(client(options), 'GET', '/health')).body.did;
    }
    const { body } = await call(client(options), 'POST', '/credentials/issue', {
      credential,
      options: {
        ...(options.cryptosuite ? { cryptosuite: options.cryptosuite } : {}),
        ...(options.suspension ? { credentialStatus: [{ statusPurpose: 'suspension' }] } : {}),
      },
    });
    io.out(`${JSON.stringify(body.verifiableCredential, null, 2)}\n`);
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
  ).action(async (file, options) => {
    const document = (await readJsonFile(file)) as Record<string, unknown>;
    const request =
      document.credential !== undefined || document.achievement !== undefined ? document : { credential: document };
    const { body } = await call(client(options), 'POST', '/offers', {
      ...request,
      ...(options.txCode ? { txCode: true } : {}),
      ...(options.expiresIn !== undefined ? { expiresIn: options.expiresIn } : {}),
    });
    const uri = String(options.byValue ? body.offerUri : body.offerUriByReference);
    io.out(`${uri}\n\n${await QRCode.toString(uri, { type: 'terminal', small: true })}\n`);
    io.out(`offer ${body.id} for credential ${body.credentialId}, redeemable until ${body.expiresAt}\n`);
    if (body.txCode) io.out(`transaction code (give it to the learner separately): ${body.txCode}\n`);
  });

  clientOptions(
    program
      .command('verify <file>')
      .description('verify the credential or presentation in FILE; exit 0 if verified and valid, 1 if not')
      .option('--json', 'print the report as JSON')
      .option('--challenge <challenge>', 'expected presentation challenge')
      .option('--domain <domain>', 'expected presentation domain'),
  ).action(async (file, options) => {
    const text = (await readFile(file, 'utf8')).trim();
    // A file holding a compact JWT (a JOSE-secured credential) is sent as the JWT itself.
    const jwt = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text);
    const document = (jwt ? {} : parseJson(text, file)) as Record<string, unknown>;
    const types = ([] as unknown[]).concat(document.type ?? []);
    const isPresentation = types.includes('VerifiablePresentation');
    const { body } = isPresentation
      ? await call(client(options), 'POST', '/presentations/verify', {
          verifiablePresentation: document,
          options: { challenge: options.challenge, domain: options.domain },
        })
      : await call(
          client(options),
          'POST',
          '/credentials/verify',
          { verifiableCredential: jwt ? text : document },
          [400, 503],
        );
    io.out(`${options.json ? JSON.stringify(body, null, 2) : formatReport(body as never)}\n`);
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
  ).action(async (credentialId, options) => {
    const statusPurpose = options.suspend ? 'suspension' : 'revocation';
    const { body } = await call(client(options), 'POST', '/credentials/status', {
      credentialId,
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose },
      status: !options.undo,
    });
    io.out(
      `${credentialId}: ${statusPurpose} ${body.status ? 'set' : 'cleared'}${body.changed ? '' : ' (unchanged)'}\n`,
    );
  });

  clientOptions(program.command('status').description("show a running node's health")).action(async (options) => {
    const { body } = await call(client(options), 'GET', '/health');
    io.out(`${JSON.stringify(body, null, 2)}\n`);
  });

  // Runtime trust anchors (GET/POST/DELETE /anchors); configured --anchor networks are listed but not removable.
  const anchors = program.command('anchors').description("list or change a running node's trust anchors");
  const printAnchors = (body: Record<string, unknown>) => {
    const configured = new Set(body.configured as string[]);
    const runtime = new Set(body.runtime as string[]);
    for (const id of body.anchors as string[]) {
      io.out(`${id}\t${configured.has(id) ? 'configured' : runtime.has(id) ? 'runtime' : 'default'}\n`);
    }
  };
  clientOptions(anchors.command('list').description('list the trust anchors and where each comes from')).action(
    async (options) => {
      const { body } = await call(client(options), 'GET', '/anchors');
      printAnchors(body);
    },
  );
  clientOptions(anchors.command('add <network>').description('add a runtime trust anchor (it is followed too)')).action(
    async (network, options) => {
      const { body } = await call(client(options), 'POST', '/anchors', { network });
      io.out(`${network}: ${body.added ? 'added' : 'already an anchor'}${body.known ? '' : ` (${body.note})`}\n`);
    },
  );
  clientOptions(anchors.command('remove <network>').description('remove a runtime trust anchor')).action(
    async (network, options) => {
      await call(client(options), 'DELETE', `/anchors/${encodeURIComponent(network)}`);
      io.out(`${network}: removed\n`);
    },
  );

  // Offered networks (decision 0042): networks that list this institution, found through peers; the operator decides.
  const offers = program.command('offers').description('networks that list this institution, to accept or decline');
  clientOptions(
    offers.command('list').description('list the offered networks and how each lists the institution'),
  ).action(async (options) => {
    const { body } = await call(client(options), 'GET', '/follows/offers');
    type Offer = {
      network: string;
      name?: string;
      threshold?: number;
      governors?: string[];
      member?: { status: string; name: string; from: string };
    };
    for (const offer of body.details as Offer[]) {
      const member = offer.member ? `${offer.member.status} as ${offer.member.name} since ${offer.member.from}` : '';
      io.out(`${offer.network}\t${offer.name ?? ''}\t${offer.threshold}-of-${offer.governors?.length}\t${member}\n`);
    }
  });
  clientOptions(
    offers.command('accept <network>').description('follow an offered network (not a trust anchor)'),
  ).action(async (network, options) => {
    await call(client(options), 'POST', `/follows/offers/${encodeURIComponent(network)}/accept`, {});
    io.out(`${network}: accepted (followed)\n`);
  });
  clientOptions(offers.command('decline <network>').description('decline an offered network')).action(
    async (network, options) => {
      await call(client(options), 'POST', `/follows/offers/${encodeURIComponent(network)}/decline`, {});
      io.out(`${network}: declined\n`);
    },
  );

  addGovernanceCommands(program, { out: io.out, clientOptions, client, env: io.env });
  return program;
}
