/**
 * Open Badges 2.0 verification (1EdTech OB 2.0 §Verification), reported with the same checks and tri-state as
 * every other credential (docs/decisions/0033):
 * - schema: data validation of the assertion, its BadgeClass and issuer Profile;
 * - proof: hosted: the copy at the assertion's own URL is what was presented; signed: the JWS verifies with a key
 *   the hosted issuer Profile lists;
 * - issuer: the BadgeClass names the Profile; hosted: the assertion's id is within the Profile's verification
 *   policy (allowedOrigins / startsWith); signed: the key's `owner` is the Profile;
 * - validity: issuedOn / expires; status: a hosted copy that is gone (410) or `revoked`, or the Profile's
 *   RevocationList; recipient: the identity the verifier was given; trust: the member that declares the Profile.
 * Every document comes from the hosted copies (fetched over https through the guard), never from what the badge
 * embeds about its own issuer.
 */
import canonicalize from 'canonicalize';
import {
  hostedScopeProblem,
  type Ob2Assertion,
  Ob2Error,
  type Ob2Input,
  type Ob2Profile,
  readAssertion,
  readBadgeClass,
  readKey,
  readProfile,
  readRevocationList,
  revocationOf,
  revokedHosted,
} from '../../protocol/ob2/documents.ts';
import { matchRecipient } from '../../protocol/ob2/recipient.ts';
import { checkJwsHeader, verifyOb2Jws } from '../../protocol/ob2/signed.ts';
import {
  buildReport,
  type Check,
  type CheckName,
  failed,
  ok,
  unchecked,
  type VerificationReport,
} from '../../registry/verification/report.ts';
import { abandoned } from './abandoned.ts';
import type { Ob2DocumentSource } from './ob2-documents.ts';
import type { TrustEvaluator } from './verifier.ts';

type Json = Record<string, unknown>;

/** What an accreditation names to cover OB 2.0 badges: the 3.0 type they became, or `Assertion` alone. */
export const OB2_CREDENTIAL_TYPES = ['OpenBadgeCredential', 'Assertion'];

export interface Ob2VerifyOptions {
  at: Date;
  signal: AbortSignal;
  required?: readonly CheckName[];
  /** The identity the holder claims (an email address, URL or telephone number). */
  recipient?: string;
}

export interface Ob2Verifier {
  verify(input: Ob2Input, options: Ob2VerifyOptions): Promise<VerificationReport>;
}

/** A check that could not be made, and why (a failed fetch, the deadline); thrown inside, reported as its check. */
class Stop extends Error {
  constructor(readonly check: Check) {
    super(check.message);
  }
}

const REST: CheckName[] = ['schema', 'proof', 'issuer', 'validity', 'status'];

function codeOf(error: unknown): Ob2Error | undefined {
  return error instanceof Ob2Error ? error : undefined;
}

export function createOb2Verifier(options: { documents: Ob2DocumentSource; trust?: TrustEvaluator }): Ob2Verifier {
  /** The hosted document at `url`, or a Stop as the `name` check (unchecked: nothing was found wrong). */
  async function fetchOrStop(url: string, name: CheckName, what: string, signal: AbortSignal) {
    const document = signal.aborted ? undefined : await options.documents.get(url, { signal });
    if (!document || ('error' in document && signal.aborted)) {
      const { code, message } = abandoned(signal);
      throw new Stop(unchecked(name, code, `${what}: ${message}`));
    }
    if ('error' in document) throw new Stop(unchecked(name, document.error.code, `${what}: ${document.error.message}`));
    return document;
  }

  function parsed<T>(name: CheckName, read: () => T): T {
    try {
      return read();
    } catch (error) {
      const ob2 = codeOf(error);
      if (!ob2) throw error;
      throw new Stop(failed(name, ob2.code, ob2.message));
    }
  }

  async function badgeClassAndProfile(assertion: Ob2Assertion, signal: AbortSignal) {
    // The hosted BadgeClass and Profile are the issuer's word; an embedded copy is only the badge's say-so.
    const classDocument = await fetchOrStop(assertion.badge.id, 'issuer', 'the BadgeClass', signal);
    const badge = parsed('schema', () => readBadgeClass(classDocument.body));
    if (badge.id !== assertion.badge.id) {
      throw new Stop(
        failed('issuer', 'OB2_ISSUER_MISMATCH', `the BadgeClass at ${assertion.badge.id} names itself ${badge.id}`),
      );
    }
    const profileDocument = await fetchOrStop(badge.issuer, 'issuer', 'the issuer Profile', signal);
    const profile = parsed('schema', () => readProfile(profileDocument.body));
    if (profile.id !== badge.issuer) {
      throw new Stop(
        failed('issuer', 'OB2_ISSUER_MISMATCH', `the issuer Profile at ${badge.issuer} names itself ${profile.id}`),
      );
    }
    return { badge, profile };
  }

  /** SignedBadge: a key the hosted Profile lists, owned by it, verifies the JWS (§SignedBadge steps 4–6). */
  async function signedProof(jws: string, assertion: Ob2Assertion, profile: Ob2Profile, signal: AbortSignal) {
    const listed = profile.publicKeys.map((k) => k.id);
    const creator = assertion.verification.creator;
    if (creator !== undefined && !listed.includes(creator)) {
      throw new Stop(
        failed('issuer', 'OB2_KEY_NOT_ISSUERS', `${creator} is not a key the issuer Profile ${profile.id} lists`),
      );
    }
    const candidates = creator !== undefined ? [creator] : listed;
    if (candidates.length === 0) {
      throw new Stop(failed('issuer', 'OB2_KEY_NOT_ISSUERS', `the issuer Profile ${profile.id} lists no publicKey`));
    }
    let last: Ob2Error | undefined;
    for (const keyId of candidates.slice(0, 4)) {
      const embedded = profile.publicKeys.find((k) => k.id === keyId)?.embedded;
      const body = embedded?.publicKeyPem
        ? embedded
        : (await fetchOrStop(keyId, 'proof', `the key ${keyId}`, signal)).body;
      const key = parsed('proof', () => readKey(body));
      if (key.id !== keyId)
        throw new Stop(failed('proof', 'OB2_KEY_INVALID', `the key at ${keyId} names itself ${key.id}`));
      if (key.owner !== profile.id) {
        throw new Stop(
          failed(
            'issuer',
            'OB2_KEY_NOT_ISSUERS',
            `the key ${keyId} is owned by ${key.owner}, not by the issuer ${profile.id}`,
          ),
        );
      }
      try {
        await verifyOb2Jws(jws, key.publicKeyPem);
        return keyId;
      } catch (error) {
        last = codeOf(error);
        if (!last) throw error;
      }
    }
    throw new Stop(failed('proof', last?.code ?? 'INVALID_SIGNATURE', last?.message ?? 'the JWS does not verify'));
  }

  async function signedStatus(assertion: Ob2Assertion, profile: Ob2Profile, signal: AbortSignal): Promise<Check> {
    if (!profile.revocationList) return ok('status', 'the issuer publishes no revocation list');
    let document: Awaited<ReturnType<typeof fetchOrStop>>;
    try {
      document = await fetchOrStop(profile.revocationList, 'status', 'the revocation list', signal);
    } catch (error) {
      if (error instanceof Stop) {
        const code =
          error.check.code === 'OB2_FETCH_FAILED'
            ? 'STATUS_LIST_UNAVAILABLE'
            : (error.check.code ?? 'STATUS_LIST_UNAVAILABLE');
        return unchecked('status', code, error.check.message ?? 'the revocation list could not be fetched');
      }
      throw error;
    }
    let entry: ReturnType<typeof revocationOf>;
    try {
      entry = revocationOf(readRevocationList(document.body), assertion);
    } catch (error) {
      if (!codeOf(error)) throw error;
      return failed('status', 'STATUS_LIST_INVALID', `the revocation list: ${(error as Error).message}`);
    }
    return entry
      ? failed('status', 'REVOKED', `revoked in ${profile.revocationList}${entry.reason ? `: ${entry.reason}` : ''}`)
      : ok('status', `not in the revocation list ${profile.revocationList}`);
  }

  function validity(assertion: Ob2Assertion, at: Date): Check {
    if (Date.parse(assertion.issuedOn) > at.getTime()) {
      return failed('validity', 'NOT_YET_VALID', `issued on ${assertion.issuedOn}, after the time of verification`);
    }
    if (assertion.expires && Date.parse(assertion.expires) < at.getTime()) {
      return failed('validity', 'EXPIRED', `expired at ${assertion.expires}`);
    }
    return ok('validity', assertion.expires ? `valid until ${assertion.expires}` : 'no expiry');
  }

  async function verify(input: Ob2Input, verifyOptions: Ob2VerifyOptions): Promise<VerificationReport> {
    const { at, signal } = verifyOptions;
    const checks = new Map<CheckName, Check>();
    const warnings: Array<{ code: string; message: string }> = [];
    let assertion: Ob2Assertion | undefined;
    let profile: Ob2Profile | undefined;
    let revoked: Check | undefined;
    try {
      if (input.kind === 'jws') {
        // Refused before anything the JWS names is fetched.
        parsed('proof', () => checkJwsHeader(input.header));
      }
      const presented: Json | undefined = input.kind === 'url' ? undefined : input.assertion;
      const hostedUrl =
        input.kind === 'url'
          ? input.url
          : input.kind === 'json' &&
              parsed('schema', () => readAssertion(input.assertion)).verification.type === 'hosted'
            ? (input.assertion.id as string)
            : undefined;
      if (input.kind === 'json' && hostedUrl === undefined) {
        throw new Stop(
          failed(
            'proof',
            'OB2_SIGNATURE_MISSING',
            'a SignedBadge assertion was given without its JWS: nothing to verify',
          ),
        );
      }
      if (hostedUrl !== undefined) {
        // §HostedBadge: the input only says where the assertion is; the hosted copy is the assertion.
        const hosted = await fetchOrStop(hostedUrl, 'proof', 'the hosted assertion', signal);
        const marked = revokedHosted(hosted.body);
        if (hosted.gone || marked) {
          const reason = marked?.reason ? `: ${marked.reason}` : '';
          revoked = failed(
            'status',
            'REVOKED',
            `the issuer's host marks ${hostedUrl} revoked${hosted.gone ? ' (410 Gone)' : ''}${reason}`,
          );
          checks.set('proof', ok('proof', `hosted at ${hostedUrl}, which its issuer marks revoked`));
          // What a revoked copy lacks (§Revoking Hosted Assertions: only id and revoked) is read from the copy
          // presented, if any.
          if (!presented) {
            checks.set('schema', ok('schema', 'a revoked hosted assertion'));
            throw new Stop(revoked);
          }
          const copy = presented;
          assertion = parsed('schema', () => readAssertion(copy));
        } else {
          assertion = parsed('schema', () => readAssertion(hosted.body));
          if (assertion.id !== hostedUrl) {
            throw new Stop(
              failed(
                'proof',
                'OB2_HOSTED_MISMATCH',
                `the assertion hosted at ${hostedUrl} names itself ${assertion.id}`,
              ),
            );
          }
          if (presented && canonicalize(presented) !== canonicalize(hosted.body)) {
            throw new Stop(
              failed(
                'proof',
                'OB2_HOSTED_MISMATCH',
                `the assertion presented differs from the copy hosted at ${hostedUrl}`,
              ),
            );
          }
          if (assertion.verification.type !== 'hosted') {
            throw new Stop(
              failed('proof', 'OB2_SIGNATURE_MISSING', `the copy at ${hostedUrl} says it is a SignedBadge`),
            );
          }
          checks.set('proof', ok('proof', `hosted at ${hostedUrl}, as presented`));
        }
      } else if (input.kind === 'jws') {
        assertion = parsed('schema', () => readAssertion(input.assertion));
        if (assertion.verification.type !== 'signed') {
          throw new Stop(failed('proof', 'OB2_INVALID', 'a JWS whose assertion does not say it is a SignedBadge'));
        }
      }
      const found = assertion as Ob2Assertion;
      ({ profile } = await badgeClassAndProfile(found, signal));
      checks.set('schema', ok('schema', 'Open Badges 2.0 Assertion, BadgeClass and issuer Profile'));
      if (input.kind === 'jws') {
        const keyId = await signedProof(input.jws, found, profile, signal);
        checks.set('proof', ok('proof', `JWS (${String(input.header.alg)}) by ${keyId}`));
        checks.set('issuer', ok('issuer', `signed by ${keyId}, a key of the issuer Profile ${profile.id}`));
      } else {
        const outside = hostedScopeProblem(found.id, profile);
        if (outside) throw new Stop(failed('issuer', 'OB2_NOT_IN_VERIFICATION_SCOPE', outside));
        checks.set('issuer', ok('issuer', `hosted where the issuer Profile ${profile.id} allows`));
      }
      checks.set('validity', validity(found, at));
      checks.set(
        'status',
        revoked ??
          (input.kind === 'jws'
            ? await signedStatus(found, profile, signal)
            : ok('status', 'the hosted copy is not revoked')),
      );
    } catch (error) {
      if (!(error instanceof Stop)) throw error;
      checks.set(error.check.name, error.check);
    }
    // Whatever could not be reached after a stop is unchecked, never ok.
    const stopped = [...checks.values()].find((c) => c.status !== 'ok');
    for (const name of REST) {
      if (!checks.has(name)) {
        checks.set(
          name,
          unchecked(
            name,
            stopped?.code ?? 'OB2_NOT_CHECKED',
            `not checked: ${stopped?.message ?? 'an earlier check did not pass'}`,
          ),
        );
      }
    }
    if (assertion) {
      const outcome = matchRecipient(assertion.recipient, verifyOptions.recipient);
      checks.set(
        'recipient',
        outcome.status === 'ok' ? ok('recipient', outcome.message) : { name: 'recipient', ...outcome },
      );
    }
    const issuerOk = checks.get('issuer')?.status === 'ok';
    const trust =
      issuerOk && profile && assertion
        ? await options.trust?.(
            {
              issuer: profile.id,
              ob2Profile: profile.id,
              credentialTypes: OB2_CREDENTIAL_TYPES,
              issuedAt: new Date(assertion.issuedOn),
              at,
            },
            signal,
          )
        : undefined;
    let trustCheck: Check;
    if (!issuerOk) trustCheck = unchecked('trust', 'ISSUER_UNKNOWN', 'trust needs an established issuer');
    else if (!trust) trustCheck = unchecked('trust', 'NO_TRUST_REGISTRY', 'this node has no trust registry');
    else if (trust.answer.trusted) trustCheck = ok('trust', trust.answer.message);
    else if (trust.answer.code === 'NO_ANCHORS' || trust.answer.unchecked)
      trustCheck = unchecked('trust', trust.answer.code, trust.answer.message);
    else trustCheck = failed('trust', trust.answer.code, trust.answer.message);
    const ordered: Check[] = [
      ...REST.map((name) => checks.get(name) as Check),
      trustCheck,
      ...(checks.has('recipient') ? [checks.get('recipient') as Check] : []),
    ];
    const claimedName = profile?.name;
    return buildReport({
      checks: ordered,
      warnings,
      ...(verifyOptions.required ? { required: verifyOptions.required } : {}),
      issuer: trust?.issuer
        ? { did: profile?.id ?? null, ...trust.issuer }
        : { did: profile?.id ?? null, ...(claimedName ? { claimedName } : {}), networks: [] },
      ...(assertion ? { credentialId: assertion.id } : input.kind === 'url' ? { credentialId: input.url } : {}),
      ...(trust?.answer.trustPath ? { trustPath: trust.answer.trustPath } : {}),
    });
  }

  return { verify };
}
