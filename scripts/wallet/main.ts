/**
 * `npm run wallet -- <command>`: a small reference holder for people and tests,
 * built on the OpenWallet Foundation's @openid4vc libraries. It keeps one
 * did:key and its credentials in a folder (default ./.ler-wallet).
 *
 *   init                         create the wallet's key, print its DID
 *   receive <offer-uri> [--tx-code CODE]   redeem a credential offer (OID4VCI), store the credential
 *   list                         list the stored credentials
 *   present <request-uri>        answer a presentation request (OID4VP) with a fitting credential
 *   exchange <interaction-url>   run a VCALM exchange (vcapi): receive a credential or present one
 *
 * Options: --dir DIR, --insecure (allow http:// issuers and verifiers: local demos only).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { Command } from 'commander';
import type { JWK } from 'jose';
import { generateHolderKey, type HolderKey, holderKeyFromJwk } from './holder-key.ts';
import { presentCredential } from './present.ts';
import { receiveCredential } from './receive.ts';
import { runExchange } from './vcalm.ts';

type Json = Record<string, unknown>;

async function loadKey(dir: string): Promise<HolderKey> {
  try {
    return await holderKeyFromJwk(JSON.parse(await readFile(join(dir, 'key.json'), 'utf8')) as JWK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`no wallet in ${dir}: run "npm run wallet -- init --dir ${dir}" first`);
    }
    throw error;
  }
}

async function loadCredentials(dir: string): Promise<Json[]> {
  const folder = join(dir, 'credentials');
  const names = await readdir(folder).catch(() => [] as string[]);
  return Promise.all(
    names.filter((n) => n.endsWith('.json')).map(async (n) => JSON.parse(await readFile(join(folder, n), 'utf8'))),
  );
}

function fileNameOf(credential: Json): string {
  return `${String(credential.id ?? Date.now()).replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;
}

export function walletProgram(out: (text: string) => void = (t) => process.stdout.write(t)): Command {
  const program = new Command('wallet').description('a reference wallet (OID4VCI / OID4VP) built on @openid4vc');
  const withCommon = (command: Command) =>
    command
      .option('--dir <dir>', 'wallet folder', './.ler-wallet')
      .option('--insecure', 'allow http:// issuers and verifiers (local demos only)')
      .hook('preAction', (cmd) => {
        if (cmd.opts().insecure) setGlobalConfig({ allowInsecureUrls: true });
      });

  withCommon(program.command('init').description("create the wallet's did:key")).action(async (options) => {
    await mkdir(join(options.dir, 'credentials'), { recursive: true });
    try {
      const key = await loadKey(options.dir);
      out(`wallet exists: ${key.did}\n`);
    } catch {
      const key = await generateHolderKey();
      await writeFile(join(options.dir, 'key.json'), JSON.stringify(key.privateJwk), { mode: 0o600 });
      out(`${key.did}\n`);
    }
  });

  withCommon(
    program
      .command('receive <offerUri>')
      .description('redeem a credential offer and store the credential')
      .option('--tx-code <code>', 'the transaction code the institution gave you'),
  ).action(async (offerUri, options) => {
    const key = await loadKey(options.dir);
    const { credential, issuer } = await receiveCredential({ offerUri, key, txCode: options.txCode });
    await mkdir(join(options.dir, 'credentials'), { recursive: true });
    const file = join(options.dir, 'credentials', fileNameOf(credential));
    await writeFile(file, `${JSON.stringify(credential, null, 2)}\n`);
    out(`received ${String(credential.name ?? credential.id)} from ${issuer}\nstored in ${file}\n`);
  });

  withCommon(program.command('list').description('list the stored credentials')).action(async (options) => {
    for (const credential of await loadCredentials(options.dir)) {
      const issuer = credential.issuer as Json | string;
      out(`${credential.id}  ${credential.name ?? ''}  (${typeof issuer === 'string' ? issuer : issuer?.id})\n`);
    }
  });

  withCommon(
    program.command('present <requestUri>').description('answer a presentation request with a fitting credential'),
  ).action(async (requestUri, options) => {
    const key = await loadKey(options.dir);
    const answer = await presentCredential({ requestUri, key, credentials: await loadCredentials(options.dir) });
    if (answer.status >= 400) {
      const body = answer.body as Json | undefined;
      throw new Error(`the verifier refused: ${body?.error ?? answer.status} ${body?.error_description ?? ''}`);
    }
    out(`presented ${answer.credentialId} to ${answer.verifier}\n`);
  });
  withCommon(
    program.command('exchange <interactionUrl>').description('run a VCALM exchange (vcapi) from its interaction URL'),
  ).action(async (interactionUrl, options) => {
    if (!options.insecure && interactionUrl.startsWith('http://')) throw new Error('http:// needs --insecure');
    const key = await loadKey(options.dir);
    const outcome = await runExchange({ interactionUrl, key, credentials: await loadCredentials(options.dir) });
    for (const credential of outcome.credentials) {
      const file = join(options.dir, 'credentials', fileNameOf(credential));
      await mkdir(join(options.dir, 'credentials'), { recursive: true });
      await writeFile(file, `${JSON.stringify(credential, null, 2)}\n`);
      out(`received ${String(credential.name ?? credential.id)}\nstored in ${file}\n`);
    }
    if (outcome.credentials.length === 0) out('presented; the exchange is complete\n');
  });
  return program;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  walletProgram()
    .parseAsync(process.argv)
    .catch((error: Error) => {
      process.stderr.write(`wallet: ${error.message}\n`);
      process.exitCode = 1;
    });
}
