/**
 * Schemas of the public documents and the node's own endpoints: health, the node's DID document, status lists,
 * DID resolution (routes/identifiers.ts) and the OpenID Federation endpoints (routes/federation.ts).
 */
import { z } from 'zod';
import { ADMIN_JSON_ERRORS, errors, JsonObject, type Operation } from './common.ts';

export const Health = z.object({
  status: z.literal('ok'),
  did: z.string(),
  ecdsaDid: z.string(),
  peerId: z.string().optional(),
  multiaddrs: z.array(z.string()),
  networks: z.array(z.string()),
  version: z.string(),
});

const DidDocument = z.looseObject({ id: z.string() });
const network = z.object({ network: z.string().meta({ description: 'network id' }) });
const jwt = (typ: string, what: string) => ({ 200: { description: what, contentType: `application/${typ}` } });
const federationParam = (description: string) => z.string().max(2000).meta({ description });

/** A required query parameter of the federation endpoints, in the wording their error form (invalid_request) carries. */
const requiredParam = (name: string, description: string) =>
  z
    .string({ error: `${name} is required` })
    .min(1, `${name} is required`)
    .max(2000, `${name} is too long`)
    .meta({ description });
const optionalParam = (name: string, description: string) =>
  z.string().max(2000, `${name} is too long`).optional().meta({ description });

export const FetchQuery = z.object({
  sub: requiredParam('sub', 'the subordinate'),
  iss: optionalParam('iss', 'this anchor'),
});
export const AnchorEntityQuery = z.object({ entity_id: requiredParam('entity_id', 'the anchor’s entity identifier') });
export const AddOidfAnchorRequest = z.object({
  entityId: z
    .string({ error: 'entityId must be an entity identifier (an https URL)' })
    .max(2000, 'entityId is too long')
    .meta({ description: 'the anchor’s https entity identifier' }),
});

export const documentOperations: Operation[] = [
  {
    method: 'get',
    path: '/health',
    tag: 'Node',
    summary: 'Liveness, identity and the networks followed',
    responses: { 200: { description: 'the node', schema: Health } },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'Node',
    summary: 'Prometheus metrics (decision 0037); served when the node runs with metrics',
    description: 'Needs the metrics token (--metrics-token) or the admin token as Bearer.',
    auth: 'admin',
    responses: {
      200: { description: 'the text exposition format', contentType: 'text/plain' },
      ...errors(401),
    },
  },
  {
    method: 'get',
    path: '/events',
    tag: 'Node',
    summary: 'Server-sent events: registry entries and publications as this node commits them (decision 0045)',
    description:
      '`action` {id, network, type, status, signatures, source, at} and `publication` {publisher, kind, id, version, source, at}; `at` is the node clock at commit; a heartbeat every 15 s; `overflow` ends a stream after 100,000 queued events.',
    auth: 'admin',
    responses: { 200: { description: 'an event stream', contentType: 'text/event-stream' }, ...errors(401) },
  },
  {
    method: 'post',
    path: '/backup',
    tag: 'Node',
    summary: 'A consistent snapshot of the database as a backup file (decision 0040)',
    description: 'Gzipped JSON lines: a versioned header, the entries, a trailer with their count and SHA-256.',
    auth: 'admin',
    responses: {
      200: { description: 'the backup file', contentType: 'application/gzip' },
      ...errors(401),
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'Node',
    summary: 'This document (OpenAPI 3.1)',
    cors: 'public-documents',
    responses: {
      200: { description: 'the OpenAPI document', schema: z.looseObject({ openapi: z.string(), paths: JsonObject }) },
    },
  },
  {
    method: 'get',
    path: '/.well-known/did.json',
    tag: 'DID documents',
    summary: 'The node’s did:web document (did:web §3.2; under the DID’s own path when it has one)',
    cors: 'public-documents',
    responses: { 200: { description: 'the DID document', schema: DidDocument }, ...errors(404) },
  },
  {
    method: 'get',
    path: '/status-lists/{listId}',
    tag: 'Credentials',
    summary: 'A signed BitstringStatusListCredential of this node (public, cacheable)',
    cors: 'public-documents',
    params: z.object({ listId: z.string() }),
    responses: {
      200: {
        description: 'the status list credential',
        schema: z.looseObject({
          type: z.array(z.string()),
          credentialSubject: z.looseObject({ encodedList: z.string() }),
        }),
      },
      ...errors(404),
    },
  },
  {
    method: 'get',
    path: '/1.0/identifiers/{did}',
    tag: 'DID documents',
    summary: 'Resolve a DID or dereference a DID URL (DID Resolution HTTP(S) binding)',
    description:
      'Accept picks the representation: application/did-resolution (default), application/did-url-dereferencing, a DID document media type, or the legacy application/ld+json;profile="https://w3id.org/did-resolution" (decision 0019).',
    cors: 'public-documents',
    params: z.object({
      did: z.string().meta({ description: 'a DID or DID URL, URL-encoded when it carries options' }),
    }),
    responses: {
      200: {
        description: 'the resolution result',
        contentType: 'application/did-resolution',
        schema: z.looseObject({
          didDocument: DidDocument.nullable(),
          didResolutionMetadata: JsonObject,
          didDocumentMetadata: JsonObject,
        }),
      },
      400: { description: 'invalidDid (in didResolutionMetadata.error)', contentType: 'application/did-resolution' },
      404: { description: 'notFound', contentType: 'application/did-resolution' },
      406: { description: 'representationNotSupported', contentType: 'application/did-resolution' },
      501: { description: 'methodNotSupported', contentType: 'application/did-resolution' },
    },
  },
  {
    method: 'post',
    path: '/oidf/keys',
    tag: 'OpenID Federation',
    summary: 'Create a federation signing key (governors approve its public half, decision 0025)',
    auth: 'admin',
    responses: {
      201: { description: 'the key', schema: z.object({ kid: z.string(), jwk: JsonObject }) },
      ...errors(401),
    },
  },
  {
    method: 'get',
    path: '/oidf/keys',
    tag: 'OpenID Federation',
    summary: 'The federation keys this node holds',
    auth: 'admin',
    responses: {
      200: {
        description: 'the keys',
        schema: z.object({ keys: z.array(z.object({ kid: z.string(), jwk: JsonObject })) }),
      },
      ...errors(401),
    },
  },
  {
    method: 'get',
    path: '/oidf/anchors',
    tag: 'OpenID Federation',
    summary: 'Other federations’ trust anchors accepted as sources of trust (decision 0026)',
    auth: 'admin',
    responses: {
      200: { description: 'the anchors', schema: z.object({ anchors: z.array(z.unknown()) }) },
      ...errors(401),
    },
  },
  {
    method: 'post',
    path: '/oidf/anchors',
    tag: 'OpenID Federation',
    summary: 'Accept another federation’s trust anchor',
    auth: 'admin',
    body: AddOidfAnchorRequest,
    responses: {
      201: { description: 'the anchors', schema: z.object({ anchors: z.array(z.unknown()) }) },
      ...ADMIN_JSON_ERRORS,
      ...errors(422),
    },
  },
  {
    method: 'delete',
    path: '/oidf/anchors',
    tag: 'OpenID Federation',
    summary: 'Stop accepting a trust anchor',
    auth: 'admin',
    query: AnchorEntityQuery,
    responses: {
      200: { description: 'the anchors', schema: z.object({ anchors: z.array(z.unknown()) }) },
      ...errors(400, 401),
    },
  },
  {
    method: 'get',
    path: '/oidf/{network}/.well-known/openid-federation',
    tag: 'OpenID Federation',
    summary: 'The network’s trust anchor entity configuration (§9)',
    cors: 'public-documents',
    params: network,
    responses: { ...jwt('entity-statement+jwt', 'the signed entity configuration'), ...errors(404) },
  },
  {
    method: 'get',
    path: '/oidf/{network}/members/{entity}/.well-known/openid-federation',
    tag: 'OpenID Federation',
    summary: 'A member’s entity configuration, with its trust marks',
    cors: 'public-documents',
    params: z.object({ network: z.string(), entity: z.string() }),
    responses: { ...jwt('entity-statement+jwt', 'the signed entity configuration'), ...errors(404) },
  },
  {
    method: 'get',
    path: '/oidf/{network}/fetch',
    tag: 'OpenID Federation',
    summary: 'Subordinate statement (§8.1)',
    cors: 'public-documents',
    params: network,
    query: FetchQuery,
    responses: { ...jwt('entity-statement+jwt', 'the signed subordinate statement'), ...errors(400, 404) },
  },
  {
    method: 'get',
    path: '/oidf/{network}/list',
    tag: 'OpenID Federation',
    summary: 'Subordinate listing (§8.2)',
    cors: 'public-documents',
    params: network,
    query: z.object({
      entity_type: federationParam('repeatable').optional(),
      trust_mark_type: federationParam('only holders of this trust mark').optional(),
      trust_marked: z.enum(['true', 'false']).optional(),
      intermediate: z.enum(['true', 'false']).optional(),
    }),
    responses: { 200: { description: 'entity identifiers', schema: z.array(z.string()) }, ...errors(400, 404) },
  },
  {
    method: 'get',
    path: '/oidf/{network}/resolve',
    tag: 'OpenID Federation',
    summary: 'Resolve a trust chain (§8.3)',
    cors: 'public-documents',
    params: network,
    query: z.object({
      sub: federationParam('the subject'),
      trust_anchor: federationParam('repeatable'),
      entity_type: federationParam('repeatable').optional(),
    }),
    responses: { ...jwt('resolve-response+jwt', 'the signed resolve response'), ...errors(400, 404) },
  },
  {
    method: 'get',
    path: '/oidf/{network}/trust-mark',
    tag: 'OpenID Federation',
    summary: 'A trust mark (§8.6)',
    cors: 'public-documents',
    params: network,
    query: z.object({ sub: federationParam('the holder'), trust_mark_type: federationParam('the type') }),
    responses: { ...jwt('trust-mark+jwt', 'the signed trust mark'), ...errors(400, 404) },
  },
  {
    method: 'post',
    path: '/oidf/{network}/trust-mark-status',
    tag: 'OpenID Federation',
    summary: 'Trust mark status (§8.4): active, expired, revoked or invalid',
    cors: 'public-documents',
    params: network,
    bodyType: 'application/x-www-form-urlencoded',
    body: z.object({ trust_mark: z.string().max(20_000) }),
    responses: { ...jwt('trust-mark-status-response+jwt', 'the signed status'), ...errors(400, 404) },
  },
  {
    method: 'get',
    path: '/oidf/{network}/historical-keys',
    tag: 'OpenID Federation',
    summary: 'Historical keys (§8.7)',
    cors: 'public-documents',
    params: network,
    responses: { ...jwt('jwk-set+jwt', 'the signed key history'), ...errors(404) },
  },
  {
    method: 'get',
    path: '/oidf/{network}/dcc-registry.json',
    tag: 'OpenID Federation',
    summary: 'The network in DCC’s legacy registry JSON',
    cors: 'public-documents',
    params: network,
    responses: { 200: { description: 'the registry', schema: JsonObject }, ...errors(404) },
  },
];
