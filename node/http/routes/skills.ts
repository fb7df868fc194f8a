/** Skills (API.md): frameworks held, ranked search, items, crosswalk equivalents, CASE import. */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { importCasePackage } from '../../../registry/skills/case-import.ts';
import { validateCrosswalk } from '../../../registry/skills/crosswalk.ts';
import { validateFramework } from '../../../registry/skills/framework.ts';
import { frameworkPublicationId, splitFramework } from '../../../registry/skills/framework-parts.ts';
import { importOsmtCollection } from '../../../registry/skills/osmt-import.ts';
import type { VerificationReport } from '../../../registry/verification/report.ts';
import { NodeError } from '../../errors.ts';
import type { PublicationStore } from '../../publications/publication-store.ts';
import { matchSkills } from '../../skills/job-match.ts';
import type { SkillCatalog } from '../../skills/skill-catalog.ts';
import type { CredentialVerifier } from '../../verification/verifier.ts';
import { readJsonObject } from '../json-body.ts';
import { DEFAULT_MAX_FRAMEWORK_BYTES } from '../limits.ts';
import { parseRequest } from '../request-input.ts';

export function skillRoutes(deps: {
  skills: SkillCatalog;
  publications: PublicationStore;
  verifier: CredentialVerifier;
  adminOnly: MiddlewareHandler;
  publicLimit: MiddlewareHandler;
  maxFrameworkItems?: number;
  /** Largest framework, CASE or OSMT request body, in bytes (default 8 MiB). */
  maxFrameworkBytes?: number;
}) {
  const app = new Hono();
  const publishFramework = async (framework: unknown) => {
    const f = validateFramework(framework, { maxItems: deps.maxFrameworkItems });
    // One publication per framework version, so credentials aligned to an older version still resolve; a
    // framework too large for one publication goes out in parts.
    const published = [];
    for (const body of splitFramework(f)) {
      const p = await deps.publications.publishOwn('skill-framework', frameworkPublicationId(body), body as never);
      published.push({ id: p.id, version: p.version });
    }
    return { id: f.id, version: f.version, items: f.items.length, publications: published };
  };
  // Whole frameworks and CASE or OSMT exports are larger than other requests (admin only). A parsed body
  // takes several times its size in memory, so the size is checked on the bytes (Content-Length, then the
  // streamed count) before anything is parsed, and only one such body is read and processed at a time.
  const maxFrameworkBytes = deps.maxFrameworkBytes ?? DEFAULT_MAX_FRAMEWORK_BYTES;
  let frameworkBusy = false;
  const oneFrameworkAtATime = async <T>(c: Context, work: () => Promise<T>): Promise<T> => {
    if (frameworkBusy) {
      c.header('retry-after', '1');
      throw new NodeError('BUSY', 'another framework is being imported; try again shortly');
    }
    frameworkBusy = true;
    try {
      return await work();
    } finally {
      frameworkBusy = false;
    }
  };
  const frameworkBody = (c: Context) =>
    readJsonObject(c, { maxBytes: maxFrameworkBytes, maxDepth: 32, maxArrayLength: 200_000 });

  app.get('/frameworks', (c) => c.json({ frameworks: deps.skills.frameworks(), conflicts: deps.skills.conflicts() }));
  app.get('/frameworks/:id', (c) => {
    const framework = deps.skills.framework(c.req.param('id'), c.req.query('version'));
    if (!framework) throw new NodeError('NOT_FOUND', 'no such framework');
    return c.json(framework);
  });
  app.post('/frameworks', deps.adminOnly, async (c) =>
    c.json(await oneFrameworkAtATime(c, async () => publishFramework(await frameworkBody(c))), 201),
  );
  app.post('/import/case', deps.adminOnly, async (c) =>
    c.json(await oneFrameworkAtATime(c, async () => publishFramework(importCasePackage(await frameworkBody(c)))), 201),
  );
  app.post('/import/osmt', deps.adminOnly, async (c) =>
    c.json(
      await oneFrameworkAtATime(c, async () => publishFramework(importOsmtCollection(await frameworkBody(c)))),
      201,
    ),
  );
  app.post('/crosswalks', deps.adminOnly, async (c) => {
    const crosswalk = validateCrosswalk(await readJsonObject(c), (id) => deps.skills.knows(id));
    await deps.publications.publishOwn('skill-crosswalk', crosswalk.id, crosswalk as never);
    return c.json({ id: crosswalk.id, mappings: crosswalk.mappings.length }, 201);
  });
  // Which required skills do these credentials evidence? Only verified, trusted credentials count.
  app.post('/match', deps.publicLimit, async (c) => {
    const body = await parseRequest('MatchRequest', await readJsonObject(c));
    const { required } = body;
    let reports: VerificationReport[];
    if (body.verifiablePresentation !== undefined) {
      reports = (await deps.verifier.verifyPresentation(body.verifiablePresentation, { signal: c.req.raw.signal }))
        .credentials;
    } else if (Array.isArray(body.credentials) && body.credentials.length > 0 && body.credentials.length <= 100) {
      reports = await deps.verifier.verifyCredentials(body.credentials, { signal: c.req.raw.signal });
    } else {
      throw new NodeError('VALIDATION_FAILED', 'give credentials (1–100) or a verifiablePresentation');
    }
    return c.json(matchSkills(deps.skills, required, reports));
  });

  app.get('/search', async (c) => {
    const query = await parseRequest('SearchQuery', c.req.query());
    const limit = Number(query.limit ?? 20);
    return c.json({ results: await deps.skills.search(query.q, { framework: query.framework, limit }) });
  });
  app.get('/:id/equivalents', (c) => {
    const id = c.req.param('id');
    if (!deps.skills.knows(id)) throw new NodeError('NOT_FOUND', `unknown skill ${id}`);
    return c.json({ id, equivalents: deps.skills.equivalents(id) });
  });
  app.get('/:id', (c) => {
    const found = deps.skills.item(c.req.param('id'));
    if (!found) throw new NodeError('NOT_FOUND', 'unknown skill');
    return c.json(found);
  });
  return app;
}
