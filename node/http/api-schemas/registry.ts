/** Schemas of the registry and governance routes (node/http/routes/registry.ts, publications.ts). */
import { z } from 'zod';
import { PUBLICATION_KINDS } from '../../../registry/publications.ts';
import { ADMIN_JSON_ERRORS, errors, JsonObject, type Operation } from './common.ts';

const NETWORK_ID = /^[A-Za-z0-9_-]{43}$/;
const networkId = (message: string) => z.string({ error: message }).regex(NETWORK_ID, message);

const SignOption = z
  .looseObject({ sign: z.boolean().optional().meta({ description: 'sign with the governor keys this node holds' }) })
  .optional();

/** The registry service checks the action's parameters (INVALID_ACTION, 422); this is the envelope. */
export const CreateNetworkRequest = z.looseObject({
  name: z.unknown().meta({ description: 'string: the network’s name', type: 'string' }),
  description: z.unknown().optional().meta({ type: 'string' }),
  governors: z.unknown().meta({ description: 'governor DIDs', type: 'array', items: { type: 'string' } }),
  threshold: z.unknown().meta({ description: 'signatures needed (m of n)', type: 'integer' }),
  frameworkUrl: z.unknown().optional().meta({ type: 'string' }),
  options: SignOption,
  sign: z.boolean().optional(),
});

export const ProposeRequest = z.looseObject({
  network: z.unknown().meta({ description: 'network id', type: 'string' }),
  action: z.unknown().meta({ description: '{type, …params} (API.md, action parameters)', type: 'object' }),
  effectiveAt: z.unknown().optional().meta({ type: 'string', format: 'date-time' }),
  options: SignOption,
  sign: z.boolean().optional(),
});

export const ApprovalRequest = z.looseObject({
  signer: z.unknown().meta({ description: 'the governor DID', type: 'string' }),
  signature: z.unknown().optional().meta({ description: 'detached signature over the proposal id', type: 'string' }),
  sign: z
    .unknown()
    .optional()
    .meta({ description: 'true: the node signs with that governor key (admin token)', type: 'boolean' }),
});

export const NetworkRequest = z.object({ network: networkId('network must be a network id') });
export const AnchorRequest = z.object({
  network: networkId('network must be a network id (43 base64url characters)'),
});
export const NetworkParam = z.object({ network: networkId('network must be a network id') });

export const ActionsQuery = z.object({
  after: z.string().optional().meta({ description: 'an action id: answer the actions after it' }),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'limit must be 1–1000')
    .optional()
    .meta({ description: 'at most this many (1–1000)' }),
});

export const MemberQuery = z.object({
  at: z.string().optional().meta({ description: 'the record in effect at this date-time', format: 'date-time' }),
});

export const ProposalsQuery = z.object({
  network: z.string().optional(),
  pending: z.string().optional().meta({ description: 'true (or 1): only proposals not yet approved' }),
});

export const PublicationRequest = z.object({
  kind: z.enum(PUBLICATION_KINDS, { error: `kind must be one of ${PUBLICATION_KINDS.join(', ')}` }),
  id: z.string({ error: 'id must be a string' }).min(1, 'id must be a string'),
  body: z.record(z.string(), z.unknown(), { error: 'body must be an object' }),
  version: z
    .number({ error: 'version must be a whole number ≥ 1' })
    .int('version must be a whole number ≥ 1')
    .min(1, 'version must be a whole number ≥ 1')
    .max(Number.MAX_SAFE_INTEGER, 'version must be a whole number ≥ 1')
    .optional(),
});

export const PublicationsQuery = z.object({
  publisher: z.string().optional().meta({ description: 'a DID' }),
  kind: z
    .string()
    .optional()
    .meta({ description: PUBLICATION_KINDS.join(', ') }),
});

const Proposal = z.looseObject({
  id: z.string(),
  action: JsonObject,
  signatures: z.array(z.unknown()),
  approved: z.boolean(),
});
const NetworkSummary = z.looseObject({
  id: z.string(),
  name: z.string(),
  governors: z.array(z.string()),
  threshold: z.number(),
});
const ProposalAnswer = z.object({ proposal: Proposal });
const AnchorView = z.looseObject({ anchors: z.array(z.string()) });
const idParam = z.object({ id: z.string() });

export const registryOperations: Operation[] = [
  {
    method: 'post',
    path: '/governor-keys',
    tag: 'Registry',
    summary: 'Create a governor key held by this node',
    auth: 'admin',
    responses: { 201: { description: 'its DID', schema: z.object({ did: z.string() }) }, ...errors(401) },
  },
  {
    method: 'get',
    path: '/governor-keys',
    tag: 'Registry',
    summary: 'The governor keys this node holds',
    auth: 'admin',
    responses: {
      200: { description: 'their DIDs', schema: z.object({ governorKeys: z.array(z.object({ did: z.string() })) }) },
      ...errors(401),
    },
  },
  {
    method: 'post',
    path: '/networks',
    tag: 'Registry',
    summary: 'Propose a new network (its genesis)',
    auth: 'admin',
    body: CreateNetworkRequest,
    responses: {
      201: {
        description: 'the network (approved once its genesis has enough signatures) and the proposal',
        schema: z.object({ network: z.looseObject({ id: z.string() }), proposal: Proposal }),
      },
      ...ADMIN_JSON_ERRORS,
      ...errors(403, 422),
    },
  },
  {
    method: 'get',
    path: '/networks',
    tag: 'Registry',
    summary: 'The networks this node follows',
    responses: { 200: { description: 'one summary each', schema: z.object({ networks: z.array(NetworkSummary) }) } },
  },
  {
    method: 'get',
    path: '/networks/{id}',
    tag: 'Registry',
    summary: 'A network’s summary, digest and folded state',
    params: idParam,
    responses: {
      200: { description: 'the network', schema: NetworkSummary.extend({ digest: z.unknown(), state: JsonObject }) },
      ...errors(404),
    },
  },
  {
    method: 'get',
    path: '/networks/{id}/actions',
    tag: 'Registry',
    summary: 'Approved actions in fold order',
    params: idParam,
    query: ActionsQuery,
    responses: {
      200: {
        description: 'a page of actions',
        schema: z.object({ network: z.string(), digest: z.unknown(), actions: z.array(JsonObject) }),
      },
      ...errors(400, 404),
    },
  },
  {
    method: 'get',
    path: '/networks/{id}/export',
    tag: 'Registry',
    summary: 'Everything stored for the network (approved, pending, rejected), for offline audit',
    params: idParam,
    responses: {
      200: {
        description: 'the export',
        schema: z.object({
          format: z.string(),
          network: z.string(),
          digest: z.unknown(),
          actions: z.array(JsonObject),
        }),
      },
      ...errors(404),
    },
  },
  {
    method: 'get',
    path: '/networks/{id}/members/{did}',
    tag: 'Registry',
    summary: 'A member record with its history',
    params: z.object({ id: z.string(), did: z.string() }),
    query: MemberQuery,
    responses: {
      200: {
        description: 'the record',
        schema: z.object({
          network: z.string(),
          did: z.string(),
          current: JsonObject.nullable(),
          history: z.array(JsonObject),
        }),
      },
      ...errors(400, 404),
    },
  },
  {
    method: 'post',
    path: '/proposals',
    tag: 'Registry',
    summary: 'Propose an action',
    auth: 'admin',
    body: ProposeRequest,
    responses: {
      201: { description: 'the proposal', schema: ProposalAnswer },
      ...ADMIN_JSON_ERRORS,
      ...errors(403, 404, 422),
    },
  },
  {
    method: 'get',
    path: '/proposals',
    tag: 'Registry',
    summary: 'Proposals, by network, pending only if asked',
    query: ProposalsQuery,
    responses: { 200: { description: 'the proposals', schema: z.object({ proposals: z.array(Proposal) }) } },
  },
  {
    method: 'get',
    path: '/proposals/{id}',
    tag: 'Registry',
    summary: 'One proposal',
    params: idParam,
    responses: { 200: { description: 'the proposal', schema: ProposalAnswer }, ...errors(404) },
  },
  {
    method: 'post',
    path: '/proposals/{id}/approvals',
    tag: 'Registry',
    summary: 'Add a governor’s signature',
    description:
      'A detached governor signature is its own authorization; `sign: true` (the node signs) needs the admin token.',
    auth: 'mixed',
    params: idParam,
    body: ApprovalRequest,
    responses: {
      200: { description: 'the proposal, approved once the threshold is met', schema: ProposalAnswer },
      ...errors(400, 401, 403, 404, 422),
    },
  },
  {
    method: 'get',
    path: '/issuers/{did}',
    tag: 'Registry',
    summary: 'An issuer across every followed network',
    params: z.object({ did: z.string() }),
    responses: {
      200: {
        description: 'memberships and publications',
        schema: z.looseObject({ did: z.string(), memberships: z.array(JsonObject), publications: JsonObject }),
      },
      ...errors(404),
    },
  },
  {
    method: 'get',
    path: '/follows',
    tag: 'Replication',
    summary: 'The networks this node follows, those added explicitly, and offers',
    responses: {
      200: {
        description: 'the follow set',
        schema: z.object({ follows: z.array(z.string()), explicit: z.array(z.string()), offers: z.array(z.unknown()) }),
      },
    },
  },
  {
    method: 'get',
    path: '/follows/offers',
    tag: 'Replication',
    summary: 'Networks that list this institution but that its operator has neither accepted nor declined',
    responses: {
      200: {
        description: 'the offers, how each network lists the institution, and the declined ones',
        schema: z.object({
          offers: z.array(z.string()),
          details: z.array(z.looseObject({ network: z.string() })),
          declined: z.array(z.string()),
        }),
      },
    },
  },
  {
    method: 'post',
    path: '/follows/offers/{network}/accept',
    tag: 'Replication',
    summary: 'Accept an offered network: follow it (decision 0042)',
    auth: 'admin',
    params: NetworkParam,
    responses: {
      201: {
        description: 'followed',
        schema: z.object({ network: z.string(), accepted: z.boolean(), follows: z.array(z.string()) }),
      },
      ...errors(401, 404),
    },
  },
  {
    method: 'post',
    path: '/follows/offers/{network}/decline',
    tag: 'Replication',
    summary: 'Decline an offered network: not offered or pulled again',
    auth: 'admin',
    params: NetworkParam,
    responses: {
      200: {
        description: 'declined',
        schema: z.object({ network: z.string(), declined: z.boolean(), offers: z.array(z.string()) }),
      },
      ...errors(401, 404),
    },
  },
  {
    method: 'post',
    path: '/follows',
    tag: 'Replication',
    summary: 'Follow (replicate) a network',
    auth: 'admin',
    body: NetworkRequest,
    responses: {
      200: {
        description: 'already followed',
        schema: z.object({ network: z.string(), added: z.boolean(), follows: z.array(z.string()) }),
      },
      201: {
        description: 'followed now',
        schema: z.object({ network: z.string(), added: z.boolean(), follows: z.array(z.string()) }),
      },
      ...ADMIN_JSON_ERRORS,
    },
  },
  {
    method: 'delete',
    path: '/follows/{network}',
    tag: 'Replication',
    summary:
      'Stop an explicit follow (an anchor is removed at /anchors; a recognized network goes with its recognition)',
    auth: 'admin',
    params: NetworkParam,
    responses: {
      200: {
        description: 'no longer followed explicitly',
        schema: z.object({ network: z.string(), removed: z.boolean(), follows: z.array(z.string()) }),
      },
      ...errors(400, 401, 404),
    },
  },
  {
    method: 'get',
    path: '/anchors',
    tag: 'Replication',
    summary: 'Trust anchors: in effect, configured and added at run time',
    responses: { 200: { description: 'the anchors', schema: AnchorView } },
  },
  {
    method: 'post',
    path: '/anchors',
    tag: 'Replication',
    summary: 'Add a runtime trust anchor (decision 0031)',
    auth: 'admin',
    body: AnchorRequest,
    responses: {
      200: {
        description: 'already an anchor',
        schema: AnchorView.extend({ network: z.string(), added: z.boolean(), known: z.boolean() }),
      },
      201: {
        description: 'added',
        schema: AnchorView.extend({ network: z.string(), added: z.boolean(), known: z.boolean() }),
      },
      ...ADMIN_JSON_ERRORS,
    },
  },
  {
    method: 'delete',
    path: '/anchors/{network}',
    tag: 'Replication',
    summary: 'Remove a runtime trust anchor (configured ones stay)',
    auth: 'admin',
    params: NetworkParam,
    responses: {
      200: { description: 'removed', schema: AnchorView.extend({ network: z.string(), removed: z.boolean() }) },
      ...errors(400, 401, 404),
    },
  },
  {
    method: 'post',
    path: '/publications',
    tag: 'Publications',
    summary: 'Publish as this institution to every network it is a member of',
    auth: 'admin',
    body: PublicationRequest,
    responses: {
      201: { description: 'the stored publication', schema: z.object({ publication: JsonObject }) },
      ...ADMIN_JSON_ERRORS,
      ...errors(403, 409, 422),
    },
  },
  {
    method: 'get',
    path: '/publications',
    tag: 'Publications',
    summary: 'Publications held, with equivocation evidence',
    query: PublicationsQuery,
    responses: {
      200: {
        description: 'the publications',
        schema: z.object({ publications: z.array(JsonObject), equivocations: z.array(z.unknown()) }),
      },
    },
  },
];
