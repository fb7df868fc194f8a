/**
 * Schemas of the wallet-facing routes: OID4VCI (routes/oid4vci.ts), OID4VP (routes/oid4vp.ts) and VCALM
 * exchanges (routes/vcalm.ts). Their bodies' members are checked by the services in node/oid4vc and
 * node/vcalm too (what needs the node's state, such as an unknown achievement); the routes validate the
 * shape with these schemas first, in the services' wording.
 */
import { z } from 'zod';
import { LDP_CRYPTOSUITES } from '../../../protocol/oid4vc/issuance-metadata.ts';
import { REQUESTABLE_TYPES } from '../../../protocol/oid4vc/presentation-request.ts';
import { OFFER_MAX_SECONDS } from '../../oid4vc/issuance.ts';
import { REQUEST_MAX_SECONDS } from '../../oid4vc/presentations.ts';
import { ADMIN_JSON_ERRORS, errors, JsonObject, type Operation } from './common.ts';

/** OAuth 2.0 / OID4VCI error body (RFC 6749 §5.2), which wallets parse. */
export const OAuthError = z
  .looseObject({ error: z.string(), error_description: z.string().optional() })
  .meta({ description: 'OAuth 2.0 error (RFC 6749 §5.2)' });

const txCodeLength = 'txCode.length must be an integer from 4 to 12';
const offerSeconds = `expiresIn must be whole seconds from 1 to ${OFFER_MAX_SECONDS}`;
export const OfferRequest = z.looseObject({
  credential: z.unknown().optional().meta({
    type: 'object',
    description: 'the credential to offer, without credentialSubject.id (the wallet’s DID goes there)',
  }),
  achievement: z
    .unknown()
    .optional()
    .meta({ type: 'string', description: 'or: the id of an achievement this node published' }),
  options: z
    .looseObject(
      {
        cryptosuite: z
          .enum(LDP_CRYPTOSUITES, { error: `options.cryptosuite must be one of ${LDP_CRYPTOSUITES.join(', ')}` })
          .optional(),
      },
      { error: 'options must be a JSON object' },
    )
    .optional(),
  expiresIn: z
    .number({ error: offerSeconds })
    .int(offerSeconds)
    .min(1, offerSeconds)
    .max(OFFER_MAX_SECONDS, offerSeconds)
    .optional()
    .meta({ description: 'seconds until the offer expires' }),
  txCode: z
    .union(
      [
        z.boolean(),
        z.object({
          length: z
            .number({ error: txCodeLength })
            .int(txCodeLength)
            .min(4, txCodeLength)
            .max(12, txCodeLength)
            .optional(),
          description: z
            .string({ error: 'txCode.description must be a string of at most 300 characters' })
            .max(300, 'txCode.description must be a string of at most 300 characters')
            .optional(),
        }),
      ],
      { error: 'txCode must be true or {length?, description?}' },
    )
    .optional()
    .meta({ description: 'ask the wallet for a transaction code, sent to the learner separately' }),
});

export const CreatedOffer = z.looseObject({
  id: z.string(),
  credentialId: z.string(),
  offer: JsonObject,
  offerUri: z.string(),
  offerUriByReference: z.string(),
  offerUrl: z.string(),
  qr: z.object({ svg: z.string(), png: z.string() }),
  txCode: z.string().optional(),
  expiresAt: z.string(),
});

const requestSeconds = `expiresIn must be whole seconds from 1 to ${REQUEST_MAX_SECONDS}`;
const skillsMessage = 'requiredSkills must be an array of at most 200 skill ids';
export const PresentationRequestBody = z.looseObject({
  credentialType: z
    .enum(REQUESTABLE_TYPES as [string, ...string[]], {
      error: `credentialType must be one of ${REQUESTABLE_TYPES.join(', ')}`,
    })
    .optional()
    .meta({ description: 'default OpenBadgeCredential' }),
  requiredSkills: z
    .array(z.string({ error: skillsMessage }).max(1999, skillsMessage), { error: skillsMessage })
    .max(200, skillsMessage)
    .optional(),
  expiresIn: z
    .number({ error: requestSeconds })
    .int(requestSeconds)
    .min(1, requestSeconds)
    .max(REQUEST_MAX_SECONDS, requestSeconds)
    .optional(),
});

export const ExchangeRequest = z.looseObject({
  variables: z
    .record(z.string(), z.unknown(), { error: 'variables must be an object' })
    .optional()
    .meta({ description: 'the workflow’s variables (issuance: the credential)' }),
  expires: z.string({ error: 'expires must be a future dateTime' }).optional().meta({ format: 'date-time' }),
});

const id = z.object({ id: z.string() });
const qr = z.object({ id: z.string(), qr: z.enum(['qr.svg', 'qr.png']) });
const workflow = z.object({ workflow: z.enum(['issuance', 'verification']) });
const exchange = z.object({ workflow: z.enum(['issuance', 'verification']), id: z.string() });
const image = (what: string) => ({
  200: { description: `${what} as a QR code (SVG or PNG)`, contentType: 'image/svg+xml' },
  ...errors(404, 429),
});

export const walletOperations: Operation[] = [
  {
    method: 'get',
    path: '/.well-known/openid-credential-issuer',
    tag: 'OID4VCI',
    summary: 'Credential issuer metadata (OID4VCI 1.0 §12.2)',
    cors: 'public-documents',
    responses: {
      200: {
        description: 'the metadata',
        schema: z.looseObject({
          credential_issuer: z.string(),
          credential_endpoint: z.string(),
          credential_configurations_supported: JsonObject,
        }),
      },
    },
  },
  {
    method: 'get',
    path: '/.well-known/oauth-authorization-server',
    tag: 'OID4VCI',
    summary: 'Authorization server metadata (RFC 8414)',
    cors: 'public-documents',
    responses: {
      200: { description: 'the metadata', schema: z.looseObject({ issuer: z.string(), token_endpoint: z.string() }) },
    },
  },
  {
    method: 'post',
    path: '/offers',
    tag: 'OID4VCI',
    summary: 'Offer a credential to a wallet (pre-authorized code)',
    auth: 'admin',
    body: OfferRequest,
    responses: {
      201: { description: 'the offer, its URLs and QR codes', schema: CreatedOffer },
      ...ADMIN_JSON_ERRORS,
      ...errors(409, 422),
    },
  },
  {
    method: 'get',
    path: '/offers/{id}/status',
    tag: 'OID4VCI',
    summary: 'Where an offer stands (offered, redeemed, expired)',
    auth: 'admin',
    params: id,
    responses: { 200: { description: 'its state', schema: z.looseObject({ state: z.string() }) }, ...errors(401, 404) },
  },
  {
    method: 'get',
    path: '/offers/{id}',
    tag: 'OID4VCI',
    summary: 'The credential offer by reference (§4.1.3)',
    params: id,
    responses: {
      200: {
        description: 'the offer object',
        schema: z.looseObject({ credential_issuer: z.string(), credential_configuration_ids: z.array(z.string()) }),
      },
      ...errors(404, 429),
    },
  },
  {
    method: 'get',
    path: '/offers/{id}/{qr}',
    tag: 'OID4VCI',
    summary: 'The offer as a QR code',
    params: qr,
    responses: image('the offer URI'),
  },
  {
    method: 'post',
    path: '/oid4vci/token',
    tag: 'OID4VCI',
    summary: 'Token endpoint (pre-authorized code grant)',
    bodyType: 'application/x-www-form-urlencoded',
    body: z.object({ grant_type: z.string(), 'pre-authorized_code': z.string(), tx_code: z.string().optional() }),
    responses: {
      200: {
        description: 'an access token',
        schema: z.looseObject({ access_token: z.string(), token_type: z.string(), expires_in: z.number() }),
      },
      400: { description: 'OAuth error', schema: OAuthError },
    },
  },
  {
    method: 'post',
    path: '/oid4vci/nonce',
    tag: 'OID4VCI',
    summary: 'Nonce endpoint (§7)',
    responses: { 200: { description: 'a fresh c_nonce', schema: z.looseObject({ c_nonce: z.string() }) } },
  },
  {
    method: 'post',
    path: '/oid4vci/credential',
    tag: 'OID4VCI',
    summary: 'Credential endpoint (§8): the access token as Bearer, a key proof in the body',
    body: JsonObject,
    responses: {
      200: {
        description: 'the credential',
        schema: z.looseObject({ credentials: z.array(z.looseObject({ credential: z.unknown() })) }),
      },
      400: { description: 'OID4VCI error', schema: OAuthError },
      401: { description: 'invalid_token', schema: OAuthError },
    },
  },
  {
    method: 'post',
    path: '/presentation-requests',
    tag: 'OID4VP',
    summary: 'Ask a wallet for a presentation',
    description: 'Needs the admin token unless the node runs as a public verifier (--public-verifier).',
    auth: 'mixed',
    body: PresentationRequestBody,
    responses: {
      201: {
        description: 'the request, its URLs and result token',
        schema: z.looseObject({ id: z.string(), requestUri: z.string() }),
      },
      ...ADMIN_JSON_ERRORS,
      ...errors(429),
    },
  },
  {
    method: 'get',
    path: '/presentation-requests/{id}/{qr}',
    tag: 'OID4VP',
    summary: 'The request as a QR code',
    params: qr,
    responses: image('the request URI'),
  },
  {
    method: 'get',
    path: '/presentation-requests/{id}',
    tag: 'OID4VP',
    summary: 'The result (admin token or the request’s result token)',
    auth: 'mixed',
    params: id,
    responses: {
      200: {
        description: 'its state and, once answered, the report',
        schema: z.looseObject({ id: z.string(), state: z.string() }),
      },
      ...errors(401, 404),
    },
  },
  {
    method: 'get',
    path: '/presentation-requests/{id}/events',
    tag: 'OID4VP',
    summary: 'One server-sent `result` event once the wallet answered',
    auth: 'mixed',
    params: id,
    responses: { 200: { description: 'an event stream', contentType: 'text/event-stream' }, ...errors(401, 404) },
  },
  {
    method: 'get',
    path: '/oid4vp/requests/{id}',
    tag: 'OID4VP',
    summary: 'The signed request object (JAR), by reference',
    params: id,
    responses: {
      200: { description: 'the request object', contentType: 'application/oauth-authz-req+jwt' },
      ...errors(404),
    },
  },
  {
    method: 'post',
    path: '/oid4vp/requests/{id}',
    tag: 'OID4VP',
    summary: 'The request object, when the wallet posts its metadata (request_uri_method=post)',
    params: id,
    bodyType: 'application/x-www-form-urlencoded',
    responses: {
      200: { description: 'the request object', contentType: 'application/oauth-authz-req+jwt' },
      ...errors(404),
    },
  },
  {
    method: 'post',
    path: '/oid4vp/responses/{id}',
    tag: 'OID4VP',
    summary: 'The wallet’s direct_post response',
    params: id,
    bodyType: 'application/x-www-form-urlencoded',
    body: z.looseObject({ vp_token: z.string(), state: z.string().optional() }),
    responses: {
      200: { description: 'accepted', schema: JsonObject },
      400: { description: 'OAuth error', schema: OAuthError },
    },
  },
  {
    method: 'post',
    path: '/workflows/{workflow}/exchanges',
    tag: 'VCALM exchanges',
    summary: 'Create an exchange (issuance or verification workflow)',
    auth: 'admin',
    params: workflow,
    body: ExchangeRequest,
    responses: {
      201: {
        description: 'the exchange and its URL (also in Location)',
        schema: z.looseObject({ exchangeUrl: z.string() }),
      },
      ...ADMIN_JSON_ERRORS,
      ...errors(404),
    },
  },
  {
    method: 'get',
    path: '/workflows/{workflow}/exchanges/{id}',
    tag: 'VCALM exchanges',
    summary: 'An exchange’s state',
    auth: 'admin',
    params: exchange,
    responses: { 200: { description: 'the state', schema: z.looseObject({ state: z.string() }) }, ...errors(401, 404) },
  },
  {
    method: 'post',
    path: '/workflows/{workflow}/exchanges/{id}',
    tag: 'VCALM exchanges',
    summary: 'Take part in an exchange (the exchange URL is the capability)',
    params: exchange,
    body: z.unknown(),
    responses: { 200: { description: 'the next step', schema: JsonObject }, ...errors(400, 404, 413, 415, 422, 429) },
  },
  {
    method: 'get',
    path: '/workflows/{workflow}/exchanges/{id}/protocols',
    tag: 'VCALM exchanges',
    summary: 'The protocols this exchange can run over',
    params: exchange,
    responses: {
      200: { description: 'the protocols', schema: z.looseObject({ protocols: JsonObject }) },
      ...errors(404, 429),
    },
  },
  {
    method: 'get',
    path: '/workflows/{workflow}/exchanges/{id}/request',
    tag: 'VCALM exchanges',
    summary: 'The exchange’s current request',
    params: exchange,
    responses: { 200: { description: 'the request', schema: JsonObject }, ...errors(404, 429) },
  },
  {
    method: 'get',
    path: '/interactions/{id}',
    tag: 'VCALM exchanges',
    summary: 'Interaction URL: the protocols an exchange can run over',
    params: id,
    responses: {
      200: { description: 'the protocols', schema: z.looseObject({ protocols: JsonObject }) },
      ...errors(404, 429),
    },
  },
];
