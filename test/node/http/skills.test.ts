import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { toCasePackage } from '../../../registry/skills/case-export.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';

describe('skills over HTTP', () => {
  let node: TestNode;
  let app: ReturnType<typeof createApp>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    node = await createTestNode();
    app = createApp({ components: node.components, version: 't', health: () => ({ multiaddrs: [], networks: [] }) });
    admin = { 'content-type': 'application/json', authorization: `Bearer ${node.adminToken}` };
  });
  afterAll(async () => {
    await node.close();
  });
  const post = async (path: string, body: unknown) => {
    const res = await app.request(path, { method: 'POST', headers: admin, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const get = async (path: string) => (await (await app.request(path)).json()) as Record<string, any>;

  it('publishes frameworks and a crosswalk, then searches and follows equivalents', async () => {
    const cyber = {
      id: 'https://skills.example/harbor-cyber',
      name: 'Harbor Cyber Skills',
      version: '1.0',
      items: [
        {
          id: 'https://skills.example/harbor-cyber/ir-1',
          code: 'CY-IR-1',
          name: 'Incident triage',
          description: 'Triage alerts and escalate incidents',
        },
        {
          id: 'https://skills.example/harbor-cyber/net-1',
          code: 'CY-NET-1',
          name: 'Network defense',
          description: 'Configure firewalls',
        },
      ],
    };
    const employer = {
      id: 'https://skills.example/bluewave',
      name: 'Bluewave Roles',
      version: '3',
      items: [
        {
          id: 'https://skills.example/bluewave/soc-analyst',
          name: 'SOC analyst duties',
          description: 'Monitor and respond to alerts',
        },
      ],
    };
    expect((await post('/skills/frameworks', cyber)).status).toBe(201);
    expect((await post('/skills/frameworks', employer)).status).toBe(201);
    const crosswalk = await post('/skills/crosswalks', {
      id: 'harbor-to-bluewave',
      mappings: [{ source: cyber.items[0].id, target: employer.items[0].id, relation: 'closeMatch' }],
    });
    expect(crosswalk.status).toBe(201);

    expect((await get('/skills/frameworks')).frameworks).toHaveLength(2);
    expect((await get('/skills/frameworks')).frameworks[0]).toMatchObject({ items: 2, versions: ['1.0'] });
    expect((await get('/skills/search?q=an')).results.length).toBeGreaterThan(1);
    expect((await get('/skills/search?q=an&limit=1')).results).toHaveLength(1);
    expect((await app.request('/skills/search?q=an&limit=0')).status).toBe(400);
    expect((await app.request('/skills/search?q=')).status).toBe(400);
    const results = (await get('/skills/search?q=triage')).results;
    expect(results[0]).toMatchObject({ id: cyber.items[0].id, framework: cyber.id });
    expect(
      (await get(`/skills/search?q=alerts&framework=${encodeURIComponent(employer.id)}`)).results.map((r: any) => r.id),
    ).toEqual([employer.items[0].id]);
    const pkg = await get(`/ims/case/v1p1/CFPackages/${encodeURIComponent(cyber.id)}`);
    expect(pkg.CFDocument).toMatchObject({ identifier: cyber.id, title: 'Harbor Cyber Skills', version: '1.0' });
    expect(pkg.CFItems.map((i: any) => i.humanCodingScheme)).toEqual(['CY-IR-1', 'CY-NET-1']);
    const eq = await get(`/skills/${encodeURIComponent(cyber.items[0].id)}/equivalents`);
    expect(eq.equivalents).toEqual([
      {
        id: employer.items[0].id,
        relation: 'closeMatch',
        path: [cyber.items[0].id, employer.items[0].id],
        crosswalks: [{ id: 'harbor-to-bluewave', publisher: node.components.identity.did }],
      },
    ]);
  });

  it('applies the configured framework size limit', async () => {
    const small = createApp({
      components: node.components,
      version: 't',
      health: () => ({ multiaddrs: [], networks: [] }),
      maxFrameworkItems: 1,
    });
    const res = await small.request('/skills/frameworks', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        id: 'z',
        name: 'Z',
        version: '1',
        items: [
          { id: 'z1', name: 'A' },
          { id: 'z2', name: 'B' },
        ],
      }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).error.message).toMatch(/limit is 1/);
  });

  it('imports a CASE package larger than other requests may be, publishing it in parts', async () => {
    const id = 'https://case.example/frameworks/state-nursing';
    const framework = {
      id,
      name: 'State Nursing Competencies',
      version: '3',
      items: Array.from({ length: 3_000 }, (_, i) => ({
        id: `${id}/c${i}`,
        code: `NC.${i}`,
        name: `Competency ${i}: administer and document medication safely`,
        description: 'Applies the rights of medication administration and documents each dose in the record.',
        ...(i >= 20 ? { broader: [`${id}/c${i % 20}`] } : {}),
      })),
    };
    const casePackage = toCasePackage(framework, '2026-11-24T00:00:00Z');
    expect(Buffer.byteLength(JSON.stringify(casePackage))).toBeGreaterThan(1024 * 1024);
    const imported = await post('/skills/import/case', casePackage);
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ id, version: '3', items: 3_000 });
    expect(imported.body.publications.length).toBeGreaterThan(1);
    const held = await get(`/skills/frameworks/${encodeURIComponent(id)}`);
    expect(held.items).toHaveLength(3_000);
    expect(held.items[2_999]).toMatchObject({ code: 'NC.2999', broader: [`${id}/c19`] });
    expect((await get('/skills/search?q=NC.2999')).results[0]).toMatchObject({ id: `${id}/c2999` });
  });

  it('refuses invalid frameworks and crosswalks to unknown skills (422)', async () => {
    const dup = await post('/skills/frameworks', {
      id: 'x',
      name: 'X',
      version: '1',
      items: [
        { id: 'a', name: 'A' },
        { id: 'a', name: 'A' },
      ],
    });
    expect(dup).toMatchObject({ status: 422, body: { error: { code: 'INVALID_FRAMEWORK' } } });
    const unknown = await post('/skills/crosswalks', {
      id: 'y',
      mappings: [{ source: 'nope', target: 'nada', relation: 'exactMatch' }],
    });
    expect(unknown).toMatchObject({ status: 422, body: { error: { code: 'INVALID_CROSSWALK' } } });
    const notCase = await post('/skills/import/case', { hello: 'world' });
    expect(notCase).toMatchObject({ status: 422, body: { error: { code: 'NOT_CASE' } } });
  });
});
