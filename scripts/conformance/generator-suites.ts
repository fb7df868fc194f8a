/**
 * Suites that drive a local command (a "generator") instead of HTTP endpoints: w3c/vc-test-suite (VC Data Model
 * 1.1) runs the command named in its `config.json` on each input file. The runner writes that config, pointing at
 * vc11-generator.ts, and runs the suite without a node: the generator applies the node's data-model checks
 * in-process (vc11-documents.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportNotes } from './mocha-report.ts';

export interface GeneratorSuite {
  /** The suite's package name (package.json `name`). */
  name: string;
  mochaArgs: string[];
  /** The suite's config.json for this node. */
  config(dir: string): Promise<Record<string, unknown>>;
  /** Pending tests that do not apply, with the reason (failures are marked by the generator itself). */
  notes: ReportNotes;
}

const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const GENERATOR = fileURLToPath(new URL('./vc11-generator.ts', import.meta.url));

/** One word for the shell: the suite joins the command, its options and the file with spaces and runs `sh -c`. */
function shellWord(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export const generatorSuites: GeneratorSuite[] = [
  {
    name: 'vc-test-suite',
    mochaArgs: ['--recursive', 'test/vc-data-model-1.0/', '--timeout', '30000'],
    async config(dir) {
      // The suite's JWT tests read the keys they hand the generator from here (config.json.jwt.example is JSON).
      const example = JSON.parse(await readFile(join(dir, 'config.json.jwt.example'), 'utf8')) as { jwt: unknown };
      const command = (kind: string) => [TSX, GENERATOR, kind].map(shellWord).join(' ');
      return {
        generator: command('credential'),
        presentationGenerator: command('presentation'),
        generatorOptions: '',
        // ZKP (CL signatures with credentialSchema-bound proofs) is not implemented here.
        sectionsNotSupported: ['zkp'],
        jwt: example.jwt,
      };
    },
    notes: {
      notApplicable: [
        {
          title: /^Zero-Knowledge Proofs/,
          reason: 'ZKP credentials (CL signatures, VC DM 1.1 §5.8) are not implemented by this node',
        },
      ],
    },
  },
];

export function generatorSuiteByName(name: string): GeneratorSuite | undefined {
  return generatorSuites.find((s) => s.name === name);
}
