/**
 * What every API schema module shares: the error body, the operation record the OpenAPI document is built
 * from (node/http/openapi.ts), and `parseInput`, through which routes validate their input with the same zod
 * schemas the document describes, so that the description cannot drift from what is enforced.
 */
import { z } from 'zod';
import { NodeError } from '../../errors.ts';

/** `{"error": {"code", "message", "details"?}}`, the body of every failure (API.md). */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'stable, machine-readable code, e.g. VALIDATION_FAILED' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ description: 'every error of the JSON API' });

/** A JSON object whose members are not described further here (a credential, a folded network state, …). */
export const JsonObject = z.record(z.string(), z.unknown());

/**
 * Validates `value` with `schema`; a failure is VALIDATION_FAILED (400) carrying the first problem's message,
 * which the schemas set to the wording the routes always used, and every problem with its path in details.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const [first] = issues;
  // The schemas' own messages name their field; zod's defaults do not.
  const message = first.path && !first.message.includes(first.path) ? `${first.path}: ${first.message}` : first.message;
  throw new NodeError('VALIDATION_FAILED', message, { issues });
}

export type Method = 'get' | 'post' | 'delete';

export interface ResponseSpec {
  description: string;
  /** A JSON body's schema; absent for bodies that are not JSON or not described. */
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
}

/** One documented operation: what `GET /openapi.json` says about a route the app registers. */
export interface Operation {
  method: Method;
  /** OpenAPI form: `/networks/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** `admin`: Authorization: Bearer <admin token>; `mixed`: the description says when the token is needed. */
  auth?: 'admin' | 'mixed';
  /** Browsers on other origins may call it (decision 0039). */
  cors?: 'public-documents' | 'configured-origins';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Defaults to application/json. */
  bodyType?: string;
  responses: Record<number, ResponseSpec>;
}

/** The error answers most operations share, for `responses`. */
export function errors(...statuses: number[]): Record<number, ResponseSpec> {
  const text: Record<number, string> = {
    400: 'malformed or invalid input',
    401: 'no admin token, or a wrong one',
    403: 'not allowed',
    404: 'unknown',
    409: 'conflict',
    413: 'too large',
    415: 'not JSON',
    422: 'well-formed but invalid',
    429: 'rate limited',
  };
  return Object.fromEntries(statuses.map((s) => [s, { description: text[s] ?? 'error', schema: ErrorBody }]));
}

/** The usual errors of an admin endpoint taking a JSON body. */
export const ADMIN_JSON_ERRORS = errors(400, 401, 413, 415);
