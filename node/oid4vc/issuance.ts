/**
 * OID4VCI 1.0 pre-authorized code flow (§3.5): offers, the token, nonce and
 * credential endpoints' logic, over one level sublevel so a restart loses no
 * pending offer. Credentials are issued only through the node's issuer service
 * (status entry, index record and its checks), never around it.
 *
 * Single use: a pre-authorized code becomes an access token once; an access
 * token yields one credential; a nonce verifies one proof. Each "check, then
 * write" runs under its offer's or nonce's lock and writes in one batch.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { JWT_SIGNING_ALGORITHMS } from '../../protocol/jose/vc-jwt-issue.ts';
import { OpenIdError } from '../../protocol/oid4vc/errors.ts';
import {
  CREDENTIAL_CONFIGURATIONS,
  type CredentialConfiguration,
  credentialOffer,
  type EndpointUrls,
  LDP_CRYPTOSUITES,
  type OfferFormat,
  offerUriByReference,
  offerUriByValue,
  PRE_AUTHORIZED_GRANT,
} from '../../protocol/oid4vc/issuance-metadata.ts';
import { verifyProofJwt } from '../../protocol/oid4vc/proof-jwt.ts';
import { RegistryError } from '../../registry/errors.ts';
import { asArray } from '../../registry/verification/credential-shape.ts';
import { createBackgroundWork } from '../background-work.ts';
import { NodeError } from '../errors.ts';
import type { IssuedCredential, Issuer } from '../issuing/issuer.ts';
import { createKeyedLock } from '../keyed-lock.ts';
import type { Database } from '../storage/database.ts';
import { hashSecret, randomDigits, randomToken, secretMatches } from './secrets.ts';

type Json = Record<string, unknown>;

export const OFFER_DEFAULT_SECONDS = 15 * 60;
export const OFFER_MAX_SECONDS = 30 * 24 * 3600;
export const ACCESS_TOKEN_SECONDS = 5 * 60;
export const NONCE_SECONDS = 5 * 60;
/** Wrong transaction codes before the offer is void: a 6-digit code must not be guessable by trying. */
export const MAX_TX_CODE_ATTEMPTS = 5;

type OfferState = 'offered' | 'redeemed' | 'issued' | 'void';

interface OfferRecord {
  ref: string;
  state: OfferState;
  configurationId: string;
  credential: Json;
  cryptosuite?: string;
  /** With jwt_vc_json offers: the JWT's algorithm (EdDSA or ES256). */
  alg?: string;
  credentialStatus?: unknown;
  preAuthorizedCode: string;
  txCodeHash?: string;
  txCode?: { length: number; description: string };
  txCodeFailures: number;
  createdAt: string;
  expiresAt: string;
  tokenHash?: string;
  tokenExpiresAt?: string;
  /** Who the credential went to and when: not the credential (the node keeps no learner data it needs not). */
  issuedAt?: string;
  credentialId: string;
}

export interface CreatedOffer {
  id: string;
  credentialId: string;
  offer: Json;
  offerUri: string;
  offerUriByReference: string;
  offerUrl: string;
  qr: { svg: string; png: string };
  txCode?: string;
  expiresAt: string;
}

export interface OfferIssuanceOptions {
  database: Database;
  issuer: Issuer;
  urls: () => EndpointUrls;
  /** A published achievement definition of this institution, for offers that name one. */
  achievement?: (id: string) => Json | undefined;
  now?: () => Date;
}

export interface OfferIssuance {
  create(request: Json): Promise<CreatedOffer>;
  /** The offer object for `credential_offer_uri` while it can still be redeemed. */
  offerObject(ref: string): Promise<Json | undefined>;
  status(ref: string): Promise<Json | undefined>;
  token(form: URLSearchParams): Promise<Json>;
  nonce(): Promise<Json>;
  credential(accessToken: string | undefined, body: unknown): Promise<Json>;
  /**
   * Issues an offer's credential to a holder authenticated another way (a VCALM exchange's DID
   * Authentication): the same single use, so the offer cannot also be redeemed through OID4VCI.
   */
  issueTo(ref: string, holder: string): Promise<IssuedCredential>;
  /** Waits for housekeeping started by requests (before the database closes). */
  close(): Promise<void>;
}

function isObject(value: unknown): value is Json {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function configurationFor(credential: Json, format: OfferFormat): CredentialConfiguration {
  const types = asArray(credential.type as unknown);
  const match = CREDENTIAL_CONFIGURATIONS.find((c) => c.format === format && c.type.every((t) => types.includes(t)));
  if (!match) {
    throw new NodeError(
      'VALIDATION_FAILED',
      'credential.type must include VerifiableCredential and OpenBadgeCredential',
    );
  }
  return match;
}

/** `options.format` of an offer: the OID4VCI format of its configuration (ldp_vc unless asked). */
function offerFormatOf(issueOptions: Json): OfferFormat {
  const format = issueOptions.format ?? 'ldp_vc';
  if (format !== 'ldp_vc' && format !== 'jwt_vc_json') {
    throw new NodeError('VALIDATION_FAILED', 'options.format must be ldp_vc or jwt_vc_json');
  }
  if (format === 'ldp_vc' && issueOptions.alg !== undefined) {
    throw new NodeError(
      'VALIDATION_FAILED',
      'options.alg is for jwt_vc_json offers (ldp_vc takes options.cryptosuite)',
    );
  }
  if (format === 'jwt_vc_json' && issueOptions.cryptosuite !== undefined) {
    throw new NodeError(
      'VALIDATION_FAILED',
      'options.cryptosuite is for ldp_vc offers (jwt_vc_json takes options.alg)',
    );
  }
  if (issueOptions.alg !== undefined && !JWT_SIGNING_ALGORITHMS.includes(issueOptions.alg as never)) {
    throw new NodeError('VALIDATION_FAILED', `options.alg must be one of ${JWT_SIGNING_ALGORITHMS.join(', ')}`);
  }
  return format;
}

/** The credential an offer will issue, from the request's `credential` or a published `achievement`. */
function offeredCredential(request: Json, achievement: OfferIssuanceOptions['achievement']): Json {
  if (request.credential !== undefined && request.achievement !== undefined) {
    throw new NodeError('VALIDATION_FAILED', 'give either credential or achievement, not both');
  }
  let credential: Json;
  if (typeof request.achievement === 'string') {
    const definition = achievement?.(request.achievement);
    if (!definition) throw new NodeError('NOT_FOUND', `this node published no achievement ${request.achievement}`);
    credential = {
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      name: typeof definition.name === 'string' ? definition.name : 'Achievement',
      credentialSubject: { type: ['AchievementSubject'], achievement: definition },
    };
  } else if (isObject(request.credential)) {
    credential = structuredClone(request.credential);
  } else {
    throw new NodeError('VALIDATION_FAILED', 'credential must be a JSON object (or achievement a published id)');
  }
  const subject = credential.credentialSubject;
  if (!isObject(subject)) throw new NodeError('VALIDATION_FAILED', 'credential.credentialSubject must be one object');
  if (subject.id !== undefined) {
    throw new NodeError('VALIDATION_FAILED', 'credentialSubject.id is set from the wallet key that proves possession');
  }
  if (credential.proof !== undefined || credential.credentialStatus !== undefined) {
    throw new NodeError('VALIDATION_FAILED', 'proof and credentialStatus are added by the node at issuance');
  }
  return credential;
}

function txCodeSpec(value: unknown): { length: number; description: string } | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { length: 6, description: 'Enter the code you received from the institution' };
  if (!isObject(value)) throw new NodeError('VALIDATION_FAILED', 'txCode must be true or {length?, description?}');
  const length = value.length ?? 6;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 4 || length > 12) {
    throw new NodeError('VALIDATION_FAILED', 'txCode.length must be an integer from 4 to 12');
  }
  const description = value.description ?? 'Enter the code you received from the institution';
  if (typeof description !== 'string' || description.length > 300) {
    throw new NodeError('VALIDATION_FAILED', 'txCode.description must be a string of at most 300 characters');
  }
  return { length, description };
}

export function createOfferIssuance(options: OfferIssuanceOptions): OfferIssuance {
  const store = options.database.db.sublevel<string, unknown>('oid4vci', { valueEncoding: 'json' });
  const now = options.now ?? (() => new Date());
  const withLock = createKeyedLock();
  const background = createBackgroundWork();
  let nonceSecret: Promise<Buffer> | undefined;
  let lastSweep = 0;
  const offerKey = (ref: string) => `offer!${ref}`;
  const expired = (iso: string | undefined) => !iso || Date.parse(iso) <= now().getTime();

  async function read<T>(key: string): Promise<T | undefined> {
    return (await store.get(key)) as T | undefined;
  }

  function offerUrl(ref: string): string {
    return `${options.urls().issuer}/offers/${ref}`;
  }

  function objectOf(record: OfferRecord): Json {
    return credentialOffer({
      issuer: options.urls().issuer,
      configurationId: record.configurationId,
      preAuthorizedCode: record.preAuthorizedCode,
      txCode: record.txCode,
    });
  }

  async function create(request: Json): Promise<CreatedOffer> {
    const credential = offeredCredential(request, options.achievement);
    const issueOptions = isObject(request.options) ? request.options : {};
    const configuration = configurationFor(credential, offerFormatOf(issueOptions));
    const configurationId = configuration.id;
    if (issueOptions.cryptosuite !== undefined && !LDP_CRYPTOSUITES.includes(issueOptions.cryptosuite as never)) {
      throw new NodeError('VALIDATION_FAILED', `options.cryptosuite must be one of ${LDP_CRYPTOSUITES.join(', ')}`);
    }
    const seconds = request.expiresIn ?? OFFER_DEFAULT_SECONDS;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > OFFER_MAX_SECONDS) {
      throw new NodeError('VALIDATION_FAILED', `expiresIn must be whole seconds from 1 to ${OFFER_MAX_SECONDS}`);
    }
    const txCode = txCodeSpec(request.txCode);
    // Fixed now, so a retried credential request after a crash meets the issuer's same-id check, not a second copy.
    credential.id ??= `urn:uuid:${randomUUID()}`;
    if (typeof credential.id !== 'string') throw new NodeError('VALIDATION_FAILED', 'credential.id must be a string');
    if (await options.issuer.get(credential.id)) {
      throw new NodeError('CREDENTIAL_EXISTS', `credential ${credential.id} was already issued`);
    }
    const ref = randomToken(24);
    const preAuthorizedCode = randomToken();
    const code = txCode ? randomDigits(txCode.length) : undefined;
    const created = now();
    const record: OfferRecord = {
      ref,
      state: 'offered',
      configurationId,
      credential,
      ...(issueOptions.cryptosuite ? { cryptosuite: issueOptions.cryptosuite as string } : {}),
      ...(configuration.format === 'jwt_vc_json' ? { alg: (issueOptions.alg as string | undefined) ?? 'EdDSA' } : {}),
      ...(issueOptions.credentialStatus !== undefined ? { credentialStatus: issueOptions.credentialStatus } : {}),
      preAuthorizedCode,
      ...(txCode && code ? { txCode, txCodeHash: hashSecret(code) } : {}),
      txCodeFailures: 0,
      createdAt: created.toISOString(),
      expiresAt: new Date(created.getTime() + seconds * 1000).toISOString(),
      credentialId: credential.id,
    };
    await options.database.db.batch(
      [
        { type: 'put', sublevel: store, key: offerKey(ref), value: record },
        { type: 'put', sublevel: store, key: `code!${hashSecret(preAuthorizedCode)}`, value: ref },
      ] as never,
      { sync: true },
    );
    const offer = objectOf(record);
    const url = offerUrl(ref);
    return {
      id: ref,
      credentialId: credential.id,
      offer,
      offerUri: offerUriByValue(offer),
      offerUriByReference: offerUriByReference(url),
      offerUrl: url,
      qr: { svg: `${url}/qr.svg`, png: `${url}/qr.png` },
      ...(code ? { txCode: code } : {}),
      expiresAt: record.expiresAt,
    };
  }

  async function offerObject(ref: string): Promise<Json | undefined> {
    const record = await read<OfferRecord>(offerKey(ref));
    if (record?.state !== 'offered' || expired(record.expiresAt)) return undefined;
    return objectOf(record);
  }

  async function status(ref: string): Promise<Json | undefined> {
    const record = await read<OfferRecord>(offerKey(ref));
    if (!record) return undefined;
    const state = record.state === 'offered' && expired(record.expiresAt) ? 'expired' : record.state;
    return {
      id: ref,
      state,
      credentialId: record.credentialId,
      expiresAt: record.expiresAt,
      ...(record.issuedAt ? { issuedAt: record.issuedAt } : {}),
    };
  }

  async function token(form: URLSearchParams): Promise<Json> {
    const grantType = form.get('grant_type');
    if (!grantType) throw new OpenIdError('invalid_request', 'grant_type is required');
    if (grantType !== PRE_AUTHORIZED_GRANT) {
      throw new OpenIdError('unsupported_grant_type', `only ${PRE_AUTHORIZED_GRANT} is supported`);
    }
    const code = form.get('pre-authorized_code');
    if (!code) throw new OpenIdError('invalid_request', 'pre-authorized_code is required');
    const ref = await read<string>(`code!${hashSecret(code)}`);
    if (!ref) throw new OpenIdError('invalid_grant', 'the pre-authorized code is unknown or was already used');
    return withLock(ref, async () => {
      const record = await read<OfferRecord>(offerKey(ref));
      if (record?.state === 'void') {
        throw new OpenIdError('invalid_grant', 'too many wrong transaction codes: the offer is void');
      }
      if (record?.state !== 'offered') {
        throw new OpenIdError('invalid_grant', 'the pre-authorized code is unknown or was already used');
      }
      if (expired(record.expiresAt)) throw new OpenIdError('invalid_grant', 'the pre-authorized code has expired');
      if (record.txCodeHash) {
        const given = form.get('tx_code');
        if (!given || !secretMatches(given, record.txCodeHash)) {
          const failures = record.txCodeFailures + 1;
          const voided = failures >= MAX_TX_CODE_ATTEMPTS;
          await store.put(offerKey(ref), { ...record, txCodeFailures: failures, state: voided ? 'void' : 'offered' }, {
            sync: true,
          } as never);
          throw new OpenIdError(
            'invalid_grant',
            voided ? 'too many wrong transaction codes: the offer is void' : 'the transaction code is wrong',
          );
        }
      } else if (form.get('tx_code') !== null) {
        throw new OpenIdError('invalid_request', 'this offer has no transaction code');
      }
      const accessToken = randomToken();
      const tokenHash = hashSecret(accessToken);
      const tokenExpiresAt = new Date(now().getTime() + ACCESS_TOKEN_SECONDS * 1000).toISOString();
      await options.database.db.batch(
        [
          {
            type: 'put',
            sublevel: store,
            key: offerKey(ref),
            value: { ...record, state: 'redeemed', tokenHash, tokenExpiresAt },
          },
          { type: 'del', sublevel: store, key: `code!${hashSecret(code)}` },
          { type: 'put', sublevel: store, key: `token!${tokenHash}`, value: ref },
        ] as never,
        { sync: true },
      );
      return { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS };
    });
  }

  /**
   * The nonce endpoint is public: it must write nothing. A nonce is `expiry.random.mac` under a key only this
   * node holds, so it is checked without storage; only a nonce that was *used* (by a proof presented with a valid
   * access token, i.e. for an offer the admin made) is remembered, until it expires, so it cannot be used again.
   */
  async function nonceKey(): Promise<Buffer> {
    nonceSecret ??= (async () => {
      const stored = await read<string>('meta!nonce-key');
      if (stored) return Buffer.from(stored, 'base64url');
      const fresh = randomBytes(32);
      await store.put('meta!nonce-key', fresh.toString('base64url'), { sync: true } as never);
      return fresh;
    })();
    return nonceSecret;
  }

  async function nonce(): Promise<Json> {
    const expiresAt = now().getTime() + NONCE_SECONDS * 1000;
    const body = `${expiresAt.toString(36)}.${randomToken(16)}`;
    const mac = createHmac('sha256', await nonceKey())
      .update(body)
      .digest('base64url');
    return { c_nonce: `${body}.${mac}`, c_nonce_expires_in: NONCE_SECONDS };
  }

  /** Consumes a nonce: true once, for an unexpired nonce this node handed out. */
  async function takeNonce(value: string): Promise<boolean> {
    const [time, random, mac, extra] = value.split('.');
    if (!time || !random || !mac || extra !== undefined) return false;
    const expected = createHmac('sha256', await nonceKey())
      .update(`${time}.${random}`)
      .digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    const expiresAt = Number.parseInt(time, 36);
    if (!Number.isFinite(expiresAt) || expiresAt <= now().getTime()) return false;
    const key = `used-nonce!${hashSecret(value)}`;
    return withLock(key, async () => {
      if (await read(key)) return false;
      await store.put(key, { expiresAt: new Date(expiresAt).toISOString() }, { sync: true } as never);
      background.run(sweepUsedNonces);
      return true;
    });
  }

  /** Used nonces are kept only until they would have expired anyway; swept at most once a minute. */
  async function sweepUsedNonces(): Promise<void> {
    if (now().getTime() - lastSweep < 60_000) return;
    lastSweep = now().getTime();
    const stale: string[] = [];
    for await (const [key, value] of store.iterator({ gte: 'used-nonce!', lt: 'used-nonce!\uffff' })) {
      if (expired((value as { expiresAt?: string }).expiresAt)) stale.push(key);
    }
    if (stale.length) await store.batch(stale.map((key) => ({ type: 'del' as const, key })));
  }

  /** §8.2: `proofs: {jwt: [one]}` (1.0), or the drafts' `proof: {proof_type: "jwt", jwt}`. */
  function proofJwtOf(body: Json): string {
    if (body.proof !== undefined && body.proofs !== undefined) {
      throw new OpenIdError('invalid_credential_request', 'send proofs or proof, not both');
    }
    if (isObject(body.proofs)) {
      const kinds = Object.keys(body.proofs);
      const jwts = body.proofs.jwt;
      if (kinds.length !== 1 || !Array.isArray(jwts))
        throw new OpenIdError('invalid_proof', 'proofs must be {jwt: [..]}');
      if (jwts.length !== 1) throw new OpenIdError('invalid_proof', 'one credential per offer: send exactly one proof');
      return jwts[0] as string;
    }
    if (isObject(body.proof)) {
      if (body.proof.proof_type !== 'jwt') throw new OpenIdError('invalid_proof', 'proof_type must be jwt');
      return body.proof.jwt as string;
    }
    throw new OpenIdError('invalid_proof', 'a proof of possession of the holder key is required');
  }

  async function credential(accessToken: string | undefined, body: unknown): Promise<Json> {
    if (!accessToken) throw new OpenIdError('invalid_token', 'an access token from the token endpoint is required');
    const tokenHash = hashSecret(accessToken);
    const ref = await read<string>(`token!${tokenHash}`);
    if (!ref) throw new OpenIdError('invalid_token', 'the access token is unknown or was already used');
    if (!isObject(body)) throw new OpenIdError('invalid_credential_request', 'the body must be a JSON object');
    return withLock(ref, async () => {
      const record = await read<OfferRecord>(offerKey(ref));
      if (record?.state !== 'redeemed' || record.tokenHash !== tokenHash) {
        throw new OpenIdError('invalid_token', 'the access token is unknown or was already used');
      }
      if (expired(record.tokenExpiresAt)) throw new OpenIdError('invalid_token', 'the access token has expired');
      if (body.credential_configuration_id === undefined && body.credential_identifier === undefined) {
        throw new OpenIdError('invalid_credential_request', 'credential_configuration_id is required');
      }
      if (body.credential_identifier !== undefined) {
        throw new OpenIdError('unknown_credential_identifier', 'this issuer uses credential_configuration_id');
      }
      if (body.credential_configuration_id !== record.configurationId) {
        throw new OpenIdError(
          'unknown_credential_configuration',
          'the offer was not for that credential configuration',
        );
      }
      const urls = options.urls();
      const proof = await verifyProofJwt(proofJwtOf(body), { audience: urls.issuer, now: now() });
      if (!(await takeNonce(proof.nonce))) {
        throw new OpenIdError('invalid_nonce', 'the nonce is unknown, expired or already used: get a new one');
      }
      let issued: IssuedCredential;
      try {
        issued = await issueRecord(record, proof.holder);
      } catch (error) {
        if (error instanceof NodeError || error instanceof RegistryError) {
          throw new OpenIdError('credential_request_denied', `${error.code}: ${error.message}`);
        }
        throw error;
      }
      await options.database.db.batch(
        [
          {
            type: 'put',
            sublevel: store,
            key: offerKey(ref),
            value: { ...record, state: 'issued', issuedAt: now().toISOString(), tokenHash: undefined },
          },
          { type: 'del', sublevel: store, key: `token!${tokenHash}` },
        ] as never,
        { sync: true },
      );
      return { credentials: [{ credential: issued }] };
    });
  }

  async function issueTo(ref: string, holder: string): Promise<IssuedCredential> {
    return withLock(ref, async () => {
      const record = await read<OfferRecord>(offerKey(ref));
      if (record?.state !== 'offered' || expired(record.expiresAt)) {
        throw new NodeError('CONFLICT', 'this exchange was already completed or has expired');
      }
      const issued = await issueRecord(record, holder);
      await options.database.db.batch(
        [
          {
            type: 'put',
            sublevel: store,
            key: offerKey(ref),
            value: { ...record, state: 'issued', issuedAt: now().toISOString() },
          },
          { type: 'del', sublevel: store, key: `code!${hashSecret(record.preAuthorizedCode)}` },
        ] as never,
        { sync: true },
      );
      return issued;
    });
  }

  /** Through the node's issuer service: status entry, index record, its same-id check. */
  async function issueRecord(record: OfferRecord, holder: string): Promise<IssuedCredential> {
    const toIssue = structuredClone(record.credential);
    (toIssue.credentialSubject as Json).id = holder;
    // A jwt_vc_json offer comes back as the compact JWT: the credential response's `credential` string (A.1.1).
    const jwt = CREDENTIAL_CONFIGURATIONS.find((c) => c.id === record.configurationId)?.format === 'jwt_vc_json';
    return options.issuer.issue(toIssue, {
      ...(jwt ? { format: 'jwt_vc_json', alg: record.alg } : { cryptosuite: record.cryptosuite }),
      credentialStatus: record.credentialStatus,
    });
  }

  return { create, offerObject, status, token, nonce, credential, issueTo, close: background.drain };
}
