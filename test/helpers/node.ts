/** Builds real node components over a real level database in a temp dir. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Components, type ComponentsOptions, createComponents } from '../../node/components.ts';
import { loadOrCreateIdentity } from '../../node/identity.ts';
import { type Database, openDatabase } from '../../node/storage/database.ts';
import { openLedger } from '../../node/storage/ledger.ts';

export interface TestNode {
  dir: string;
  database: Database;
  components: Components;
  adminToken: string;
  close(): Promise<void>;
}

export async function tempDir(prefix = 'ler-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function createTestNode(
  options: Partial<Omit<ComponentsOptions, 'database' | 'identity'>> & { didWeb?: string; dir?: string } = {},
): Promise<TestNode> {
  const dir = options.dir ?? (await tempDir());
  const database = await openDatabase(join(dir, 'db'));
  const { identity, adminToken } = await loadOrCreateIdentity(database, { didWeb: options.didWeb });
  const components = await createComponents({
    ledger: await openLedger(join(dir, 'node.json')),
    publicUrl: 'http://127.0.0.1:8080',
    ...options,
    database,
    identity,
  });
  return {
    dir,
    database,
    components,
    adminToken: adminToken ?? '',
    async close() {
      await components.close();
      await database.close();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A small Open Badges 3.0 achievement credential, as an institution would post it. */
export function sampleBadge(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Business Management Fundamentals',
    credentialSubject: {
      id: 'did:example:learner-1',
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://example.edu/achievements/bm-101',
        type: ['Achievement'],
        name: 'Business Management Fundamentals',
        description: 'Plans, budgets and leads a retail team through a season.',
        criteria: { narrative: 'Completed the course project and assessment with a grade of B or better.' },
      },
    },
    ...overrides,
  };
}

/** An OB 3.0 badge whose achievement is aligned to the skill `targetUrl`. */
export function alignedBadge(targetUrl: string, achievementId = 'https://cc.example/a/cyber'): Record<string, unknown> {
  return sampleBadge({
    credentialSubject: {
      id: 'did:example:kai',
      type: ['AchievementSubject'],
      achievement: {
        id: achievementId,
        type: ['Achievement'],
        name: 'Cyber Defense Analysis',
        criteria: { narrative: 'Assessed triage exercise.' },
        alignment: [{ type: ['Alignment'], targetName: 'Incident triage', targetUrl }],
      },
    },
  });
}
