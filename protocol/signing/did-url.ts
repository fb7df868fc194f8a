/**
 * DID and DID URL syntax (DID Core §3.1 and §3.2 ABNF): whether a string is a
 * conformant DID, and a DID URL split into its DID, path, query and fragment.
 * Decides by the grammar, not by what a method would accept.
 */

// did = "did:" method-name ":" method-specific-id
// method-name = 1*( %x61-7A / DIGIT ); method-specific-id = *( *idchar ":" ) 1*idchar
// idchar = ALPHA / DIGIT / "." / "-" / "_" / pct-encoded
const PCT = '%[0-9A-Fa-f]{2}';
const IDCHAR = `(?:[A-Za-z0-9._-]|${PCT})`;
const DID = `did:[a-z0-9]+:(?:${IDCHAR}*:)*${IDCHAR}+`;
// pchar = unreserved / pct-encoded / sub-delims / ":" / "@" (RFC 3986)
const PCHAR = `(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|${PCT})`;
const DID_URL = new RegExp(`^(${DID})((?:/${PCHAR}*)*)(?:\\?((?:${PCHAR}|[/?])*))?(?:#((?:${PCHAR}|[/?])*))?$`);
const DID_ONLY = new RegExp(`^${DID}$`);

export interface DidUrl {
  did: string;
  /** The path, "" when absent. */
  path: string;
  /** The query without "?", undefined when absent. */
  query?: string;
  /** The fragment without "#", undefined when absent. */
  fragment?: string;
}

/** Whether `value` is a conformant DID (no path, query or fragment). */
export function isDid(value: string): boolean {
  return DID_ONLY.test(value);
}

/** Splits a conformant DID URL, or returns undefined if `value` is not one. */
export function parseDidUrl(value: string): DidUrl | undefined {
  const match = DID_URL.exec(value);
  if (!match) return undefined;
  return { did: match[1], path: match[2], query: match[3], fragment: match[4] };
}

/** The method name of a string that starts like a DID (`did:NAME:`), even if the rest is not conformant. */
export function didMethodOf(value: string): string | undefined {
  return /^did:([a-z0-9]+):/.exec(value)?.[1];
}
