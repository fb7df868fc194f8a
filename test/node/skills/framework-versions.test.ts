import { describe, expect, it } from 'vitest';
import { createAssemblyMemo, frameworkVersions } from '../../../node/skills/skill-catalog.ts';
import type { Publication } from '../../../registry/publications.ts';
import {
  type FrameworkPart,
  frameworkPublicationId,
  splitFramework,
} from '../../../registry/skills/framework-parts.ts';

const framework = (wording: string) => ({
  id: 'https://f.example',
  name: 'F',
  version: '1',
  items: Array.from({ length: 120 }, (_, i) => ({ id: `https://f.example/${i}`, name: `${wording} ${i}` })),
});
const publish = (parts: FrameworkPart[], at: string): Publication[] =>
  parts.map((body) => ({
    publisher: 'did:key:z6MkPublisher',
    kind: 'skill-framework',
    id: frameworkPublicationId(body),
    version: 1,
    publishedAt: at,
    body: body as never,
    proof: { verificationMethod: 'did:key:z6MkPublisher#k', signature: 'x' },
  }));

describe('framework versions held in parts', () => {
  it('keeps serving the last complete assembly while a version is replaced part by part', () => {
    const before = publish(splitFramework(framework('Plan'), 2048) as FrameworkPart[], '2026-11-01T00:00:00Z');
    const after = publish(splitFramework(framework('Assess'), 2048) as FrameworkPart[], '2026-11-02T00:00:00Z');
    expect(before.length).toBe(after.length);
    const memo = createAssemblyMemo();
    const names = (list: Publication[]) => frameworkVersions(list, undefined, memo).map((f) => f.items[0].name);

    expect(names(before)).toEqual(['Plan 0']);
    // Half of the new parts have replaced the old ones (same publication ids): neither set is complete.
    const half = Math.floor(after.length / 2);
    expect(names([...after.slice(0, half), ...before.slice(half)])).toEqual(['Plan 0']);
    expect(names(after)).toEqual(['Assess 0']);
    // Without what an earlier rebuild assembled, a half-replaced version is simply not served.
    expect(frameworkVersions([...after.slice(0, half), ...before.slice(half)])).toEqual([]);
  });
});
