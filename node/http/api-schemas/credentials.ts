/** Schemas of the W3C VC API routes (node/http/routes/credentials.ts, presentations.ts, verify-options.ts). */
import { z } from 'zod';
import { MAX_CREDENTIALS_PER_REQUEST } from '../../../protocol/constants.ts';
import { ADMIN_JSON_ERRORS, ErrorBody, errors, JsonObject, type Operation } from './common.ts';

const jsonObject = (name: string) => z.record(z.string(), z.unknown(), { error: `${name} must be a JSON object` });

export const IssueRequest = z.object({
  credential: jsonObject('credential').meta({
    description: 'the unsigned credential; `issuer` is required (this node’s DID, or its did:web)',
  }),
  options: z
    .object(
      {
        cryptosuite: z
          .string()
          .optional()
          .meta({ description: 'eddsa-rdfc-2022 (default), eddsa-jcs-2022, ecdsa-rdfc-2019, ecdsa-jcs-2019, …' }),
        // Checked by the issuer, in its wording: described here, not refused here.
        format: z.unknown().optional().meta({
          type: 'string',
          description: 'vc+jwt (VC 2.0, enveloped) or jwt_vc_json (VC 1.1); default: Data Integrity',
        }),
        alg: z.unknown().optional().meta({ type: 'string', description: 'for a JWT: EdDSA (default) or ES256' }),
        credentialStatus: z.unknown().optional().meta({
          description:
            'which status entries to add, e.g. {"type":"BitstringStatusListEntry","statusPurpose":["revocation","suspension"]}',
        }),
      },
      { error: 'options must be a JSON object' },
    )
    .loose()
    .optional(),
});

export const IssueResponse = z.object({ verifiableCredential: JsonObject });

const recipientMessage = 'options.recipient must be an email address, URL or telephone number';

/** VCALM VerifyCredentialOptions / VerifyPresentationOptions, plus `checks` (VC API) and `at` (this node). */
export const VerifyOptions = z
  .object(
    {
      checks: z.array(z.string(), { error: 'options.checks must be a list of check names' }).optional().meta({
        description: 'checks required besides proof and data model: issuer, status, validity, trust, skills, …',
      }),
      at: z
        .string({ error: 'options.at must be an XML dateTime' })
        .optional()
        .meta({ description: 'verify as of this time (XML dateTime)', format: 'date-time' }),
      challenge: z.string({ error: 'options.challenge must be a string' }).optional(),
      domain: z.string({ error: 'options.domain must be a string' }).optional(),
      recipient: z
        .string({ error: recipientMessage })
        .min(1, recipientMessage)
        .max(500, recipientMessage)
        .optional()
        .meta({ description: 'Open Badges 2.0: the recipient identity the hashed recipient must match' }),
      returnResults: z.boolean({ error: 'options.returnResults must be true or false' }).optional(),
      returnProblemDetails: z.boolean({ error: 'options.returnProblemDetails must be true or false' }).optional(),
      returnCredential: z.boolean({ error: 'options.returnCredential must be true or false' }).optional(),
      returnPresentation: z.boolean({ error: 'options.returnPresentation must be true or false' }).optional(),
    },
    { error: 'options must be a JSON object' },
  )
  .meta({ description: 'an unknown option or check name is refused with UNKNOWN_OPTION_PROVIDED (400)' });

export const VerifyCredentialRequest = z.object({
  verifiableCredential: z
    .union([z.string(), JsonObject], { error: 'verifiableCredential must be a JSON object' })
    .meta({ description: 'a secured credential, or a JOSE-secured one as its compact JWT' }),
  options: z.unknown().optional().meta({ description: 'VerifyOptions' }),
});

/** At most this many credentials in one batch: the verifier's per-request limit (registry/verification/limits.ts). */
export const MAX_BATCH_CREDENTIALS = MAX_CREDENTIALS_PER_REQUEST;

export const VerifyBatchRequest = z.object({
  verifiableCredentials: z
    .array(z.union([z.string(), JsonObject], { error: 'each of verifiableCredentials must be a JSON object' }), {
      error: 'verifiableCredentials must be a list of credentials',
    })
    .min(1, 'verifiableCredentials must list at least one credential')
    .max(MAX_BATCH_CREDENTIALS, `verifiableCredentials may list at most ${MAX_BATCH_CREDENTIALS} credentials`)
    .meta({
      description: 'secured credentials (or JOSE-secured ones as compact JWTs), each as for /credentials/verify',
    }),
  options: z.unknown().optional().meta({ description: 'VerifyOptions, applied to every credential' }),
});

export const VerifyPresentationRequest = z.object({
  verifiablePresentation: jsonObject('verifiablePresentation'),
  options: z.unknown().optional().meta({ description: 'VerifyOptions' }),
});

const ProblemDetails = z.looseObject({
  type: z.string(),
  title: z.string(),
  detail: z.string(),
  code: z.string(),
  check: z.string().optional(),
});

export const VerificationReport = z.looseObject({
  verified: z.boolean(),
  trusted: z.boolean(),
  checks: z.array(
    z.looseObject({
      name: z.enum(['schema', 'proof', 'issuer', 'validity', 'status', 'trust', 'skills']),
      status: z.enum(['ok', 'failed', 'unchecked']),
      code: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
  warnings: z.array(ProblemDetails),
  errors: z.array(ProblemDetails),
  issuer: z.looseObject({ did: z.string().nullable(), networks: z.array(JsonObject) }),
  trustPath: z.array(z.string()).optional(),
  credentialId: z.string().optional(),
  skills: z.array(JsonObject).optional(),
});

/** 400 and 503 carry the report and an error object (decision 0022). */
export const FailedVerification = VerificationReport.extend({ error: ErrorBody.shape.error });

export const PresentationReport = VerificationReport.extend({ credentials: z.array(VerificationReport) });

/** One credential's answer in a batch: what /credentials/verify would have answered, with its status code. */
export const BatchItem = FailedVerification.partial({ error: true }).extend({
  status: z.union([z.literal(200), z.literal(400), z.literal(503)]).meta({
    description: 'the HTTP status /credentials/verify would have answered for this credential',
  }),
});

export const VerifyBatchResponse = z.object({
  results: z.array(BatchItem).meta({ description: 'one per credential, in the order they were sent' }),
});

export const StatusRequest = z.object({
  credentialId: z.string().meta({ description: 'the id of a credential this node issued' }),
  credentialStatus: z
    .looseObject(
      {
        type: z
          .literal('BitstringStatusListEntry', { error: 'credentialStatus.type must be BitstringStatusListEntry' })
          .optional(),
        statusPurpose: z.string().optional().meta({ description: 'revocation (default), suspension, message' }),
      },
      { error: 'credentialStatus must be a JSON object' },
    )
    .optional(),
  status: z
    .union([z.boolean(), z.number(), z.string()])
    .meta({ description: 'true sets the bit (revoked, suspended); a message entry takes a number or 0x… hex' }),
});

export const StatusResponse = z.object({
  credentialId: z.string(),
  statusPurpose: z.string(),
  status: z.union([z.boolean(), z.number(), z.string()]),
  changed: z.boolean(),
});

export const credentialOperations: Operation[] = [
  {
    method: 'post',
    path: '/credentials/issue',
    tag: 'Credentials',
    summary: 'Issue a credential (VCALM)',
    description:
      'Adds validFrom if absent and a BitstringStatusListEntry, and signs with eddsa-rdfc-2022 unless options.cryptosuite asks for another suite.',
    auth: 'admin',
    body: IssueRequest,
    responses: {
      201: { description: 'the signed credential', schema: IssueResponse },
      ...ADMIN_JSON_ERRORS,
      ...errors(422),
    },
  },
  {
    method: 'post',
    path: '/credentials/verify',
    tag: 'Credentials',
    summary: 'Verify a credential (VCALM)',
    description:
      '200 when verified (status, expiry and trust are warnings); 400 with the report on an integrity or data-model error (decision 0022).',
    cors: 'configured-origins',
    body: VerifyCredentialRequest,
    responses: {
      200: { description: 'verified; the report', schema: VerificationReport },
      400: {
        description: 'not verified (the report with an error), or malformed input',
        schema: z.union([FailedVerification, ErrorBody]),
      },
      503: { description: 'this node could not finish a check; retry', schema: FailedVerification },
      ...errors(413, 415, 429),
    },
  },
  {
    method: 'post',
    path: '/credentials/verify/batch',
    tag: 'Credentials',
    summary: 'Verify several credentials in one request',
    description:
      `Up to ${MAX_BATCH_CREDENTIALS} credentials, each verified exactly as POST /credentials/verify verifies one, ` +
      'with the same options; the limits of one request and one deadline apply to the batch, and it counts as ' +
      'one request per credential against the rate limit (decision 0047). 200 whenever verification ran: each ' +
      'result carries the status the single route would have answered.',
    cors: 'configured-origins',
    body: VerifyBatchRequest,
    responses: {
      200: { description: 'one result per credential, in order', schema: VerifyBatchResponse },
      ...errors(400, 413, 415, 429),
    },
  },
  {
    method: 'post',
    path: '/credentials/status',
    tag: 'Credentials',
    summary: 'Revoke, suspend or reinstate a credential this node issued',
    auth: 'admin',
    body: StatusRequest,
    responses: {
      200: { description: 'the status now', schema: StatusResponse },
      ...ADMIN_JSON_ERRORS,
      ...errors(404, 409, 422),
    },
  },
  {
    method: 'post',
    path: '/presentations/verify',
    tag: 'Credentials',
    summary: 'Verify a presentation and every credential in it (VCALM)',
    cors: 'configured-origins',
    body: VerifyPresentationRequest,
    responses: {
      200: { description: 'the report, with one report per credential', schema: PresentationReport },
      ...errors(400, 413, 415, 422, 429),
    },
  },
];
