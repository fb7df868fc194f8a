/**
 * The `options` of POST /credentials/verify and /presentations/verify (W3C
 * VCALM, with the VC API's `checks`, which the public test suites still send),
 * and how a verification report becomes an HTTP answer (docs/decisions/0022).
 */
import { isDateTime } from '../../../registry/verification/credential-shape.ts';
import type { CheckName, VerificationReport } from '../../../registry/verification/report.ts';
import { NodeError } from '../../errors.ts';
import { parseRequest, requestSchema } from '../request-input.ts';

type Json = Record<string, unknown>;

export interface VerifyRequestOptions {
  at?: Date;
  required?: CheckName[];
  challenge?: string;
  domain?: string;
  /** The identity the holder claims, checked against an Open Badges 2.0 badge's recipient. */
  recipient?: string;
  returnCredential: boolean;
}

// VCALM VerifyCredentialOptions / VerifyPresentationOptions, plus `checks` (VC API) and `at` (this node): the
// schema's fields, read once it is loaded.
let known: ReadonlySet<string> | undefined;

/**
 * The names `checks` may carry and the check of ours each requires. Proof and data model are always required; the
 * issuer relationship is required by default and, once the caller lists checks, only when listed (the VC API and
 * Data Integrity suites verify with `["proof"]` credentials signed by a key that is not the issuer's and expect 200).
 * An unknown name is refused rather than ignored, so that no caller believes a check ran that did not.
 */
const CHECK_NAMES: Record<string, CheckName | null> = {
  proof: null,
  schema: null,
  issuer: 'issuer',
  credentialStatus: 'status',
  status: 'status',
  expiration: 'validity',
  validity: 'validity',
  validFrom: 'validity',
  validUntil: 'validity',
  trust: 'trust',
  skills: 'skills',
  recipient: 'recipient',
};

function unknownOption(message: string): NodeError {
  return new NodeError('UNKNOWN_OPTION_PROVIDED', message, {
    type: 'https://www.w3.org/TR/vcalm#UNKNOWN_OPTION_PROVIDED',
  });
}

export async function parseVerifyOptions(value: unknown): Promise<VerifyRequestOptions> {
  if (value === undefined) return { returnCredential: false };
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new NodeError('VALIDATION_FAILED', 'options must be a JSON object');
  }
  // Unknown names first: VCALM gives them their own code, which the schema's strictness cannot carry.
  known ??= new Set(Object.keys((await requestSchema('VerifyOptions')).shape));
  const names = known;
  const unknown = Object.keys(value).find((k) => !names.has(k));
  if (unknown !== undefined) throw unknownOption(`unknown option ${JSON.stringify(unknown)}`);
  const options = await parseRequest('VerifyOptions', value);
  if (options.at !== undefined && !isDateTime(options.at)) {
    throw new NodeError('VALIDATION_FAILED', 'options.at must be an XML dateTime');
  }
  let required: CheckName[] | undefined;
  if (options.checks !== undefined) {
    required = [];
    for (const name of options.checks) {
      if (!Object.hasOwn(CHECK_NAMES, name)) throw unknownOption(`unknown check ${JSON.stringify(name)}`);
      const check = CHECK_NAMES[name];
      if (check && !required.includes(check)) required.push(check);
    }
  }
  return {
    ...(options.at !== undefined ? { at: new Date(options.at) } : {}),
    ...(required ? { required } : {}),
    ...(typeof options.challenge === 'string' ? { challenge: options.challenge } : {}),
    ...(typeof options.domain === 'string' ? { domain: options.domain } : {}),
    ...(typeof options.recipient === 'string' ? { recipient: options.recipient } : {}),
    returnCredential: options.returnCredential === true || options.returnPresentation === true,
  };
}

// Errors that say this node could not finish a check (a worker failed), not that the credential is bad.
const INTERNAL = new Set(['PROOF_CHECK_FAILED', 'STATUS_LIST_UNCHECKED']);

/**
 * The status of a credential verification: 200 when verified; 400 with the report when an error was found (the VC
 * API and Data Integrity suites expect a 4xx, the Bitstring Status List suite a 400 with `verified: false`); 503
 * when every error is this node's own failure to check, so the caller may retry.
 */
export function credentialAnswer(report: VerificationReport): { status: 200 | 400 | 503; body: Json } {
  if (report.verified) return { status: 200, body: report as unknown as Json };
  const internal = report.errors.every((e) => INTERNAL.has(e.code));
  const first = report.errors[0];
  const code = internal
    ? 'VERIFICATION_UNAVAILABLE'
    : report.checks[0]?.status === 'failed'
      ? 'INVALID_CREDENTIAL'
      : 'VERIFICATION_FAILED';
  return {
    status: internal ? 503 : 400,
    body: { ...report, error: { code, message: first ? first.detail : 'not verified' } },
  };
}
