/**
 * The frame every page shares, the page headers (a strict CSP: no inline
 * script or style, nothing loaded from elsewhere, no framing) and the static
 * assets (one stylesheet, small scripts), read once at start.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Context, MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

const ASSETS_DIR = new URL('./assets/', import.meta.url);

export interface Asset {
  body: string;
  type: string;
  etag: string;
}

function loadAsset(name: string, type: string): Asset {
  const body = readFileSync(new URL(name, ASSETS_DIR), 'utf8');
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
}

export const ASSETS: Record<string, Asset> = {
  'app.css': loadAsset('app.css', 'text/css; charset=utf-8'),
  'verify.js': loadAsset('verify.js', 'text/javascript; charset=utf-8'),
  'wallet-request.js': loadAsset('wallet-request.js', 'text/javascript; charset=utf-8'),
};

/**
 * Images only from this node or inline (data:): a credential's image or an issuer's logo on another host is not
 * fetched, so showing a credential never tells its issuer (or anyone) who looked at it.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function pageHeaders(): MiddlewareHandler {
  return async function pageSecurityHeaders(c, next) {
    await next();
    c.header('Content-Security-Policy', PAGE_CSP);
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  };
}

export interface LayoutProps {
  title: string;
  /** Signed in: the admin navigation and a sign-out form with its CSRF token. */
  admin?: { csrf: string };
  scripts?: string[];
  children?: Child;
}

export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · LER Node`}</title>
        <link rel="stylesheet" href="/assets/app.css" />
        {(props.scripts ?? []).map((s) => (
          <script src={`/assets/${s}`} defer />
        ))}
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">
            LER Node
          </a>
          <nav aria-label="Main">
            <a href="/">Verify</a>
            <a href="/explore">Skills</a>
            <a href="/admin/issue">Issue</a>
            <a href="/admin/credentials">Issued credentials</a>
            <a href="/admin/governance">Governance</a>
            <a href="/admin/node">Node</a>
            <a href="/api">API</a>
          </nav>
          {props.admin ? (
            <form method="post" action="/admin/sign-out">
              <input type="hidden" name="csrf" value={props.admin.csrf} />
              <button type="submit" class="secondary">
                Sign out
              </button>
            </form>
          ) : null}
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** Answers a page with its doctype (standards mode). */
export function page(
  c: Context,
  body: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: ContentfulStatusCode = 200,
) {
  return c.html(
    Promise.resolve(body).then((html) => `<!doctype html>${html}`),
    status,
  );
}
