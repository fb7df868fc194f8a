/**
 * What an issuer is asked to put in a credential's `credentialStatus`
 * (Bitstring Status List v1.0 §2.1): one entry per status purpose, with
 * `statusSize` bits per credential, and for the `message` purpose the
 * `statusMessage` table that says what each value means and an optional
 * `statusReference`. Pure: parses `options.credentialStatus` and builds the
 * entries; allocation and signing happen in the node.
 */
import { RegistryError } from '../errors.ts';
import { isUrl } from '../issuing/related-resources.ts';

export const STATUS_PURPOSES = ['revocation', 'suspension', 'message'] as const;
export type StatusPurpose = (typeof STATUS_PURPOSES)[number];

/** Largest statusSize this node issues: 8 bits, 256 messages, is more than any deployed use. */
export const MAX_STATUS_SIZE = 8;

export interface StatusMessage {
  status: string;
  message: string;
}

export interface StatusRequest {
  purpose: StatusPurpose;
  /** Bits per credential (Bitstring Status List §2.1 statusSize; 1 when absent). */
  size: number;
  messages?: StatusMessage[];
  reference?: string | string[];
}

type Json = Record<string, unknown>;

function invalid(message: string): never {
  throw new RegistryError('INVALID_CREDENTIAL', `options.credentialStatus: ${message}`);
}

/** `0x` and lower-case hex without leading zeros, as the spec's examples write status values. */
export function statusHex(value: number): string {
  return `0x${value.toString(16)}`;
}

function parseMessages(value: unknown, size: number): StatusMessage[] {
  const count = 2 ** size;
  if (!Array.isArray(value) || value.length !== count) {
    invalid(`statusMessage must list one message per possible value: ${count} for statusSize ${size}`);
  }
  const seen = new Set<number>();
  return value.map((item) => {
    const entry = (item ?? {}) as Json;
    if (typeof entry.status !== 'string' || !/^0x[0-9a-fA-F]+$/.test(entry.status)) {
      invalid('each statusMessage needs status as a hex string (0x…)');
    }
    const status = Number.parseInt(entry.status.slice(2), 16);
    if (status >= count || seen.has(status)) invalid(`statusMessage values must be distinct and below ${count}`);
    seen.add(status);
    if (typeof entry.message !== 'string' || entry.message === '') invalid('each statusMessage needs a message');
    return { status: statusHex(status), message: entry.message };
  });
}

function parseOne(entry: unknown): StatusRequest {
  const object = (typeof entry === 'string' ? { statusPurpose: entry } : entry) as Json | null;
  if (!object || typeof object !== 'object' || Array.isArray(object)) invalid('each entry must be a purpose or object');
  const purpose = object.statusPurpose as StatusPurpose;
  if (!STATUS_PURPOSES.includes(purpose)) invalid(`statusPurpose must be one of ${STATUS_PURPOSES.join(', ')}`);
  const size = object.statusSize ?? 1;
  if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > MAX_STATUS_SIZE) {
    invalid(`statusSize must be an integer from 1 to ${MAX_STATUS_SIZE}`);
  }
  // A revocation or suspension is one bit: set or not (§3.1 statusPurpose).
  if (purpose !== 'message' && size !== 1) invalid(`${purpose} takes statusSize 1`);
  const request: StatusRequest = { purpose, size: size as number };
  if (object.statusMessage !== undefined) request.messages = parseMessages(object.statusMessage, request.size);
  else if (purpose === 'message') invalid('the message purpose needs statusMessage');
  if (object.statusReference !== undefined) {
    const reference = object.statusReference;
    const urls = Array.isArray(reference) ? reference : [reference];
    if (urls.length === 0 || !urls.every(isUrl)) invalid('statusReference must be a URL or an array of URLs');
    request.reference = reference as string | string[];
  }
  return request;
}

/** The status entries asked for; revocation is always among them. */
export function parseStatusRequests(option: unknown): StatusRequest[] {
  const requests = new Map<StatusPurpose, StatusRequest>([['revocation', { purpose: 'revocation', size: 1 }]]);
  const entries = option === undefined ? [] : Array.isArray(option) ? option : [option];
  for (const entry of entries) {
    const request = parseOne(entry);
    requests.set(request.purpose, request);
  }
  return [...requests.values()];
}

/** The BitstringStatusListEntry for a slot (`index` in a list served at `listUrl`). */
export function statusEntryFor(request: StatusRequest, listUrl: string, index: number): Json {
  return {
    id: `${listUrl}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: request.purpose,
    statusListIndex: String(index),
    statusListCredential: listUrl,
    ...(request.size > 1 || request.messages ? { statusSize: request.size } : {}),
    ...(request.messages ? { statusMessage: request.messages } : {}),
    ...(request.reference ? { statusReference: request.reference } : {}),
  };
}
