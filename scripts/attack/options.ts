/** Command-line options of `npm run attack` (sizes, phases, seed), with defaults that finish in minutes. */
import { parseArgs } from 'node:util';

export interface AttackOptions {
  phases: Set<'http' | 'rogue' | 'crash'>;
  requests: number;
  concurrency: number;
  mutations: number;
  kills: number;
  seed: number;
  slowloris: number;
  slowlorisCapMs: number;
  oversized: number;
  rateLimit: number;
  json?: string;
}

export const USAGE = `npm run attack -- [--quick] [--requests N] [--mutations N] [--kills N] [--phases http,rogue,crash]
  [--concurrency N] [--seed N] [--slowloris N] [--slowloris-cap-ms MS] [--oversized N] [--rate-limit N] [--json FILE]`;

export function parseOptions(argv: string[]): AttackOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      requests: { type: 'string' },
      mutations: { type: 'string' },
      kills: { type: 'string' },
      phases: { type: 'string', default: 'http,rogue,crash' },
      concurrency: { type: 'string', default: '8' },
      seed: { type: 'string', default: '16' },
      slowloris: { type: 'string' },
      'slowloris-cap-ms': { type: 'string' },
      oversized: { type: 'string' },
      'rate-limit': { type: 'string', default: '1000000' },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const num = (v: string | undefined, full: number, small: number) => {
    const n = Number(v ?? (quick ? small : full));
    if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${v}\n${USAGE}`);
    return n;
  };
  const phases = new Set(values.phases.split(',').map((p) => p.trim()));
  for (const p of phases) if (!['http', 'rogue', 'crash'].includes(p)) throw new Error(`unknown phase ${p}\n${USAGE}`);
  return {
    phases: phases as AttackOptions['phases'],
    requests: num(values.requests, 10_000, 400),
    mutations: num(values.mutations, 1_000, 120),
    kills: num(values.kills, 30, 3),
    concurrency: num(values.concurrency, 8, 8),
    seed: num(values.seed, 16, 16),
    slowloris: num(values.slowloris, 40, 6),
    slowlorisCapMs: num(values['slowloris-cap-ms'], 30_000, 5_000),
    oversized: num(values.oversized, 24, 4),
    rateLimit: num(values['rate-limit'], 1_000_000, 1_000_000),
    json: values.json,
  };
}
