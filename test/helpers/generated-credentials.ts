/**
 * Seeded generator of varied Open Badges 3.0 credentials for differential tests of the JSON-LD fast paths:
 * nested nodes of every OB type (each with its type-scoped context), terms whose meaning depends on the scope
 * they appear in, arrays and single values, language-tagged and typed values, numbers and booleans, blank nodes,
 * shared ids, inline contexts with new (and type-scoped) terms, and embedded contexts in nested nodes.
 */
// mulberry32, seeded: a failing case can be regenerated from its seed.
import { prng } from '../../scripts/attack/ports.ts';

type Json = Record<string, unknown>;

const WORDS = [
  'retail',
  'nurse',
  'welding',
  'Ünïcode',
  'data',
  'care',
  'line "quoted"',
  'tab\tand\nnewline',
  '🎓',
  'B+',
];
const VOCAB = 'https://ex.example/vocab#';

/** The scoped terms of each OB 3.0.3 type used here, and what kind of value each takes. */
const TERMS: Record<string, Record<string, string>> = {
  Achievement: {
    achievementType: 'enum',
    name: 'text',
    description: 'text',
    criteria: 'Criteria',
    image: 'Image',
    alignment: 'Alignment[]',
    creator: 'Profile',
    creditsAvailable: 'float',
    fieldOfStudy: 'text',
    humanCode: 'text',
    tag: 'text[]',
    version: 'text',
    inLanguage: 'lang',
    resultDescription: 'ResultDescription[]',
    related: 'Related[]',
    otherIdentifier: 'IdentifierEntry[]',
  },
  AchievementSubject: {
    achievement: 'Achievement',
    activityEndDate: 'date',
    activityStartDate: 'date',
    creditsEarned: 'float',
    identifier: 'IdentityObject[]',
    image: 'Image',
    licenseNumber: 'text',
    result: 'Result[]',
    role: 'text',
    term: 'text',
  },
  Profile: { name: 'text', url: 'url', email: 'text', description: 'text', image: 'Image', address: 'Address' },
  Image: { caption: 'text' },
  Alignment: { targetName: 'text', targetUrl: 'url', targetFramework: 'text', targetCode: 'text', targetType: 'enum' },
  Criteria: { narrative: 'text' },
  Result: { value: 'text', status: 'enum', achievedLevel: 'url', resultDescription: 'url' },
  ResultDescription: {
    name: 'text',
    resultType: 'enum',
    allowedValue: 'text[]',
    requiredLevel: 'url',
    valueMax: 'text',
    rubricCriterionLevel: 'RubricCriterionLevel[]',
  },
  RubricCriterionLevel: { name: 'text', description: 'text', level: 'text', points: 'text' },
  IdentityObject: { hashed: 'bool', identityHash: 'text', identityType: 'enum', salt: 'text' },
  IdentifierEntry: { identifier: 'text', identifierType: 'enum' },
  Related: { inLanguage: 'lang', version: 'text' },
  Address: { addressCountry: 'text', addressLocality: 'text', geo: 'GeoCoordinates' },
  GeoCoordinates: { latitude: 'float', longitude: 'float' },
  Evidence: { narrative: 'text', name: 'text', genre: 'text', audience: 'text' },
};

export interface GeneratedCredential {
  seed: number;
  credential: Json;
}

export function generateCredential(seed: number): GeneratedCredential {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const chance = (p: number) => random() < p;
  const text = () =>
    Array.from({ length: 1 + int(3) }, () => pick(WORDS))
      .join(' ')
      .concat(chance(0.3) ? ` ${int(1000)}` : '');
  const ids = ['https://ex.example/things/1', 'urn:uuid:2f6a1c4e-0000-4000-8000-000000000001', 'did:example:abc'];
  const id = () => (chance(0.2) ? pick(ids) : `https://ex.example/things/${seed}-${int(1e6)}`);
  const inlineTerms = chance(0.3);

  function value(kind: string, depth: number): unknown {
    const many = kind.endsWith('[]');
    const base = many ? kind.slice(0, -2) : kind;
    if (many && chance(0.8)) return Array.from({ length: 1 + int(3) }, () => value(base, depth));
    switch (base) {
      case 'text':
        return chance(0.1) ? { '@value': text(), '@language': pick(['en', 'fr', 'de-CH']) } : text();
      case 'lang':
        return pick(['en', 'fr', 'es-MX']);
      case 'enum':
        return pick(['Certificate', 'Badge', 'ext:Custom', 'Active', 'Completed']);
      case 'date':
        return `2026-0${1 + int(9)}-1${int(9)}T0${int(9)}:00:00Z`;
      case 'url':
        return `https://ex.example/${pick(['a', 'b', 'c'])}/${int(100)}`;
      case 'float':
        return chance(0.5) ? int(40) : Math.round(random() * 4000) / 100;
      case 'bool':
        return chance(0.5);
      default:
        return node(base, depth + 1);
    }
  }

  function node(type: string, depth: number): Json | string {
    // Sometimes a bare reference (an IRI) where a node is expected.
    if (depth > 1 && chance(0.08)) return id();
    const terms = TERMS[type] ?? {};
    const out: Json = {};
    if (chance(0.7)) out.id = id();
    out.type = chance(0.5) ? [type] : type;
    if (inlineTerms && chance(0.15)) out.type = [type, 'Badge'];
    // A scoped term where it belongs, and now and then one from another scope (it then means another IRI).
    const names = Object.keys(terms).filter(() => chance(0.6));
    if (chance(0.03)) names.push(pick(['inLanguage', 'name']));
    for (const name of names) {
      const kind = terms[name] ?? 'text';
      if (depth > 4 && /^[A-Z]/.test(kind)) continue;
      out[name] = value(kind, depth);
    }
    if (inlineTerms && chance(0.3)) out.score = int(100);
    if (Array.isArray(out.type) && out.type.includes('Badge')) out.rank = text();
    if (depth > 0 && chance(0.05)) out['@context'] = { note: `${VOCAB}note` };
    if (out['@context']) out.note = text();
    return out;
  }

  const context: unknown[] = [
    'https://www.w3.org/ns/credentials/v2',
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
  ];
  if (inlineTerms) {
    context.push({
      score: { '@id': `${VOCAB}score`, '@type': 'http://www.w3.org/2001/XMLSchema#integer' },
      Badge: { '@id': `${VOCAB}Badge`, '@context': { rank: `${VOCAB}rank` } },
    });
  }
  const credential: Json = {
    '@context': context,
    id: `urn:uuid:${seed.toString(16).padStart(8, '0')}-1111-4000-8000-000000000000`,
    type: ['VerifiableCredential', pick(['OpenBadgeCredential', 'AchievementCredential'])],
    issuer: chance(0.5) ? 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' : node('Profile', 1),
    validFrom: '2026-01-01T00:00:00Z',
    name: text(),
    credentialSubject: chance(0.15)
      ? [node('AchievementSubject', 0), node('AchievementSubject', 0)]
      : node('AchievementSubject', 0),
  };
  if (chance(0.3)) credential.evidence = value('Evidence[]', 0);
  if (chance(0.2)) credential.description = value('text', 0);
  if (chance(0.2)) credential.validUntil = '2030-01-01T00:00:00Z';
  // Key order must not matter: shuffle the top level now and then.
  if (chance(0.3)) {
    const entries = Object.entries(credential).sort(() => random() - 0.5);
    return { seed, credential: Object.fromEntries(entries) };
  }
  return { seed, credential };
}
