/**
 * OID4VP 1.0 presentation requests of this node as a verifier: a request is
 * created (admin, or anyone when the operator runs a public verifier), its
 * signed request object is fetched by the wallet, the wallet posts its
 * `vp_token` (direct_post), and the node verifies it with its one verifier
 * (presentation proof bound to this request's nonce and client_id, holder =
 * subject, and every credential's proof, status, validity, trust and skills).
 * The result is kept for the requester until it expires.
 *
 * A response whose proof is not bound to this request (another request's
 * nonce, a forged signature) is refused without touching the request, so it
 * cannot use up a request someone else is answering.
 */
import { EventEmitter } from 'node:events';
import { OpenIdError } from '../../protocol/oid4vc/errors.ts';
import {
  clientIdOf,
  presentationsOf,
  REQUEST_OBJECT_TYPE,
  REQUESTABLE_TYPES,
  requestObjectPayload,
  requestUri,
} from '../../protocol/oid4vc/presentation-request.ts';
import { asArray } from '../../registry/verification/credential-shape.ts';
import { createBackgroundWork } from '../background-work.ts';
import { NodeError } from '../errors.ts';
import type { Identity } from '../identity.ts';
import { createKeyedLock } from '../keyed-lock.ts';
import { matchSkills } from '../skills/job-match.ts';
import type { SkillCatalog } from '../skills/skill-catalog.ts';
import type { Database } from '../storage/database.ts';
import type { CredentialVerifier } from '../verification/verifier.ts';
import { hashSecret, randomToken, secretMatches } from './secrets.ts';

type Json = Record<string, unknown>;

export const REQUEST_DEFAULT_SECONDS = 10 * 60;
export const REQUEST_MAX_SECONDS = 24 * 3600;
export const RESULT_DEFAULT_SECONDS = 3600;

interface RequestRecord {
  id: string;
  state: 'pending' | 'answered';
  nonce: string;
  /** The `state` parameter the wallet echoes. */
  stateParam: string;
  type: string;
  requiredSkills?: string[];
  requestJwt: string;
  resultTokenHash: string;
  createdAt: string;
  expiresAt: string;
  answeredAt?: string;
  resultExpiresAt?: string;
  result?: Json;
}

export interface PresentationRequestsOptions {
  database: Database;
  identity: Identity;
  verifier: CredentialVerifier;
  skills: Pick<SkillCatalog, 'equivalents'>;
  publicUrl: string;
  /** How long a result is kept after the wallet answered (default one hour). */
  resultSeconds?: number;
  now?: () => Date;
}

export interface PresentationRequests {
  create(body: Json): Promise<Json>;
  requestObject(id: string): Promise<string | undefined>;
  respond(id: string, form: URLSearchParams, signal?: AbortSignal): Promise<Json>;
  /** The requester's view; `token` is the result token returned at creation (undefined: admin). */
  result(id: string, token: string | undefined): Promise<Json>;
  /** Resolves once the request is answered (or the signal aborts). */
  answered(id: string, signal: AbortSignal): Promise<void>;
  uriOf(id: string): { requestUri: string; requestUrl: string };
  /** The challenge and domain a presentation for this request must be signed with (VCALM exchanges). */
  binding(id: string): Promise<{ challenge: string; domain: string; type: string } | undefined>;
  /** Answers the request with a presentation posted through a VCALM exchange: the same checks as direct_post. */
  respondWith(id: string, presentation: Json, signal?: AbortSignal): Promise<Json>;
  /** Waits for housekeeping started by requests (before the database closes). */
  close(): Promise<void>;
}

const b64url = (value: string | Uint8Array) => Buffer.from(value).toString('base64url');

function subjectIds(credential: unknown): unknown[] {
  if (!credential || typeof credential !== 'object') return [undefined];
  return asArray((credential as Json).credentialSubject as unknown).map((s) =>
    s && typeof s === 'object' ? (s as Json).id : undefined,
  );
}

function signerDid(presentation: Json): string | undefined {
  const vm = (asArray(presentation.proof as unknown)[0] as Json | undefined)?.verificationMethod;
  return typeof vm === 'string' ? vm.split('#')[0] : undefined;
}

export function createPresentationRequests(options: PresentationRequestsOptions): PresentationRequests {
  const store = options.database.db.sublevel<string, unknown>('oid4vp', { valueEncoding: 'json' });
  const now = options.now ?? (() => new Date());
  const withLock = createKeyedLock();
  const background = createBackgroundWork();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const { identity } = options;
  const base = options.publicUrl.replace(/\/+$/, '');
  const clientId = clientIdOf(identity.did);
  const key = (id: string) => `request!${id}`;
  const past = (iso: string | undefined) => !iso || Date.parse(iso) <= now().getTime();

  async function load(id: string): Promise<RequestRecord | undefined> {
    const record = (await store.get(key(id))) as RequestRecord | undefined;
    if (!record) return undefined;
    if (record.state === 'answered' && past(record.resultExpiresAt)) {
      await store.del(key(id));
      return undefined;
    }
    return record;
  }

  async function signJwt(payload: Json): Promise<string> {
    const header = b64url(JSON.stringify({ alg: 'EdDSA', typ: REQUEST_OBJECT_TYPE, kid: identity.keyId }));
    const input = `${header}.${b64url(JSON.stringify(payload))}`;
    const signature = await identity.keyPair.signer().sign({ data: Buffer.from(input, 'ascii') });
    return `${input}.${b64url(signature)}`;
  }

  async function create(body: Json): Promise<Json> {
    const type = body.credentialType ?? 'OpenBadgeCredential';
    if (typeof type !== 'string' || !REQUESTABLE_TYPES.includes(type)) {
      throw new NodeError('VALIDATION_FAILED', `credentialType must be one of ${REQUESTABLE_TYPES.join(', ')}`);
    }
    const skills = body.requiredSkills;
    if (
      skills !== undefined &&
      (!Array.isArray(skills) || skills.length > 200 || !skills.every((s) => typeof s === 'string' && s.length < 2000))
    ) {
      throw new NodeError('VALIDATION_FAILED', 'requiredSkills must be an array of at most 200 skill ids');
    }
    const seconds = body.expiresIn ?? REQUEST_DEFAULT_SECONDS;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > REQUEST_MAX_SECONDS) {
      throw new NodeError('VALIDATION_FAILED', `expiresIn must be whole seconds from 1 to ${REQUEST_MAX_SECONDS}`);
    }
    const id = randomToken(24);
    const created = now();
    const expires = new Date(created.getTime() + seconds * 1000);
    const nonce = randomToken();
    const stateParam = randomToken(16);
    const responseUri = `${base}/oid4vp/responses/${id}`;
    const requestJwt = await signJwt(
      requestObjectPayload({
        did: identity.did,
        responseUri,
        nonce,
        state: stateParam,
        type,
        issuedAt: created,
        expiresAt: expires,
      }),
    );
    const resultToken = randomToken();
    const record: RequestRecord = {
      id,
      state: 'pending',
      nonce,
      stateParam,
      type,
      ...(skills ? { requiredSkills: skills as string[] } : {}),
      requestJwt,
      resultTokenHash: hashSecret(resultToken),
      createdAt: created.toISOString(),
      expiresAt: expires.toISOString(),
    };
    await store.put(key(id), record, { sync: true } as never);
    background.run(sweep);
    return {
      id,
      ...uriOf(id),
      qr: { svg: `${base}/presentation-requests/${id}/qr.svg`, png: `${base}/presentation-requests/${id}/qr.png` },
      resultUrl: `${base}/presentation-requests/${id}`,
      resultToken,
      expiresAt: record.expiresAt,
    };
  }

  /**
   * Requests nobody answered and results past their time are deleted, at most once a minute (a public verifier
   * lets anyone create requests: they must not pile up in storage).
   */
  let lastSweep = 0;
  async function sweep(): Promise<void> {
    if (now().getTime() - lastSweep < 60_000) return;
    lastSweep = now().getTime();
    const stale: string[] = [];
    for await (const [k, value] of store.iterator({ gte: 'request!', lt: 'request!\uffff' })) {
      const record = value as RequestRecord;
      if (record.state === 'pending' ? past(record.expiresAt) : past(record.resultExpiresAt)) stale.push(k);
    }
    if (stale.length) await store.batch(stale.map((k) => ({ type: 'del' as const, key: k })));
  }

  function uriOf(id: string) {
    const requestUrl = `${base}/oid4vp/requests/${id}`;
    return { requestUri: requestUri(identity.did, requestUrl), requestUrl };
  }

  async function requestObject(id: string): Promise<string | undefined> {
    const record = await load(id);
    if (record?.state !== 'pending' || past(record.expiresAt)) return undefined;
    return record.requestJwt;
  }

  /** What the requester learns: the node's report, holder = subject, the type asked for, and the skills match. */
  async function evaluate(record: RequestRecord, presentation: Json, signal?: AbortSignal) {
    const report = await options.verifier.verifyPresentation(presentation, {
      challenge: record.nonce,
      domain: clientId,
      signal,
    });
    const proof = report.checks.find((c) => c.name === 'proof');
    if (proof?.status !== 'ok') {
      throw new OpenIdError(
        'invalid_request',
        `the presentation is not signed for this request (nonce ${'and'} client_id): ${proof?.message ?? 'no proof'}`,
      );
    }
    const holderCheck = report.checks.find((c) => c.name === 'issuer');
    const vpHolder = typeof presentation.holder === 'string' ? presentation.holder : (presentation.holder as Json)?.id;
    const holder = typeof vpHolder === 'string' ? vpHolder : signerDid(presentation);
    const credentials = asArray(presentation.verifiableCredential as unknown);
    const problems: Array<{ code: string; message: string }> = [];
    if (holderCheck?.status !== 'ok') {
      problems.push({ code: holderCheck?.code ?? 'HOLDER_UNCHECKED', message: holderCheck?.message ?? 'holder' });
    }
    if (credentials.length === 0)
      problems.push({ code: 'NO_CREDENTIAL', message: 'the presentation has no credential' });
    credentials.forEach((credential, index) => {
      if (!subjectIds(credential).every((s) => s === holder)) {
        problems.push({
          code: 'HOLDER_NOT_SUBJECT',
          message: `credential ${index}: its subject is not the holder ${holder}`,
        });
      }
      const types = asArray((credential as Json | null)?.type as unknown);
      if (!types.includes(record.type)) {
        problems.push({ code: 'TYPE_NOT_REQUESTED', message: `credential ${index} is not a ${record.type}` });
      }
    });
    const verified = report.verified && problems.length === 0;
    return {
      verified,
      trusted: verified && report.trusted,
      holder,
      problems,
      presentation: { ...report, credentials: undefined },
      credentials: report.credentials,
      ...(record.requiredSkills
        ? { skills: matchSkills(options.skills, record.requiredSkills, report.credentials) }
        : {}),
    };
  }

  async function respond(id: string, form: URLSearchParams, signal?: AbortSignal): Promise<Json> {
    if (form.get('error')) {
      // §8.5: the wallet declined; the requester sees it, the request stays open for another try.
      return {};
    }
    const parsed = presentationsOf(form.get('vp_token'));
    if ('error' in parsed) throw new OpenIdError('invalid_request', parsed.error);
    return answer(id, parsed.presentations[0], form.get('state'), signal);
  }

  async function respondWith(id: string, presentation: Json, signal?: AbortSignal): Promise<Json> {
    return answer(id, presentation, undefined, signal);
  }

  async function binding(id: string) {
    const record = await load(id);
    if (record?.state !== 'pending' || past(record.expiresAt)) return undefined;
    return { challenge: record.nonce, domain: clientId, type: record.type };
  }

  /** `state` is the OID4VP parameter; undefined for VCALM, whose exchange URL is the capability. */
  async function answer(id: string, presentation: Json, state: string | null | undefined, signal?: AbortSignal) {
    return withLock(id, async () => {
      const record = await load(id);
      if (!record || past(record.expiresAt)) throw new OpenIdError('invalid_request', 'no such request, or it expired');
      if (record.state !== 'pending') throw new OpenIdError('invalid_request', 'this request was already answered');
      if (state !== undefined && state !== record.stateParam) {
        throw new OpenIdError('invalid_request', 'state does not match the request');
      }
      const result = await evaluate(record, presentation, signal);
      const answered = now();
      const resultSeconds = options.resultSeconds ?? RESULT_DEFAULT_SECONDS;
      await store.put(
        key(id),
        {
          ...record,
          state: 'answered',
          answeredAt: answered.toISOString(),
          resultExpiresAt: new Date(answered.getTime() + resultSeconds * 1000).toISOString(),
          result,
        } satisfies RequestRecord,
        { sync: true } as never,
      );
      events.emit(id);
      if (result.problems.some((p) => p.code === 'HOLDER_NOT_SUBJECT')) {
        throw new OpenIdError('access_denied', 'refused: the holder is not the subject of every credential');
      }
      return {};
    });
  }

  async function result(id: string, token: string | undefined): Promise<Json> {
    const record = await load(id);
    if (!record) throw new NodeError('NOT_FOUND', 'no such presentation request, or its result expired');
    if (token !== undefined && !secretMatches(token, record.resultTokenHash)) {
      throw new NodeError('UNAUTHORIZED', 'the result token (or admin token) is required');
    }
    const state = record.state === 'pending' && past(record.expiresAt) ? 'expired' : record.state;
    return {
      id,
      state,
      credentialType: record.type,
      ...(record.requiredSkills ? { requiredSkills: record.requiredSkills } : {}),
      expiresAt: record.expiresAt,
      ...(record.answeredAt ? { answeredAt: record.answeredAt, resultExpiresAt: record.resultExpiresAt } : {}),
      ...(record.result ? { result: record.result } : {}),
    };
  }

  async function answered(id: string, signal: AbortSignal): Promise<void> {
    let done = () => {};
    const wait = new Promise<void>((resolve) => {
      done = () => {
        events.off(id, done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      events.on(id, done);
      signal.addEventListener('abort', done);
    });
    // Subscribed first, then looked: an answer landing in between is not missed.
    const record = await load(id);
    if (record?.state !== 'pending') done();
    // A request nobody answers ends the stream when it expires, not when the client gives up.
    const timer = record ? setTimeout(done, Math.max(0, Date.parse(record.expiresAt) - now().getTime())) : undefined;
    await wait;
    clearTimeout(timer);
  }

  return { create, requestObject, respond, result, answered, uriOf, binding, respondWith, close: background.drain };
}
