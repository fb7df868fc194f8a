/**
 * `ler-node skills …`: import a framework (the node's own format, a CASE 1.1 package or an OSMT collection),
 * search the frameworks the node holds, and match credentials against required skills.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, EXIT, parseJson, readJsonFile } from './cli-errors.ts';
import { call } from './client.ts';
import type { CommandHelpers } from './command-helpers.ts';
import { createProgress, emit } from './output.ts';

const FORMATS = { framework: '/skills/frameworks', case: '/skills/import/case', osmt: '/skills/import/osmt' } as const;
type Format = keyof typeof FORMATS;

/** CASE packages carry a CFDocument; the node's own frameworks an id and items; anything else is tried as OSMT. */
function detectFormat(document: Record<string, unknown>): Format {
  if (document.CFDocument !== undefined) return 'case';
  if (typeof document.id === 'string' && Array.isArray(document.items)) return 'framework';
  return 'osmt';
}

export function addSkillCommands(program: Command, helpers: CommandHelpers): void {
  const { out, clientOptions, client } = helpers;
  const skills = program.command('skills').description('skill frameworks: import, search, match');

  clientOptions(
    skills
      .command('import <file>')
      .description('publish the skill framework in FILE (a framework, a CASE 1.1 package or an OSMT collection)')
      .option('--format <format>', 'framework | case | osmt (default: from the content)'),
  ).action(async (file, options, cmd: Command) => {
    const size = (await stat(file)).size;
    const document = parseJson(await readFile(file, 'utf8'), file) as Record<string, unknown>;
    if (!document || typeof document !== 'object' || Array.isArray(document)) {
      throw new CliError(`${file} must hold a JSON object`, EXIT.badJson);
    }
    const format = (options.format ?? detectFormat(document)) as Format;
    if (!Object.hasOwn(FORMATS, format)) {
      throw new CliError(`--format must be one of ${Object.keys(FORMATS).join(', ')}`, EXIT.configInvalid);
    }
    // One request the node may take a while over (a large framework is split and signed in parts).
    const progress = createProgress(helpers.progress, `importing ${file} (${(size / 1048576).toFixed(1)} MiB), s`);
    const started = Date.now();
    const ticker = setInterval(() => progress.update(Math.round((Date.now() - started) / 1000)), 1000);
    try {
      const { body } = await call(client(options), 'POST', FORMATS[format], document);
      emit(
        out,
        cmd,
        body,
        `imported ${body.id} version ${body.version}: ${body.items} item(s) in ${(body.publications as unknown[]).length} publication(s)\n`,
      );
    } finally {
      clearInterval(ticker);
      progress.finish();
    }
  });

  clientOptions(
    skills
      .command('search <query>')
      .description('ranked search over the skills of the frameworks this node holds')
      .option('--framework <id>', 'only this framework')
      .option('--limit <n>', 'at most this many results (1–100, default 20)'),
  ).action(async (query, options, cmd: Command) => {
    const params = new URLSearchParams({
      q: query,
      ...(options.framework ? { framework: options.framework } : {}),
      ...(options.limit ? { limit: options.limit } : {}),
    });
    const { body } = await call(client(options), 'GET', `/skills/search?${params}`);
    const results = body.results as Array<Record<string, unknown>>;
    emit(out, cmd, body, () =>
      results.length
        ? results.map((r) => `${r.id}\t${r.name}\t[${r.framework}]\t${Number(r.score).toFixed(2)}\n`).join('')
        : 'no results\n',
    );
  });

  clientOptions(
    skills
      .command('match <files...>')
      .description(
        'which required skills do the credentials in FILES (or one presentation) evidence? exit 0 if all, 1 if not',
      )
      .requiredOption('--required <skillId>', 'a required skill id (repeatable)', (v, prev: string[] = []) => [
        ...prev,
        v,
      ]),
  ).action(async (files: string[], options, cmd: Command) => {
    const documents = (await Promise.all(files.map((f) => readJsonFile(f)))) as Array<Record<string, unknown>>;
    const presentation =
      documents.length === 1 && ([] as unknown[]).concat(documents[0].type).includes('VerifiablePresentation');
    const { body } = await call(client(options), 'POST', '/skills/match', {
      required: options.required,
      ...(presentation ? { verifiablePresentation: documents[0] } : { credentials: documents }),
    });
    emit(out, cmd, body, () => formatMatch(body));
    // Like `verify`: 0 only when every required skill is evidenced by a verified, trusted credential.
    if (!(body.matches as Array<{ evidenced: boolean }>).every((m) => m.evidenced)) process.exitCode = 1;
  });
}

function formatMatch(body: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const m of body.matches as Array<Record<string, unknown>>) {
    const how = m.via === 'crosswalk' ? ` via ${m.relation} from ${m.from}` : '';
    lines.push(
      `${m.evidenced ? '✔' : '✘'} ${m.skill}${m.evidenced ? `  by ${m.credential ?? '(credential)'}${how}` : ''}`,
    );
  }
  for (const i of body.ignored as Array<Record<string, unknown>>) {
    lines.push(`  ignored ${i.credential ?? '(credential)'}: ${i.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
