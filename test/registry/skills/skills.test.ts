import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../registry/canonical.ts';
import { toCasePackage } from '../../../registry/skills/case-export.ts';
import { importCasePackage } from '../../../registry/skills/case-import.ts';
import { controlsName, settleClaim, settleClaims } from '../../../registry/skills/claims.ts';
import { equivalentsOf, indexCrosswalks, validateCrosswalk } from '../../../registry/skills/crosswalk.ts';
import { validateFramework } from '../../../registry/skills/framework.ts';
import {
  assembleFramework,
  type FrameworkPart,
  frameworkPublicationId,
  splitFramework,
  validateFrameworkPart,
} from '../../../registry/skills/framework-parts.ts';
import { importOsmtCollection } from '../../../registry/skills/osmt-import.ts';

const item = (id: string, extra: Record<string, unknown> = {}) => ({
  id: `https://f.example/${id}`,
  name: `Skill ${id}`,
  ...extra,
});
const framework = (items: unknown[]) => ({ id: 'https://f.example', name: 'F', version: '1', items });

describe('skill frameworks', () => {
  it('accepts a well-formed framework', () => {
    expect(
      validateFramework(framework([item('a'), item('b', { broader: ['https://f.example/a'] })])).items,
    ).toHaveLength(2);
  });

  it('refuses duplicate ids, unknown links, cycles and oversized frameworks', () => {
    const code = (f: unknown, max?: number) => {
      try {
        validateFramework(f, { maxItems: max });
        return 'accepted';
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    };
    expect(code(framework([item('a'), item('a')]))).toMatch(/INVALID_FRAMEWORK: duplicate item id/);
    expect(code(framework([item('a', { broader: ['https://f.example/zz'] })]))).toMatch(/unknown item/);
    expect(
      code(
        framework([item('a', { broader: ['https://f.example/b'] }), item('b', { broader: ['https://f.example/a'] })]),
      ),
    ).toMatch(/cycle/);
    expect(code(framework([item('a'), item('b'), item('c')]), 2)).toMatch(/limit is 2/);
  });
});

describe('the CASE 1.1 importer', () => {
  const pkg = {
    CFDocument: {
      identifier: 'doc-1',
      uri: 'https://case.example/doc-1',
      title: 'Cyber Skills',
      version: '2.0',
      creator: 'Harbor CC',
    },
    CFItems: [
      {
        identifier: 'i1',
        uri: 'https://case.example/i1',
        fullStatement: 'Protect networks',
        humanCodingScheme: 'CY-1',
      },
      {
        identifier: 'i2',
        uri: 'https://case.example/i2',
        fullStatement: 'Triage security alerts and escalate incidents',
        abbreviatedStatement: 'Incident triage',
        humanCodingScheme: 'CY-1.1',
      },
    ],
    CFAssociations: [
      {
        associationType: 'isChildOf',
        originNodeURI: { identifier: 'i1', uri: 'https://case.example/i1' },
        destinationNodeURI: { identifier: 'doc-1', uri: 'https://case.example/doc-1' },
      },
      {
        associationType: 'isChildOf',
        originNodeURI: { identifier: 'i2', uri: 'https://case.example/i2' },
        destinationNodeURI: { identifier: 'i1', uri: 'https://case.example/i1' },
      },
    ],
  };

  it('maps document, items, codes and isChildOf into a valid framework', () => {
    const f = validateFramework(importCasePackage(pkg));
    expect(f).toMatchObject({
      id: 'https://case.example/doc-1',
      name: 'Cyber Skills',
      version: '2.0',
      publisher: 'Harbor CC',
    });
    expect(f.items.find((i) => i.code === 'CY-1.1')).toMatchObject({
      name: 'Incident triage',
      description: 'Triage security alerts and escalate incidents',
      broader: ['https://case.example/i1'],
    });
  });

  it('reads back what the CASE read API renders', () => {
    const original = validateFramework(importCasePackage(pkg));
    const again = validateFramework(importCasePackage(toCasePackage(original, '2026-11-23T00:00:00Z')));
    expect(again.items).toEqual(original.items);
  });

  it('refuses JSON that is not CASE', () => {
    expect(() => importCasePackage({ skills: [] })).toThrow(expect.objectContaining({ code: 'NOT_CASE' }));
  });
});

describe('the OSMT collection importer', () => {
  it('maps rich skill descriptors into a valid framework', () => {
    const f = validateFramework(
      importOsmtCollection({
        uuid: '7d1e0f52-0000-4000-8000-000000000001',
        name: 'Retail Management RSDs',
        skills: [
          {
            id: 'https://osmt.example/api/skills/a1',
            uuid: 'a1',
            skillName: 'Inventory planning',
            skillStatement: 'Plan stock levels for seasonal demand.',
            keywords: ['retail'],
          },
          {
            id: 'https://osmt.example/api/skills/a2',
            uuid: 'a2',
            skillName: 'Team scheduling',
            skillStatement: 'Build shift schedules.',
          },
        ],
      }),
    );
    expect(f).toMatchObject({ id: 'urn:uuid:7d1e0f52-0000-4000-8000-000000000001', name: 'Retail Management RSDs' });
    expect(f.items[0]).toEqual({
      id: 'https://osmt.example/api/skills/a1',
      name: 'Inventory planning',
      description: 'Plan stock levels for seasonal demand.',
    });
  });

  it('refuses JSON that is not an OSMT export', () => {
    expect(() => importOsmtCollection({ CFDocument: {} })).toThrow(expect.objectContaining({ code: 'NOT_OSMT' }));
  });
});

describe('crosswalks', () => {
  const edges = indexCrosswalks([
    {
      id: 'x1',
      publisher: 'did:key:zHarbor',
      mappings: [{ source: 'nice:T0001', target: 'harbor:CY-1.1', relation: 'exactMatch' }],
    },
    { id: 'x2', mappings: [{ source: 'harbor:CY-1.1', target: 'bluewave:SOC', relation: 'broadMatch' }] },
  ]);

  it('follows crosswalks transitively, in both directions, keeping the relation', () => {
    expect(equivalentsOf(edges, 'nice:T0001')).toEqual([
      {
        id: 'harbor:CY-1.1',
        relation: 'exactMatch',
        path: ['nice:T0001', 'harbor:CY-1.1'],
        crosswalks: [{ id: 'x1', publisher: 'did:key:zHarbor' }],
      },
      {
        id: 'bluewave:SOC',
        relation: 'broadMatch',
        path: ['nice:T0001', 'harbor:CY-1.1', 'bluewave:SOC'],
        crosswalks: [{ id: 'x1', publisher: 'did:key:zHarbor' }, { id: 'x2' }],
      },
    ]);
    expect(equivalentsOf(edges, 'bluewave:SOC')[0]).toMatchObject({ id: 'harbor:CY-1.1', relation: 'narrowMatch' });
  });

  it('refuses mappings to unknown items or with unknown relations', () => {
    const known = (id: string) => id.startsWith('nice:');
    expect(() =>
      validateCrosswalk(
        { id: 'x', mappings: [{ source: 'nice:1', target: 'other:2', relation: 'exactMatch' }] },
        known,
      ),
    ).toThrow(/not a known skill/);
    expect(() =>
      validateCrosswalk({ id: 'x', mappings: [{ source: 'nice:1', target: 'nice:2', relation: 'sameAs' }] }, known),
    ).toThrow(/relation/);
  });
});

describe('the sample skill data shipped for the demo', () => {
  it('is valid: every framework passes validation and every crosswalk names known items', async () => {
    const sample = await import('../../../data/sample-skills.ts');
    const frameworks = [
      sample.CYBER,
      sample.BLUEWAVE,
      sample.NURSING,
      sample.HOSPITAL,
      sample.RETAIL,
      sample.NORTHWIND,
    ];
    const known = new Set(frameworks.flatMap((f) => validateFramework(f).items.map((i) => i.id)));
    for (const c of sample.CROSSWALKS) validateCrosswalk(c, (id) => known.has(id));
    expect(sample.CYBER.items.length).toBeGreaterThanOrEqual(24);
    expect(sample.NURSING.items.length).toBeGreaterThanOrEqual(24);
    expect(sample.RETAIL.items.length).toBeGreaterThanOrEqual(24);
  });
});

describe('large frameworks in parts', () => {
  const big = {
    id: 'https://f.example',
    name: 'Big',
    version: '2',
    items: Array.from({ length: 300 }, (_, i) => ({
      id: `https://f.example/${i}`,
      code: `B-${i}`,
      name: `Skill ${i}`,
      description: 'A description long enough to need several parts at a small budget.',
      ...(i > 0 ? { broader: [`https://f.example/${i - 1}`] } : {}),
    })),
  };
  const errorOf = (fn: () => unknown) => {
    try {
      fn();
      return 'none';
    } catch (error) {
      return (error as { code: string }).code;
    }
  };

  it('splits a framework that exceeds the budget and puts the parts back together in any order', () => {
    expect(splitFramework(big)).toEqual([big]);
    const parts = splitFramework(big, 8 * 1024) as FrameworkPart[];
    expect(parts.length).toBeGreaterThan(3);
    for (const p of parts) {
      expect(Buffer.byteLength(canonicalJson(p))).toBeLessThanOrEqual(8 * 1024);
      // Each part passes alone although its first item links to the part before.
      expect(validateFrameworkPart(p).items.length).toBeGreaterThan(0);
      expect(frameworkPublicationId(p)).toBe(`${big.id}|2|${p.part.index + 1}/${parts.length}`);
    }
    expect(assembleFramework([...parts].reverse())).toEqual({ framework: big });
    expect(assembleFramework(parts.slice(1))).toEqual({ missing: 1 });
  });

  it('refuses parts that do not make their framework', () => {
    const parts = splitFramework(big, 8 * 1024) as FrameworkPart[];
    const tampered = parts.map((p, i) => (i === 1 ? { ...p, items: p.items.slice(1) } : p));
    expect(errorOf(() => assembleFramework(tampered))).toBe('INVALID_FRAMEWORK');
    // A duplicate across parts, or a link to an item no part holds, shows only when put together.
    const duplicate = splitFramework({ ...big, items: [...big.items, big.items[0]] }, 8 * 1024) as FrameworkPart[];
    expect(duplicate.every((p) => validateFrameworkPart(p))).toBe(true);
    expect(errorOf(() => assembleFramework(duplicate))).toBe('INVALID_FRAMEWORK');
    const dangling = splitFramework(
      { ...big, items: [...big.items, { id: 'https://f.example/x', name: 'X', broader: ['https://f.example/none'] }] },
      8 * 1024,
    ) as FrameworkPart[];
    expect(errorOf(() => assembleFramework(dangling))).toBe('INVALID_FRAMEWORK');
    for (const part of [{ index: 3, count: 3, digest: parts[0].part.digest }, { index: 0, count: 2 }, undefined]) {
      expect(errorOf(() => validateFrameworkPart({ ...parts[0], part }))).toBe('INVALID_FRAMEWORK');
    }
  });
});

describe('claims to framework and skill ids', () => {
  it('lets one publisher, or the one controlling the name, speak for an id; otherwise reports a conflict', () => {
    expect(settleClaim('https://a.example/f', ['did:key:z1', 'did:key:z1'])).toEqual({ owner: 'did:key:z1' });
    expect(settleClaim('https://a.example/f', ['did:key:z2', 'did:key:z1'])).toEqual({
      conflict: ['did:key:z1', 'did:key:z2'],
    });
    expect(settleClaim('https://a.example/f', ['did:key:z2', 'did:web:a.example'])).toEqual({
      owner: 'did:web:a.example',
    });
    expect(settleClaim('https://a.example/f', ['did:web:b.example', 'did:web:a.example%3A8443'])).toEqual({
      conflict: ['did:web:a.example%3A8443', 'did:web:b.example'],
    });
    expect(controlsName('did:web:a.example%3A8443:org', 'https://a.example:8443/f')).toBe(true);
    expect(controlsName('did:web:a.example', 'http://a.example/f')).toBe(false);
    const { kept, conflicts } = settleClaims([
      { id: 'x', publisher: 'did:key:z1' },
      { id: 'y', publisher: 'did:key:z1' },
      { id: 'y', publisher: 'did:key:z2' },
    ]);
    expect(kept).toEqual([{ id: 'x', publisher: 'did:key:z1' }]);
    expect([...conflicts]).toEqual([['y', ['did:key:z1', 'did:key:z2']]]);
  });
});
