/**
 * The API reference as a page (`GET /api`), rendered on the server from the same OpenAPI document as
 * `GET /openapi.json`: no script, nothing from a CDN (the page CSP forbids both), one section per tag.
 */
import type { Context } from 'hono';
import { Layout, page } from './layout.tsx';

type Json = Record<string, unknown>;

const METHODS = ['get', 'post', 'delete'] as const;

function Schema(props: { schema: unknown }) {
  // The shared error body is described once, at the top of the page.
  if ((props.schema as Json).$ref === '#/components/schemas/Error') return <span> (the error body)</span>;
  return (
    <details>
      <summary>schema</summary>
      <pre>{JSON.stringify(props.schema, null, 2)}</pre>
    </details>
  );
}

function OperationView(props: { method: string; path: string; op: Json }) {
  const { op } = props;
  const params = (op.parameters as Json[] | undefined) ?? [];
  const body = (op.requestBody as { content: Record<string, { schema?: unknown }> } | undefined)?.content;
  const security = op.security as Json[] | undefined;
  const access = !security
    ? 'public'
    : security.some((s) => Object.keys(s).length === 0)
      ? 'public or admin token (see text)'
      : 'admin token';
  return (
    <section class="operation" id={op.operationId as string}>
      <h3>
        <code>{props.method.toUpperCase()}</code> <code>{props.path}</code>
      </h3>
      <p>{op.summary as string}</p>
      {op.description ? <p class="detail">{op.description as string}</p> : null}
      <p class="detail">
        Access: {access}
        {op['x-cors']
          ? `; browsers on other origins: ${op['x-cors'] === 'public-documents' ? 'any' : 'the --cors-origins list'}`
          : ''}
      </p>
      {params.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>parameter</th>
              <th>in</th>
              <th>required</th>
              <th>description</th>
            </tr>
          </thead>
          <tbody>
            {params.map((p) => (
              <tr>
                <td>
                  <code>{p.name as string}</code>
                </td>
                <td>{p.in as string}</td>
                <td>{p.required ? 'yes' : 'no'}</td>
                <td>{(p.description as string | undefined) ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {body
        ? Object.entries(body).map(([type, media]) => (
            <div>
              <h4>Request body ({type})</h4>
              {media.schema ? <Schema schema={media.schema} /> : null}
            </div>
          ))
        : null}
      <h4>Responses</h4>
      <ul>
        {Object.entries(op.responses as Record<string, Json>).map(([status, response]) => {
          const content = response.content as Record<string, { schema?: unknown }> | undefined;
          return (
            <li>
              <strong>{status}</strong> {response.description as string}
              {content
                ? Object.entries(content).map(([type, media]) => (
                    <span>
                      {' '}
                      <code>{type}</code>
                      {media.schema ? <Schema schema={media.schema} /> : null}
                    </span>
                  ))
                : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function apiReferencePage(c: Context, document: Json) {
  const paths = document.paths as Record<string, Record<string, Json>>;
  const tags = (document.tags as Array<{ name: string }>).map((t) => t.name);
  const info = document.info as Json;
  return page(
    c,
    <Layout title="API reference">
      <h1>API reference</h1>
      <p>
        {info.description as string} The machine-readable document is <a href="/openapi.json">/openapi.json</a> (OpenAPI{' '}
        {document.openapi as string}, version {info.version as string}).
      </p>
      <nav aria-label="Sections">
        <ul>
          {tags.map((tag) => (
            <li>
              <a href={`#${tag.replace(/\W+/g, '-')}`}>{tag}</a>
            </li>
          ))}
        </ul>
      </nav>
      {tags.map((tag) => (
        <section id={tag.replace(/\W+/g, '-')}>
          <h2>{tag}</h2>
          {Object.entries(paths).flatMap(([path, item]) =>
            METHODS.filter((m) => (item[m]?.tags as string[] | undefined)?.includes(tag)).map((m) => (
              <OperationView method={m} path={path} op={item[m]} />
            )),
          )}
        </section>
      ))}
    </Layout>,
  );
}
