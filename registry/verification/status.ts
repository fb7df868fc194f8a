/**
 * Bitstring Status List semantics (W3C Bitstring Status List v1.0 §3.2, §3.6):
 * which entries can be checked, whether a status list credential is usable for
 * an entry, and what its bit means. Pure: proof checks and fetching happen in
 * the caller. The older lists credentials issued in 2020–2024 carry (W3C CCG
 * StatusList2021 and RevocationList2020) are read the same way: the same
 * GZIP-compressed bitstring, first index in the most significant bit, only
 * their type names, property names and encoding (base64url without the
 * multibase prefix) differ.
 */
import { RegistryError } from '../errors.ts';
import { decodeBitstring, getStatusValue } from '../status/bitstring.ts';
import { MAX_STATUS_SIZE, statusHex } from '../status/status-request.ts';
import { asArray, isDateTime, issuerIdOf } from './credential-shape.ts';
import { type Check, failed, ok } from './report.ts';

type Json = Record<string, unknown>;

/** The status list vocabulary an entry uses: W3C Bitstring Status List, or its CCG predecessors. */
export type StatusListKind = 'BitstringStatusList' | 'StatusList2021' | 'RevocationList2020';

// Per kind: the list credential's type and its subject's type (StatusList2021 §2.2, RevocationList2020 §2.2).
const LIST_TYPES: Record<StatusListKind, { credential: string; subject: string }> = {
  BitstringStatusList: { credential: 'BitstringStatusListCredential', subject: 'BitstringStatusList' },
  StatusList2021: { credential: 'StatusList2021Credential', subject: 'StatusList2021' },
  RevocationList2020: { credential: 'RevocationList2020Credential', subject: 'RevocationList2020' },
};

export interface StatusEntry {
  /** Absent: BitstringStatusList. */
  kind?: StatusListKind;
  purpose: string;
  index: number;
  listUrl: string;
  /** Bits per entry (statusSize, 1 when absent). */
  size: number;
  /** statusMessage: what each value means. */
  messages?: Array<{ status: string; message: string }>;
}

/** Parses a `credentialStatus` entry, or explains why it cannot be checked. */
export function parseStatusEntry(entry: Json): StatusEntry | { code: string; message: string } {
  if (entry.type === 'StatusList2021Entry' || entry.type === 'RevocationList2020Status') return parseLegacyEntry(entry);
  if (entry.type !== 'BitstringStatusListEntry') {
    return { code: 'STATUS_TYPE_UNSUPPORTED', message: `status type ${String(entry.type)} is not supported` };
  }
  const index = typeof entry.statusListIndex === 'string' ? Number(entry.statusListIndex) : Number.NaN;
  if (!Number.isSafeInteger(index) || index < 0 || !/^\d+$/.test(String(entry.statusListIndex))) {
    return { code: 'STATUS_ENTRY_INVALID', message: 'statusListIndex must be a non-negative integer string' };
  }
  if (typeof entry.statusPurpose !== 'string' || typeof entry.statusListCredential !== 'string') {
    return { code: 'STATUS_ENTRY_INVALID', message: 'statusPurpose and statusListCredential are required' };
  }
  const size = entry.statusSize ?? 1;
  if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > MAX_STATUS_SIZE) {
    return { code: 'STATUS_ENTRY_INVALID', message: `statusSize must be an integer from 1 to ${MAX_STATUS_SIZE}` };
  }
  // §2.1: statusMessage MUST be present when statusSize > 1, one message per possible value.
  const messages = entry.statusMessage;
  if (messages !== undefined || (size as number) > 1) {
    const valid =
      Array.isArray(messages) &&
      messages.length === 2 ** (size as number) &&
      messages.every((m) => m && typeof m.status === 'string' && typeof m.message === 'string');
    if (!valid) {
      return {
        code: 'STATUS_ENTRY_INVALID',
        message: `statusMessage must list ${2 ** (size as number)} {status, message} objects for statusSize ${size}`,
      };
    }
  }
  return {
    purpose: entry.statusPurpose,
    index,
    listUrl: entry.statusListCredential,
    size: size as number,
    ...(Array.isArray(messages) ? { messages: messages as StatusEntry['messages'] } : {}),
  };
}

/**
 * A StatusList2021Entry (statusPurpose, statusListIndex, statusListCredential) or a RevocationList2020Status
 * (revocationListIndex, revocationListCredential; always revocation): one bit per credential, no messages.
 */
function parseLegacyEntry(entry: Json): StatusEntry | { code: string; message: string } {
  const revocation2020 = entry.type === 'RevocationList2020Status';
  const rawIndex = revocation2020 ? entry.revocationListIndex : entry.statusListIndex;
  const listUrl = revocation2020 ? entry.revocationListCredential : entry.statusListCredential;
  const purpose = revocation2020 ? 'revocation' : entry.statusPurpose;
  const index = typeof rawIndex === 'string' && /^\d+$/.test(rawIndex) ? Number(rawIndex) : Number.NaN;
  if (!Number.isSafeInteger(index)) {
    return {
      code: 'STATUS_ENTRY_INVALID',
      message: `${String(entry.type)}: the list index must be a non-negative integer string`,
    };
  }
  if (typeof purpose !== 'string' || typeof listUrl !== 'string') {
    return {
      code: 'STATUS_ENTRY_INVALID',
      message: `${String(entry.type)}: the purpose and the list credential are required`,
    };
  }
  return { kind: revocation2020 ? 'RevocationList2020' : 'StatusList2021', purpose, index, listUrl, size: 1 };
}

/**
 * Why a status list may not decide the status of `issuerId`'s credentials, or
 * undefined when it may: it must name the credential's issuer as its issuer
 * and be signed only with keys of that issuer's DID (a key history, which
 * names only `DID#…` methods of its publisher, can add no other). The spec
 * lets a list be signed by anyone; here a list signed by someone else would
 * let that someone (another member republishing it, or whoever holds the
 * list's URL after the issuer's domain lapsed) revoke or un-revoke the
 * issuer's credentials. See docs/decisions/0013-status-lists-speak-for-their-issuer.md.
 */
export function statusListSignerProblem(slc: Record<string, unknown>, issuerId: string): string | undefined {
  const listIssuer = issuerIdOf(slc);
  if (listIssuer !== issuerId) return `the status list's issuer ${String(listIssuer)} is not the credential's issuer`;
  const methods = asArray(slc.proof as unknown).map((p) =>
    p && typeof p === 'object' ? (p as Json).verificationMethod : undefined,
  );
  if (methods.length === 0) return 'the status list is not signed';
  const foreign = methods.find((vm) => typeof vm !== 'string' || vm.split('#')[0] !== issuerId);
  if (foreign !== undefined) return `the status list is signed by ${String(foreign)}, not by the credential's issuer`;
  return undefined;
}

/**
 * Checks that a (proof-verified) status list credential may decide `entry`
 * at `now`, and returns its decoded bits.
 */
export function readStatusList(
  slc: unknown,
  options: {
    entry: StatusEntry;
    now: Date;
    /** Decodes `encodedList` (default `decodeBitstring`; the node passes one that remembers decoded lists). */
    decode?: (encodedList: string) => Uint8Array;
  },
): Uint8Array {
  if (!slc || typeof slc !== 'object') throw new RegistryError('STATUS_LIST_INVALID', 'status list is not an object');
  const list = slc as Json;
  const kind = options.entry.kind ?? 'BitstringStatusList';
  const types = LIST_TYPES[kind];
  if (!asArray(list.type as unknown).includes(types.credential)) {
    throw new RegistryError('STATUS_LIST_INVALID', `status list credential lacks type ${types.credential}`);
  }
  const validUntil = list.validUntil ?? list.expirationDate;
  if (isDateTime(validUntil) && Date.parse(validUntil) < options.now.getTime()) {
    throw new RegistryError('STATUS_LIST_INVALID', `status list expired at ${validUntil}`);
  }
  const validFrom = list.validFrom;
  if (isDateTime(validFrom) && Date.parse(validFrom) > options.now.getTime()) {
    throw new RegistryError('STATUS_LIST_INVALID', `status list not valid before ${validFrom}`);
  }
  const subject = list.credentialSubject as Json | undefined;
  if (subject?.type !== types.subject || typeof subject.encodedList !== 'string') {
    throw new RegistryError('STATUS_LIST_INVALID', `credentialSubject must be a ${types.subject} with encodedList`);
  }
  // RevocationList2020 lists have no purpose: every one is a revocation list.
  if (kind !== 'RevocationList2020' && !asArray(subject.statusPurpose as unknown).includes(options.entry.purpose)) {
    throw new RegistryError('STATUS_LIST_INVALID', `status list is not for purpose ${options.entry.purpose}`);
  }
  // Deployed lists are often shorter than the spec's 131,072-entry minimum; an
  // index outside the list still fails (STATUS_INDEX_OUT_OF_RANGE). The older lists' encodedList is base64url
  // without the multibase prefix (StatusList2021 §2.2.1): read it as the prefixed form.
  const encoded = subject.encodedList;
  const decode = options.decode ?? decodeBitstring;
  return decode(kind === 'BitstringStatusList' || encoded.startsWith('u') ? encoded : `u${encoded}`);
}

/** True when the entry's status is not 0: revoked or suspended, per its purpose. */
export function isStatusSet(bits: Uint8Array, entry: StatusEntry): boolean {
  return getStatusValue(bits, entry.index, entry.size) !== 0;
}

/**
 * What the entry's status says (§3.2 validate): a set revocation or suspension fails the status check; a
 * `message` entry reports its value and the issuer's message for it, which is information, not a failure.
 */
export function statusOutcome(bits: Uint8Array, entry: StatusEntry): Check {
  const value = getStatusValue(bits, entry.index, entry.size);
  if (entry.purpose === 'message') {
    const hex = statusHex(value);
    const message = entry.messages?.find((m) => Number.parseInt(m.status.slice(2), 16) === value)?.message;
    return ok('status', `message: ${hex}${message ? ` (${message})` : ''}`);
  }
  if (value === 0) return ok('status', `${entry.purpose}: not set`);
  const code = entry.purpose === 'revocation' ? 'REVOKED' : entry.purpose === 'suspension' ? 'SUSPENDED' : 'STATUS_SET';
  const what = entry.size === 1 ? 'bit' : `status ${statusHex(value)} at index`;
  return failed('status', code, `${entry.purpose} ${what} ${entry.index} is set`);
}
