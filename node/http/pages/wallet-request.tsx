/**
 * "Ask a wallet for a credential" on the verify page (issue 13): an OID4VP presentation request through the
 * same service as `POST /presentation-requests`, so the page refuses whom the API refuses (anyone but a
 * signed-in admin, unless the operator runs `--public-verifier`). The result token stays in the page's form
 * and the poll's header, never in a URL.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { NodeError } from '../../errors.ts';
import type { PresentationRequests } from '../../oid4vc/presentations.ts';
import { Layout, page } from './layout.tsx';
import type { Sessions } from './sessions.ts';

type Json = Record<string, unknown>;

export interface WalletRequestDeps {
  presentationRequests: Pick<PresentationRequests, 'create' | 'result'>;
  publicVerifier: boolean;
  sessions: Pick<Sessions, 'current'>;
  publicLimit: MiddlewareHandler;
}

function Waiting(props: { created: { id: string; requestUri: string; resultToken: string }; notice?: string }) {
  return (
    <Layout title="Ask a wallet for a credential" scripts={['wallet-request.js']}>
      <h1>Ask a wallet for a credential</h1>
      <p>Scan this with the holder's wallet. The answer appears here when the wallet has sent it.</p>
      <img
        class="qr"
        src={`/presentation-requests/${props.created.id}/qr.svg`}
        alt="QR code of the presentation request"
        width={240}
      />
      <label for="request-uri">Request link (for a wallet on this device)</label>
      <input id="request-uri" type="text" readonly value={props.created.requestUri} />
      {props.notice ? <p role="status">{props.notice}</p> : null}
      <form id="wallet-result" method="post" action="/wallet-request/result">
        <input type="hidden" name="id" value={props.created.id} />
        <input type="hidden" name="token" value={props.created.resultToken} />
        <input type="hidden" name="requestUri" value={props.created.requestUri} />
        <button type="submit" class="secondary">
          Show the answer
        </button>
      </form>
    </Layout>
  );
}

function Answer(props: { view: Json }) {
  const result = (props.view.result ?? {}) as Json;
  const problems = (result.problems ?? []) as Array<{ message: string }>;
  const verdict =
    props.view.state === 'expired'
      ? 'No answer: the request expired'
      : result.verified
        ? result.trusted
          ? 'Valid, from a trusted issuer'
          : 'Valid, but the issuer is not trusted here'
        : 'Not valid';
  return (
    <Layout title="The wallet's answer">
      <h1>The wallet's answer</h1>
      <p class="verdict" role="status">
        {verdict}
      </p>
      {typeof result.holder === 'string' ? (
        <p>
          Presented by <code>{result.holder}</code>
        </p>
      ) : null}
      {problems.length > 0 ? (
        <ul>
          {problems.map((p) => (
            <li>{p.message}</li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="/">Verify another</a>
      </p>
    </Layout>
  );
}

export function walletRequestPages(deps: WalletRequestDeps) {
  const app = new Hono();
  app.post('/', deps.publicLimit, async (c: Context) => {
    if (!deps.publicVerifier && !deps.sessions.current(c)) {
      throw new NodeError(
        'UNAUTHORIZED',
        'sign in as the admin to ask a wallet (or run the node with --public-verifier)',
      );
    }
    const created = (await deps.presentationRequests.create({})) as {
      id: string;
      requestUri: string;
      resultToken: string;
    };
    return page(c, <Waiting created={created} />, 201);
  });
  app.post('/result', deps.publicLimit, async (c: Context) => {
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
    const view = await deps.presentationRequests.result(field('id'), field('token'));
    if (view.state === 'pending') {
      const created = { id: field('id'), requestUri: field('requestUri'), resultToken: field('token') };
      return page(c, <Waiting created={created} notice="No answer from the wallet yet." />);
    }
    return page(c, <Answer view={view} />);
  });
  return app;
}
