/**
 * The recipient of an OB 2.0 assertion (§IdentityObject, §IdentityHash): the identity the verifier was told
 * (an email address, URL or telephone number the holder claims) against the assertion's plain or hashed one.
 * A hashed identity is `ALG$hex(ALG(identity + salt))` with ALG `sha256` or `md5`, hex in either case.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IdentityObject } from './documents.ts';

export type RecipientOutcome =
  | { status: 'ok'; message: string }
  | { status: 'unchecked'; code: 'RECIPIENT_NOT_CHECKED'; message: string }
  | { status: 'failed'; code: 'RECIPIENT_MISMATCH'; message: string };

/** Whether `recipient` names `claimed`; without a claimed identity nothing can be said (a warning, not a failure). */
export function matchRecipient(recipient: IdentityObject, claimed: string | undefined): RecipientOutcome {
  if (claimed === undefined) {
    return {
      status: 'unchecked',
      code: 'RECIPIENT_NOT_CHECKED',
      message: `awarded to a ${recipient.hashed ? 'hashed ' : ''}${recipient.type}; no identity was given to check it against (options.recipient, --recipient)`,
    };
  }
  let matches: boolean;
  if (recipient.hashed) {
    const [algorithm, hex] = recipient.identity.split('$');
    const digest = createHash(algorithm === 'md5' ? 'md5' : 'sha256')
      .update(claimed + (recipient.salt ?? ''), 'utf8')
      .digest();
    const expected = Buffer.from(hex.toLowerCase(), 'hex');
    matches = expected.length === digest.length && timingSafeEqual(expected, digest);
  } else {
    matches = recipient.identity === claimed;
  }
  return matches
    ? { status: 'ok', message: `awarded to ${recipient.type} ${claimed}` }
    : {
        status: 'failed',
        code: 'RECIPIENT_MISMATCH',
        message: `not awarded to ${recipient.type} ${claimed}${recipient.hashed ? ' (the recipient hash does not match)' : ''}`,
      };
}
