/** Schemas of the Trust Registry Query Protocol routes (node/http/routes/trqp.ts). */
import { z } from 'zod';
import { errors, type Operation } from './common.ts';

// An identifier (DID, network id, type name or IRI): no spaces, no control or invisible characters.
const IDENTIFIER = /^[^\s\p{C}]+$/u;
const identifier = (name: string) => {
  const message = `${name} must be an identifier (1–500 characters, no spaces)`;
  return z.string({ error: message }).max(500, message).regex(IDENTIFIER, message);
};

export const TrqpQuery = z.object({
  entity_id: identifier('entity_id'),
  authority_id: identifier('authority_id').meta({ description: 'a network id' }),
  action: identifier('action'),
  resource: identifier('resource'),
  context: z
    .looseObject(
      {
        time: z
          .unknown()
          .optional()
          .meta({ type: 'string', format: 'date-time', description: 'evaluate at this RFC 3339 time' }),
      },
      { error: 'context must be an object' },
    )
    .optional()
    .meta({ description: 'only `time` is read; other members are ignored and never signed' }),
});

const answer = (field: 'authorized' | 'recognized') =>
  z.object({
    entity_id: z.string(),
    authority_id: z.string(),
    action: z.string(),
    resource: z.string(),
    [field]: z.boolean(),
    time_requested: z.string(),
    time_evaluated: z.string(),
    message: z.string(),
    context: z.looseObject({ code: z.string(), network_name: z.string() }),
  });

const UnknownAuthority = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.literal(404),
  detail: z.string(),
});

function query(path: string, summary: string, field: 'authorized' | 'recognized', description?: string): Operation {
  return {
    method: 'post',
    path,
    tag: 'Trust registry (TRQP)',
    summary,
    ...(description ? { description } : {}),
    body: TrqpQuery,
    responses: {
      200: { description: 'the signed answer', schema: answer(field) },
      404: {
        description: 'unknown authority (RFC 9457)',
        schema: UnknownAuthority,
        contentType: 'application/problem+json',
      },
      ...errors(400, 413, 415, 429),
    },
  };
}

export const trqpOperations: Operation[] = [
  query(
    '/trqp/authorization',
    'Is this entity authorized by this network to issue this resource? (ToIP TRQP v2)',
    'authorized',
    'The answer is signed by the node: a detached JWS in the X-LER-Signature header. action is "issue".',
  ),
  query('/trqp/recognition', 'Does this network recognize that one (for a resource, or "*")?', 'recognized'),
];
