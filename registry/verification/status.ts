/**
 * Bitstring Status List semantics (W3C Bitstring Status List v1.0 §3.2, §3.6):
 * which entries can be checked, whether a status list credential is usable for
 * an entry, and what its bit means. Pure: proof checks and fetching happen in
 * the caller.
 */
import { RegistryError } from '../errors.ts';
import { decodeBitstring, getBit } from '../status/bitstring.ts';
import { asArray, isDateTime, issuerIdOf } from './credential-shape.ts';

type Json = Record<string, unknown>;

export interface StatusEntry {
  purpose: string;
  index: number;
  listUrl: string;
}

/** Parses a `credentialStatus` entry, or explains why it cannot be checked. */
export function parseStatusEntry(entry: Json): StatusEntry | { code: string; message: string } {
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
  return { purpose: entry.statusPurpose, index, listUrl: entry.statusListCredential };
}

/**
 * True when the status list was issued by the credential's issuer. Deployed
 * issuers often sign lists with another DID, which the spec allows, so a
 * mismatch is a warning for the caller to show, not a failure.
 */
export function sameIssuer(slc: Record<string, unknown>, issuerId: string): boolean {
  return issuerIdOf(slc) === issuerId;
}

/**
 * Checks that a (proof-verified) status list credential may decide `entry`
 * at `now`, and returns its decoded bits.
 */
export function readStatusList(slc: unknown, options: { entry: StatusEntry; now: Date }): Uint8Array {
  if (!slc || typeof slc !== 'object') throw new RegistryError('STATUS_LIST_INVALID', 'status list is not an object');
  const list = slc as Json;
  if (!asArray(list.type as unknown).includes('BitstringStatusListCredential')) {
    throw new RegistryError('STATUS_LIST_INVALID', 'status list credential lacks type BitstringStatusListCredential');
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
  if (subject?.type !== 'BitstringStatusList' || typeof subject.encodedList !== 'string') {
    throw new RegistryError('STATUS_LIST_INVALID', 'credentialSubject must be a BitstringStatusList with encodedList');
  }
  if (!asArray(subject.statusPurpose as unknown).includes(options.entry.purpose)) {
    throw new RegistryError('STATUS_LIST_INVALID', `status list is not for purpose ${options.entry.purpose}`);
  }
  // Deployed lists are often shorter than the spec's 131,072-entry minimum; an
  // index outside the list still fails (STATUS_INDEX_OUT_OF_RANGE).
  return decodeBitstring(subject.encodedList);
}

/** True when the entry's bit is set: revoked or suspended, per its purpose. */
export function isStatusSet(bits: Uint8Array, entry: StatusEntry): boolean {
  return getBit(bits, entry.index);
}
