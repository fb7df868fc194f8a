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
