/**
 * The public verify page: a form (paste, choose or drop a file) and the
 * report in plain language: what the credential is, one large verdict, each
 * check in words, the trust path as a picture, and the skills it evidences.
 * Everything shown from the credential or the registry is escaped by hono/jsx.
 */
import type { VerificationReport } from '../../../registry/verification/report.ts';
import type { RegistryService } from '../../registry/registry-service.ts';
import type { PresentationReport } from '../../verification/verifier.ts';
import { GraphPicture, type PictureEdge, type PictureNode } from './graph-picture.tsx';
import { Layout } from './layout.tsx';
import { checkWords, STATUS_WORDS, VERDICT_WORDS, verdictOf } from './verdict.ts';

type Json = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const obj = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/** Only inline images are shown (see PAGE_CSP): a remote image would tell its host who is looking. */
function inlineImage(value: unknown): string | undefined {
  const url = str(value) ?? str(obj(value)?.id);
  return url?.startsWith('data:image/') ? url : undefined;
}

function dateWords(value: unknown): string | undefined {
  const text = str(value);
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toUTCString().replace(' GMT', ' UTC');
}

export interface CredentialFacts {
  name?: string;
  description?: string;
  criteria?: string;
  image?: string;
  issuerName?: string;
  recipient?: string;
  validFrom?: string;
  validUntil?: string;
}

export function factsOf(credential: Json, report: VerificationReport): CredentialFacts {
  const subject = obj(first(credential.credentialSubject)) ?? {};
  const achievement = obj(subject.achievement) ?? {};
  const issuer = obj(credential.issuer);
  return {
    name: str(achievement.name) ?? str(credential.name),
    description: str(achievement.description) ?? str(credential.description),
    criteria: str(obj(achievement.criteria)?.narrative),
    image: inlineImage(achievement.image) ?? inlineImage(credential.image),
    // The registry's name first: the credential's own claim is shown apart, as a claim.
    issuerName: report.issuer.name ?? str(issuer?.name),
    recipient: str(subject.name) ?? str(obj(first(subject.identifier))?.identityHash) ?? str(subject.id),
    validFrom: dateWords(credential.validFrom ?? credential.issuanceDate),
    validUntil: dateWords(credential.validUntil ?? credential.expirationDate),
  };
}

export function VerifyForm(props: { pasted?: string; error?: string; link?: string }) {
  return (
    <section aria-labelledby="verify-heading">
      <h1 id="verify-heading">Verify a credential</h1>
      <p>
        Check a digital credential (an Open Badge or a Verifiable Credential): who issued it, whether it is genuine and
        current, and which skills it shows. Nothing you check here is sent to the issuer.
      </p>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form id="verify-form" method="post" action="/" enctype="multipart/form-data">
        <div id="drop-zone" class="drop">
          <label for="file">Choose a file, or drop it here</label>
          <p class="detail">A credential file (.json), or a badge image with the credential baked in (.png, .svg)</p>
          <input
            id="file"
            name="file"
            type="file"
            accept=".json,.jsonld,.png,.svg,application/json,image/png,image/svg+xml"
          />
        </div>
        <label for="credential">Or paste the credential</label>
        <textarea id="credential" name="credential" spellcheck={false}>
          {props.pasted ?? ''}
        </textarea>
        <button type="submit">Verify</button>
      </form>
      <form method="get" action="/">
        <label for="url">Or open a link to a credential</label>
        <input id="url" name="url" type="url" value={props.link ?? ''} placeholder="https://" />
        <button type="submit" class="secondary">
          Open the link
        </button>
      </form>
      <form method="post" action="/wallet-request">
        <p>Or ask the holder's wallet for it (OpenID for Verifiable Presentations).</p>
        <button type="submit" class="secondary">
          Ask a wallet for a credential
        </button>
      </form>
    </section>
  );
}

function trustPicture(report: VerificationReport, registry: RegistryService) {
  const path = report.trustPath ?? [];
  if (path.length === 0) return null;
  const nodes: PictureNode[] = [{ id: 'self', label: 'This node', sub: 'trusts its anchor networks', kind: 'node' }];
  const edges: PictureEdge[] = [{ from: 'self', to: `n:${path[0]}`, label: 'anchor' }];
  path.forEach((id, i) => {
    const state = registry.network(id);
    nodes.push({ id: `n:${id}`, label: state?.name ?? id, sub: `network ${id.slice(0, 16)}…`, kind: 'network' });
    const next = path[i + 1];
    if (next) {
      const versions = state?.recognitions[next] ?? [];
      const recognition = versions[versions.length - 1];
      const scope = recognition?.credentialTypes?.join(', ') ?? 'all credential types';
      const until = recognition?.validUntil ? ` until ${recognition.validUntil.slice(0, 10)}` : '';
      edges.push({ from: `n:${id}`, to: `n:${next}`, label: `recognizes: ${scope}${until}` });
    }
  });
  const last = path[path.length - 1];
  const did = report.issuer.did ?? '';
  const versions = registry.network(last)?.members[did] ?? [];
  const member = versions[versions.length - 1];
  const accredited = member?.accreditations.flatMap((a) => a.credentialTypes).join(', ');
  nodes.push({
    id: 'member',
    label: report.issuer.name ?? member?.name ?? did,
    sub: accredited ? `accredited: ${accredited}` : 'member',
    kind: 'member',
  });
  edges.push({
    from: `n:${last}`,
    to: 'member',
    label: member ? `member since ${member.from.slice(0, 10)}` : 'member',
  });
  return (
    <GraphPicture
      title={`Trust path: this node, ${path.map((id) => registry.network(id)?.name ?? id).join(', then ')}, then the issuer`}
      nodes={nodes}
      edges={edges}
    />
  );
}

const RELATION_WORDS: Record<string, string> = {
  exactMatch: 'Same as',
  closeMatch: 'Close to',
  broadMatch: 'Broader:',
  narrowMatch: 'Narrower:',
};

/** One line of what the credential says, shown only when it says it. */
function Fact(props: { label: string; value?: string }) {
  return props.value ? (
    <>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </>
  ) : null;
}

function Skills(props: { report: VerificationReport; frameworkName: (id: string) => string }) {
  const skills = props.report.skills ?? [];
  if (skills.length === 0) return null;
  return (
    <section aria-labelledby="skills-heading">
      <h2 id="skills-heading">Skills</h2>
      <ul>
        {skills.map((s) => (
          <li>
            <strong>{s.skill?.name ?? s.alignment.targetName ?? s.alignment.targetUrl ?? 'a skill'}</strong>
            {s.skill ? (
              <span class="detail"> in {props.frameworkName(s.skill.framework)}</span>
            ) : (
              <span class="detail"> (not found in a published framework)</span>
            )}
            {s.equivalents && s.equivalents.length > 0 ? (
              <ul>
                {s.equivalents.map((e) => (
                  <li>
                    {RELATION_WORDS[e.relation] ?? `${e.relation}:`} {e.name ?? e.id}
                    {e.framework ? <span class="detail"> in {props.frameworkName(e.framework)}</span> : null}
                    <span class="detail"> (crosswalk {e.crosswalks.map((c) => c.id).join(' → ')})</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function VerifyReport(props: {
  credential: Json;
  report: VerificationReport;
  registry: RegistryService;
  frameworkName?: (id: string) => string;
  /** A verification link (this page with `?url=`), when the credential came from a link. */
  link?: string;
  /** One of the credentials of a presentation: a section, not the page's report. */
  nested?: number;
}) {
  const { credential, report } = props;
  const facts = factsOf(credential, report);
  const verdict = verdictOf(report);
  const words = VERDICT_WORDS[verdict];
  const claimedIssuer = str(obj(credential.issuer)?.name);
  const issueDate = str(credential.validFrom ?? credential.issuanceDate);
  const linkedIn = new URL('https://www.linkedin.com/profile/add');
  linkedIn.searchParams.set('startTask', 'CERTIFICATION_NAME');
  linkedIn.searchParams.set('name', facts.name ?? 'Credential');
  if (facts.issuerName) linkedIn.searchParams.set('organizationName', facts.issuerName);
  if (issueDate) {
    linkedIn.searchParams.set('issueYear', issueDate.slice(0, 4));
    linkedIn.searchParams.set('issueMonth', String(Number(issueDate.slice(5, 7))));
  }
  if (report.credentialId) linkedIn.searchParams.set('certId', report.credentialId);
  return (
    <article aria-labelledby={`report-heading${props.nested ?? ''}`}>
      {props.nested ? (
        <h2 id={`report-heading${props.nested}`}>Credential {props.nested}</h2>
      ) : (
        <h1 id="report-heading">Verification report</h1>
      )}
      <div class="what">
        {facts.image ? <img src={facts.image} alt={`Badge of ${facts.name ?? 'the credential'}`} /> : null}
        {!facts.image && inlineImage(report.issuer.logo) ? (
          <img src={inlineImage(report.issuer.logo)} alt={`Logo of ${facts.issuerName ?? 'the issuer'}`} />
        ) : null}
        <div>
          <h2 class="credential-name">{facts.name ?? 'Unnamed credential'}</h2>
          {facts.description ? <p>{facts.description}</p> : null}
          <dl class="facts">
            <dt>Issued by</dt>
            <dd>
              {facts.issuerName ?? 'an issuer this node does not know'}
              {claimedIssuer && report.issuer.name && claimedIssuer !== report.issuer.name ? (
                <span class="detail"> (the credential calls it “{claimedIssuer}”)</span>
              ) : null}
              {report.issuer.did ? <div class="detail">{report.issuer.did}</div> : null}
            </dd>
            <Fact label="Awarded to" value={facts.recipient} />
            <Fact label="Earned by" value={facts.criteria} />
            <Fact label="Valid from" value={facts.validFrom} />
            <Fact label="Valid until" value={facts.validUntil} />
          </dl>
        </div>
      </div>
      <section
        class={`verdict ${verdict}`}
        role={props.nested ? undefined : 'status'}
        aria-live={props.nested ? undefined : 'polite'}
        data-verdict={verdict}
      >
        <h2>{words.title}</h2>
        <p>{words.summary}</p>
      </section>
      <h2>Checks</h2>
      <ul class="checks">
        {report.checks.map((check) => {
          const w = checkWords(check);
          return (
            <li class={check.status} data-check={check.name}>
              <span class="state">
                {w.label}: {STATUS_WORDS[check.status]}.
              </span>{' '}
              {w.sentence}
              {w.detail ? <div class="detail">{w.detail}</div> : null}
            </li>
          );
        })}
      </ul>
      {report.trustPath && report.trustPath.length > 0 ? (
        <section aria-labelledby="trust-heading">
          <h2 id="trust-heading">Why this node trusts the issuer</h2>
          {trustPicture(report, props.registry)}
        </section>
      ) : null}
      <Skills report={report} frameworkName={props.frameworkName ?? ((id) => id)} />
      {verdict === 'valid' ? (
        <section aria-labelledby="share-heading">
          <h2 id="share-heading">For the holder</h2>
          <a class="button secondary" href={linkedIn.toString()} rel="noopener noreferrer" target="_blank">
            Add to LinkedIn profile
          </a>
          {props.link ? (
            <>
              <button type="button" class="secondary" data-copy={props.link} hidden>
                Copy the verification link
              </button>
              <p>
                Verification link: <a href={props.link}>{props.link}</a>
              </p>
            </>
          ) : null}
        </section>
      ) : null}
      {props.nested ? null : (
        <p>
          <a href="/">Verify another credential</a>
        </p>
      )}
    </article>
  );
}

export function VerifyPage(props: {
  pasted?: string;
  error?: string;
  result?: { credential: Json; report: VerificationReport; link?: string };
  presentation?: { presentation: Json; report: PresentationReport };
  registry: RegistryService;
  frameworkName?: (id: string) => string;
  /** The link the user opened, shown again in the form after an error. */
  link?: string;
}) {
  return (
    <Layout
      title={props.result || props.presentation ? 'Verification report' : 'Verify a credential'}
      scripts={['verify.js']}
    >
      {props.presentation ? (
        <PresentationView
          presentation={props.presentation.presentation}
          report={props.presentation.report}
          registry={props.registry}
          frameworkName={props.frameworkName}
        />
      ) : props.result ? (
        <VerifyReport
          credential={props.result.credential}
          report={props.result.report}
          registry={props.registry}
          frameworkName={props.frameworkName}
          link={props.result.link}
        />
      ) : (
        <VerifyForm pasted={props.pasted} error={props.error} link={props.link} />
      )}
    </Layout>
  );
}

const PRESENTATION_LABELS: Record<string, string> = {
  proof: "Holder's signature",
  issuer: 'Holder',
  status: 'The credentials in it',
  trust: 'Their issuers',
};

export function PresentationView(props: {
  presentation: Json;
  report: PresentationReport;
  registry: RegistryService;
  frameworkName?: (id: string) => string;
}) {
  const { report } = props;
  const verdict = verdictOf(report);
  const words = VERDICT_WORDS[verdict];
  const embedded = [props.presentation.verifiableCredential].flat().filter((c) => c && typeof c === 'object') as Json[];
  return (
    <article aria-labelledby="report-heading">
      <h1 id="report-heading">Verification report</h1>
      <p>
        A presentation of {embedded.length} credential(s){report.issuer.did ? ` by ${report.issuer.did}` : ''}.
      </p>
      <section class={`verdict ${verdict}`} role="status" aria-live="polite" data-verdict={verdict}>
        <h2>{words.title}</h2>
        <p>{words.summary}</p>
      </section>
      <ul class="checks">
        {report.checks.map((check) => {
          const w = checkWords(check);
          return (
            <li class={check.status} data-check={check.name}>
              <span class="state">
                {PRESENTATION_LABELS[check.name] ?? w.label}: {STATUS_WORDS[check.status]}.
              </span>{' '}
              {check.message ? <span class="detail">{check.message}</span> : null}
            </li>
          );
        })}
      </ul>
      {report.warnings.map((w) => (
        <p class="notice">{w}</p>
      ))}
      {embedded.map((credential, i) =>
        report.credentials[i] ? (
          <VerifyReport
            credential={credential}
            report={report.credentials[i]}
            registry={props.registry}
            frameworkName={props.frameworkName}
            nested={i + 1}
          />
        ) : null,
      )}
      <p>
        <a href="/">Verify another credential</a>
      </p>
    </article>
  );
}
