/** Schemas of the skills routes (node/http/routes/skills.ts). */
import { z } from 'zod';
import { ADMIN_JSON_ERRORS, errors, JsonObject, type Operation } from './common.ts';

export const SearchQuery = z.object({
  q: z
    .string({ error: 'q must be 1–200 characters' })
    .min(1, 'q must be 1–200 characters')
    .max(200, 'q must be 1–200 characters'),
  framework: z.string().optional().meta({ description: 'only items of this framework' }),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'limit must be a whole number from 1 to 100')
    .refine((v) => Number(v) >= 1 && Number(v) <= 100, 'limit must be a whole number from 1 to 100')
    .optional()
    .meta({ description: '1–100 (default 20)' }),
});

const requiredMessage = 'required must be a non-empty array of skill ids';
export const MatchRequest = z.object({
  required: z
    .array(z.string({ error: requiredMessage }), { error: requiredMessage })
    .min(1, requiredMessage)
    .max(200, requiredMessage),
  credentials: z.array(z.unknown()).optional().meta({ description: '1–100 credentials' }),
  verifiablePresentation: z.unknown().optional().meta({ type: 'object' }),
});

const FrameworkAnswer = z.object({
  id: z.string(),
  version: z.union([z.string(), z.number()]),
  items: z.number(),
  publications: z.array(z.object({ id: z.string(), version: z.number() })),
});

/** The three ways in for a framework (checked by registry/skills/framework.ts), one answer. */
function publishFramework(path: string, summary: string): Operation {
  return {
    method: 'post',
    path,
    tag: 'Skills',
    summary,
    auth: 'admin',
    body: JsonObject,
    responses: {
      201: { description: 'published', schema: FrameworkAnswer },
      ...ADMIN_JSON_ERRORS,
      ...errors(422, 429),
    },
  };
}

export const skillOperations: Operation[] = [
  {
    method: 'get',
    path: '/skills/frameworks',
    tag: 'Skills',
    summary: 'The skill frameworks this node holds',
    responses: {
      200: {
        description: 'one summary each',
        schema: z.object({ frameworks: z.array(JsonObject), conflicts: z.array(z.unknown()) }),
      },
    },
  },
  {
    method: 'get',
    path: '/skills/frameworks/{id}',
    tag: 'Skills',
    summary: 'A framework with its items',
    params: z.object({ id: z.string() }),
    query: z.object({ version: z.string().optional() }),
    responses: { 200: { description: 'the framework', schema: JsonObject }, ...errors(404) },
  },
  publishFramework('/skills/frameworks', 'Publish a skill framework (in parts when large)'),
  publishFramework('/skills/import/case', 'Import and publish a CASE 1.1 package'),
  publishFramework('/skills/import/osmt', 'Import and publish an OSMT collection'),
  {
    method: 'post',
    path: '/skills/crosswalks',
    tag: 'Skills',
    summary: 'Publish a crosswalk between frameworks',
    auth: 'admin',
    body: JsonObject,
    responses: {
      201: { description: 'published', schema: z.object({ id: z.string(), mappings: z.number() }) },
      ...ADMIN_JSON_ERRORS,
      ...errors(422),
    },
  },
  {
    method: 'post',
    path: '/skills/match',
    tag: 'Skills',
    summary: 'Which required skills do these credentials evidence (verified, trusted ones only)',
    body: MatchRequest,
    responses: { 200: { description: 'the match', schema: z.looseObject({}) }, ...errors(400, 413, 415, 429) },
  },
  {
    method: 'get',
    path: '/skills/search',
    tag: 'Skills',
    summary: 'Ranked full-text search over skill items',
    query: SearchQuery,
    responses: {
      200: {
        description: 'results',
        schema: z.object({ results: z.array(z.looseObject({ id: z.string(), name: z.string(), score: z.number() })) }),
      },
      ...errors(400),
    },
  },
  {
    method: 'get',
    path: '/skills/{id}/equivalents',
    tag: 'Skills',
    summary: 'Crosswalk targets of a skill',
    params: z.object({ id: z.string() }),
    responses: {
      200: { description: 'equivalents', schema: z.object({ id: z.string(), equivalents: z.array(JsonObject) }) },
      ...errors(404),
    },
  },
  {
    method: 'get',
    path: '/skills/{id}',
    tag: 'Skills',
    summary: 'One skill item with its framework',
    params: z.object({ id: z.string() }),
    responses: { 200: { description: 'the item', schema: JsonObject }, ...errors(404) },
  },
  {
    method: 'get',
    path: '/ims/case/v1p1/CFPackages/{id}',
    tag: 'Skills',
    summary: 'A framework in the CASE 1.1 read API shape',
    params: z.object({ id: z.string() }),
    responses: {
      200: {
        description: 'the CFPackage',
        schema: z.looseObject({ CFDocument: JsonObject, CFItems: z.array(JsonObject) }),
      },
      ...errors(404),
    },
  },
];
