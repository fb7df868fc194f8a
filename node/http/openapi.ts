/**
 * The OpenAPI 3.1 document of the JSON API, built from the zod schemas the routes validate with
 * (node/http/api-schemas/), so the description is what is enforced. OpenAPI 3.1 takes JSON Schema 2020-12,
 * which is what `z.toJSONSchema` writes; request schemas are rendered as input (what a client may send), response
 * schemas as output.
 */
import { z } from 'zod';
import { ErrorBody, OPERATIONS, type Operation } from './api-schemas/index.ts';

type JsonSchema = Record<string, unknown>;

export interface OpenApiOptions {
  version: string;
  /** The node's public base URL, the document's one server. */
  publicUrl: string;
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    reused: 'inline',
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** The error body is one shared component; each use refers to it. */
function responseSchema(schema: z.ZodType): JsonSchema {
  if (schema === ErrorBody) return { $ref: '#/components/schemas/Error' };
  return schemaOf(schema, 'output');
}

function parameters(op: Operation): JsonSchema[] {
  const list: JsonSchema[] = [];
  for (const [where, object] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!object) continue;
    for (const [name, field] of Object.entries(object.shape)) {
      const schema = schemaOf(field as z.ZodType, 'input');
      const { description, ...rest } = schema;
      list.push({
        name,
        in: where,
        required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return list;
}

function operationObject(op: Operation): JsonSchema {
  const responses: JsonSchema = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    const type = spec.contentType ?? 'application/json';
    responses[status] = {
      description: spec.description,
      ...(spec.schema || spec.contentType
        ? { content: { [type]: spec.schema ? { schema: responseSchema(spec.schema) } : {} } }
        : {}),
    };
  }
  const params = parameters(op);
  return {
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
    ...(params.length ? { parameters: params } : {}),
    ...(op.body || op.bodyType
      ? {
          requestBody: {
            required: true,
            content: { [op.bodyType ?? 'application/json']: op.body ? { schema: schemaOf(op.body, 'input') } : {} },
          },
        }
      : {}),
    responses,
    ...(op.auth === 'admin' ? { security: [{ adminToken: [] }] } : {}),
    ...(op.auth === 'mixed' ? { security: [{}, { adminToken: [] }] } : {}),
    ...(op.cors ? { 'x-cors': op.cors } : {}),
  };
}

export function openApiDocument(options: OpenApiOptions): JsonSchema {
  const paths: Record<string, JsonSchema> = {};
  for (const op of OPERATIONS) {
    paths[op.path] ??= {};
    paths[op.path][op.method] = operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'LER Node',
      version: options.version,
      description:
        'Issue, verify and revoke Learning and Employment Records (W3C Verifiable Credentials, Open Badges 3.0); a federated trust registry. Every error is {"error": {"code", "message", "details"?}}.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: options.publicUrl }],
    tags: [...new Set(OPERATIONS.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: schemaOf(ErrorBody, 'output') },
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'the admin token shown once at first start' },
      },
    },
  };
}
