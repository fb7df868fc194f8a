/**
 * Request input validated with the API's zod schemas (api-schemas/), which are imported by the first request that
 * needs one: zod and the schemas are ~5 MiB of heap that an idle node does without (decision 0050). The answers
 * are those of `parseInput` (api-schemas/common.ts), unchanged.
 */
import type { z } from 'zod';
import { lazyModule } from '../../protocol/lazy-module.ts';
import type { requestSchemas } from './api-schemas/request-schemas.ts';

type RequestSchemas = typeof requestSchemas;
export type RequestSchemaName = keyof RequestSchemas;

const loadSchemas = lazyModule(() => import('./api-schemas/request-schemas.ts'));

/** The schema itself (for what a route reads from it, such as the names of an object's fields). */
export async function requestSchema<K extends RequestSchemaName>(name: K): Promise<RequestSchemas[K]> {
  return (await loadSchemas()).requestSchemas[name];
}

/** Validates `value` with the request schema `name`; a failure is VALIDATION_FAILED (400), as parseInput says. */
export async function parseRequest<K extends RequestSchemaName>(
  name: K,
  value: unknown,
): Promise<z.output<RequestSchemas[K]>> {
  const { parseInput, requestSchemas: schemas } = await loadSchemas();
  return parseInput(schemas[name], value) as z.output<RequestSchemas[K]>;
}
