/**
 * The skills pages (public): search across every framework the node holds, a
 * framework as a browsable tree, a skill with its equivalents through
 * crosswalks, and a job match (required skills + credentials or a
 * presentation → which skills are evidenced, and how). Same services as
 * /skills/* and POST /skills/match.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { SkillItem } from '../../../registry/skills/framework.ts';
import type { VerificationReport } from '../../../registry/verification/report.ts';
import { matchSkills } from '../../skills/job-match.ts';
import type { SkillCatalog } from '../../skills/skill-catalog.ts';
import type { CredentialVerifier } from '../../verification/verifier.ts';
import { Layout, page } from './layout.tsx';

export interface SkillPageDeps {
  skills: SkillCatalog;
  verifier: CredentialVerifier;
  publicLimit: MiddlewareHandler;
}

const skillLink = (id: string) => `/explore/skill?id=${encodeURIComponent(id)}`;
const frameworkLink = (id: string) => `/explore/framework?id=${encodeURIComponent(id)}`;
const RELATION_WORDS: Record<string, string> = {
  exactMatch: 'the same as',
  closeMatch: 'close to',
  broadMatch: 'broader than',
  narrowMatch: 'narrower than',
};

function SearchForm(props: { q?: string }) {
  return (
    <search>
      <form method="get" action="/explore">
        <label for="q">Search skills in every framework</label>
        <input id="q" name="q" type="search" value={props.q ?? ''} maxlength={200} />
        <button type="submit">Search</button>
      </form>
    </search>
  );
}

function Tree(props: { items: SkillItem[] }) {
  const byId = new Map(props.items.map((i) => [i.id, i]));
  const children = new Map<string, SkillItem[]>();
  const roots: SkillItem[] = [];
  for (const item of props.items) {
    const parent = item.broader?.find((b) => byId.has(b));
    if (parent) children.set(parent, [...(children.get(parent) ?? []), item]);
    else roots.push(item);
  }
  // Each item once, even when a framework's broader links form a loop.
  const seen = new Set<string>();
  const branch = (items: SkillItem[]): unknown =>
    items.length === 0 ? null : (
      <ul>
        {items
          .filter((i) => !seen.has(i.id) && seen.add(i.id))
          .map((i) => (
            <li>
              <a href={skillLink(i.id)}>{i.name}</a>
              {i.code ? <span class="detail"> {i.code}</span> : null}
              {branch(children.get(i.id) ?? [])}
            </li>
          ))}
      </ul>
    );
  return <nav aria-label="Framework tree">{branch(roots)}</nav>;
}

function parseCredentials(text: string): { credentials?: unknown[]; presentation?: unknown; error?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'The credentials are not valid JSON.' };
  }
  if (Array.isArray(value))
    return value.length > 0 && value.length <= 100 ? { credentials: value } : { error: 'Give 1 to 100 credentials.' };
  const type = (value as { type?: unknown })?.type;
  if ([type].flat().includes('VerifiablePresentation')) return { presentation: value };
  return { credentials: [value] };
}

export function skillPages(deps: SkillPageDeps) {
  const app = new Hono();
  const { skills } = deps;

  app.get('/', async (c) => {
    const q = c.req.query('q')?.trim().slice(0, 200);
    const results = q ? await skills.search(q, { limit: 50 }) : [];
    const frameworks = skills.frameworks();
    const names = new Map(frameworks.map((f) => [f.id, f.name]));
    return page(
      c,
      <Layout title="Skills">
        <h1>Skills</h1>
        <SearchForm q={q} />
        {q ? (
          <section aria-labelledby="results-heading">
            <h2 id="results-heading">
              {results.length} result(s) for “{q}”
            </h2>
            <ul class="results">
              {results.map((r) => (
                <li>
                  <a href={skillLink(r.id)}>{r.name}</a>
                  <span class="detail"> in {names.get(r.framework) ?? r.framework}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <h2>Frameworks</h2>
        <ul>
          {frameworks.map((f) => (
            <li>
              <a href={frameworkLink(f.id)}>{f.name}</a>{' '}
              <span class="detail">
                version {f.version}, {f.items} skills
              </span>
            </li>
          ))}
        </ul>
        {frameworks.length === 0 ? <p>This node holds no skill framework yet.</p> : null}
        <p>
          <a href="/explore/match">Match a job's skills against credentials</a>
        </p>
      </Layout>,
    );
  });

  app.get('/framework', (c) => {
    const framework = skills.framework(c.req.query('id') ?? '');
    if (!framework)
      return page(
        c,
        <Layout title="Not found">
          <p class="error">No such framework.</p>
        </Layout>,
        404,
      );
    return page(
      c,
      <Layout title={framework.name}>
        <h1>{framework.name}</h1>
        <p class="detail">
          version {framework.version} · {framework.items.length} skills · published by {framework.publisher}
        </p>
        <Tree items={framework.items} />
      </Layout>,
    );
  });

  app.get('/skill', (c) => {
    const found = skills.item(c.req.query('id') ?? '');
    if (!found)
      return page(
        c,
        <Layout title="Not found">
          <p class="error">No such skill.</p>
        </Layout>,
        404,
      );
    const { item } = found;
    const framework = skills.framework(found.framework);
    const equivalents = skills.equivalents(item.id);
    return page(
      c,
      <Layout title={item.name}>
        <h1>{item.name}</h1>
        <dl class="facts">
          <dt>Framework</dt>
          <dd>
            <a href={frameworkLink(found.framework)}>{framework?.name ?? found.framework}</a>
          </dd>
          {item.code ? (
            <>
              <dt>Code</dt>
              <dd>{item.code}</dd>
            </>
          ) : null}
          <dt>Id</dt>
          <dd>{item.id}</dd>
        </dl>
        {item.description ? <p>{item.description}</p> : null}
        <h2>Equivalents in other frameworks</h2>
        {equivalents.length === 0 ? <p>No crosswalk maps this skill yet.</p> : null}
        <ul class="equivalents">
          {equivalents.map((e) => {
            const other = skills.item(e.id);
            return (
              <li>
                {RELATION_WORDS[e.relation] ?? e.relation} <a href={skillLink(e.id)}>{other?.item.name ?? e.id}</a>
                {other ? (
                  <span class="detail"> in {skills.framework(other.framework)?.name ?? other.framework}</span>
                ) : null}
                <span class="detail"> (crosswalk {e.crosswalks.map((x) => x.id).join(' → ')})</span>
              </li>
            );
          })}
        </ul>
      </Layout>,
    );
  });

  const matchPage = (props: {
    required?: string;
    credentials?: string;
    error?: string;
    result?: ReturnType<typeof matchSkills>;
  }) => (
    <Layout title="Job match">
      <h1>Job match</h1>
      <p>
        Which of a job's skills do a candidate's credentials show? Only valid credentials from trusted issuers count.
      </p>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.result ? (
        <table class="matches">
          <thead>
            <tr>
              <th scope="col">Required skill</th>
              <th scope="col">Shown?</th>
              <th scope="col">How</th>
            </tr>
          </thead>
          <tbody>
            {props.result.matches.map((m) => (
              <tr>
                <td>{skills.item(m.skill)?.item.name ?? m.skill}</td>
                <td>{m.evidenced ? 'yes' : 'no'}</td>
                <td>
                  {m.via === 'direct'
                    ? 'directly, by a credential'
                    : m.via === 'crosswalk'
                      ? `through ${skills.item(m.from ?? '')?.item.name ?? m.from} (${RELATION_WORDS[m.relation ?? ''] ?? m.relation}, crosswalk ${m.crosswalks?.map((x) => x.id).join(' → ')})`
                      : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {props.result && props.result.ignored.length > 0 ? (
        <p class="notice">
          {props.result.ignored.length} credential(s) did not count (not valid or not from a trusted issuer).
        </p>
      ) : null}
      <form method="post" action="/explore/match">
        <label for="required">Required skills (one skill id per line)</label>
        <textarea id="required" name="required">
          {props.required ?? ''}
        </textarea>
        <label for="credentials">Credentials (a credential, an array of them, or a presentation, as JSON)</label>
        <textarea id="credentials" name="credentials">
          {props.credentials ?? ''}
        </textarea>
        <button type="submit">Match</button>
      </form>
    </Layout>
  );

  app.get('/match', (c) => page(c, matchPage({})));
  app.post('/match', deps.publicLimit, async (c) => {
    const form = await c.req.parseBody();
    const requiredText = typeof form.required === 'string' ? form.required : '';
    const credentialsText = typeof form.credentials === 'string' ? form.credentials : '';
    const required = requiredText
      .split(/\s+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const again = { required: requiredText, credentials: credentialsText };
    if (required.length === 0 || required.length > 200) {
      return page(c, matchPage({ ...again, error: 'Name 1 to 200 required skills.' }), 400);
    }
    const input = parseCredentials(credentialsText);
    if (input.error) return page(c, matchPage({ ...again, error: input.error }), 400);
    let reports: VerificationReport[];
    try {
      reports = input.presentation
        ? (await deps.verifier.verifyPresentation(input.presentation, { signal: c.req.raw.signal })).credentials
        : await deps.verifier.verifyCredentials(input.credentials ?? [], { signal: c.req.raw.signal });
    } catch (error) {
      if (error instanceof Error && 'code' in error) return page(c, matchPage({ ...again, error: error.message }), 422);
      throw error;
    }
    return page(c, matchPage({ ...again, result: matchSkills(skills, required, reports) }));
  });

  return app;
}
