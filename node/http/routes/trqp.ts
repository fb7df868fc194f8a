/**
 * ToIP Trust Registry Query Protocol v2, HTTPS binding: authorization and
 * recognition queries answered from the replicated registry, honouring
 * `context.time`, each answer signed (detached JWS in X-LER-Signature) so a
 * verifier can keep it as evidence.
 *
 * What the node signs is what the node determined: the question's identifiers
 * (validated as identifiers, so they carry no prose), its own verdict, code
 * and message, and the requested time re-serialized by us. Nothing else the
 * caller sends (other `context` members above all) reaches the signed bytes,
 * or a caller could get "AUTHORIZED by Totally Real Accreditor" signed with
 * the institution's key.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { type Sign, signDetachedJws } from '../../../protocol/signing/detached-jws.ts';
import { isAuthorized, isRecognized } from '../../../registry/queries.ts';
import type { NetworkState } from '../../../registry/types.ts';
import { isDateTime } from '../../../registry/verification/credential-shape.ts';
import { NodeError } from '../../errors.ts';
import type { RegistryService } from '../../registry/registry-service.ts';
import { readJsonObject } from '../json-body.ts';
import { parseRequest } from '../request-input.ts';

interface TrqpDeps {
  registry: RegistryService;
  publicLimit: MiddlewareHandler;
  signer: { kid: string; sign: Sign };
  now?: () => Date;
}

/** `context.time`, the one member of the caller's context the node reads; other members are ignored. */
function requestedTime(time: unknown): Date | undefined {
  if (time === undefined) return undefined;
  const at = isDateTime(time) ? new Date(time) : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    throw new NodeError('VALIDATION_FAILED', 'context.time must be an RFC 3339 date-time');
  }
  return at;
}

/** RFC 9457 problem details, with this API's error object alongside. */
function unknownAuthority(c: Context, authority: string) {
  const detail = `this node does not follow a network ${authority}`;
  return c.json(
    {
      type: 'https://ler-node.example/problems/unknown-authority',
      title: 'Unknown authority',
      status: 404,
      detail,
      error: { code: 'UNKNOWN_NETWORK', message: detail },
    },
    404,
    { 'content-type': 'application/problem+json' },
  );
}

export function trqpRoutes(deps: TrqpDeps) {
  const now = deps.now ?? (() => new Date());
  const app = new Hono();

  async function signed(c: Context, body: Record<string, unknown>) {
    const text = JSON.stringify(body);
    c.header('X-LER-Signature', await signDetachedJws(text, deps.signer));
    return c.body(text, 200, { 'content-type': 'application/json' });
  }

  /**
   * The shared shape of both queries: parse, find the authority (404 if unknown),
   * let `decide` answer for the network state at the requested time, sign the reply.
   */
  function query(
    expectedAction: string,
    decide: (
      state: NetworkState,
      entity: string,
      resource: string,
      at: Date,
    ) => { value: boolean; code: string; message: string },
    field: 'authorized' | 'recognized',
  ) {
    return async (c: Context) => {
      const body = await parseRequest('TrqpQuery', await readJsonObject(c));
      const { entity_id: entity, authority_id: authority, action, resource } = body;
      const evaluated = now();
      const requested = requestedTime(body.context?.time);
      const at = requested ?? evaluated;
      const state = deps.registry.network(authority);
      if (!state) return unknownAuthority(c, authority);
      const answer =
        action === expectedAction
          ? decide(state, entity, resource, at)
          : {
              value: false,
              code: 'UNSUPPORTED_ACTION',
              message: `this action is not governed here (use "${expectedAction}")`,
            };
      return signed(c, {
        entity_id: entity,
        authority_id: authority,
        action,
        resource,
        [field]: answer.value,
        time_requested: at.toISOString(),
        time_evaluated: evaluated.toISOString(),
        message: answer.message,
        // Built here, member by member: never the caller's object.
        context: {
          code: answer.code,
          network_name: state.name,
          ...(requested ? { time: requested.toISOString() } : {}),
        },
      });
    };
  }

  app.post(
    '/authorization',
    deps.publicLimit,
    query(
      'issue',
      (state, entity, resource, at) => {
        const a = isAuthorized(state, entity, resource, at);
        return { value: a.authorized, code: a.code, message: a.message };
      },
      'authorized',
    ),
  );

  app.post(
    '/recognition',
    deps.publicLimit,
    query(
      'recognize',
      (state, entity, resource, at) => {
        const r = isRecognized(state, entity, at, resource === '*' ? undefined : resource);
        return { value: r.recognized, code: r.code, message: r.message };
      },
      'recognized',
    ),
  );

  return app;
}
