/**
 * VCALM exchanges over this node's OID4VC state: an issuance exchange is an
 * offer (DID Authentication, then the credential delivered in a presentation),
 * a verification exchange is a presentation request (Query By Example). The
 * same exchange can be executed by vcapi or by OID4VCI / OID4VP, whichever the
 * wallet speaks (the protocols answer), and the offer or request stays single
 * use across both. State lives in the offers' and requests' sublevels plus one
 * small record per exchange.
 */

import { OpenIdError } from '../../protocol/oid4vc/errors.ts';
import {
  didAuthenticationRequest,
  protocolsOf,
  queryByExampleRequest,
  WORKFLOWS,
  type Workflow,
} from '../../protocol/oid4vc/vcalm-messages.ts';
import { asArray, VC_V2 } from '../../registry/verification/credential-shape.ts';
import { NodeError } from '../errors.ts';
import type { OfferIssuance } from '../oid4vc/issuance.ts';
import type { PresentationRequests } from '../oid4vc/presentations.ts';
import { randomToken } from '../oid4vc/secrets.ts';
import type { Database } from '../storage/database.ts';
import type { CredentialVerifier } from '../verification/verifier.ts';

type Json = Record<string, unknown>;

interface ExchangeRecord {
  id: string;
  workflow: Workflow;
  /** The offer ref (issuance) or presentation request id (verification) behind the exchange. */
  ref: string;
  challenge: string;
  state: 'pending' | 'active' | 'complete' | 'invalid';
  sequence: number;
  expires: string;
  lastError?: { code: string; message: string };
}

export interface ExchangesOptions {
  database: Database;
  offers: OfferIssuance;
  presentationRequests: PresentationRequests;
  verifier: CredentialVerifier;
  publicUrl: string;
  now?: () => Date;
}

export interface Exchanges {
  create(workflow: string, body: Json): Promise<Json>;
  participate(workflow: string, id: string, message: unknown, signal?: AbortSignal): Promise<Json>;
  protocols(id: string, workflow?: string): Promise<Json>;
  currentRequest(workflow: string, id: string): Promise<Json>;
  state(workflow: string, id: string): Promise<Json>;
}

function isWorkflow(value: string): value is Workflow {
  return (WORKFLOWS as readonly string[]).includes(value);
}

function signerDid(presentation: Json): string | undefined {
  const vm = (asArray(presentation.proof as unknown)[0] as Json | undefined)?.verificationMethod;
  return typeof vm === 'string' ? vm.split('#')[0] : undefined;
}

export function createExchanges(options: ExchangesOptions): Exchanges {
  const store = options.database.db.sublevel<string, unknown>('vcalm', { valueEncoding: 'json' });
  const now = options.now ?? (() => new Date());
  const base = options.publicUrl.replace(/\/+$/, '');
  const domain = new URL(base).host;
  const exchangeUrl = (r: ExchangeRecord) => `${base}/workflows/${r.workflow}/exchanges/${r.id}`;

  async function load(workflow: string, id: string): Promise<ExchangeRecord> {
    const record = (await store.get(`exchange!${id}`)) as ExchangeRecord | undefined;
    if (!record || (workflow !== '*' && record.workflow !== workflow)) {
      throw new NodeError('NOT_FOUND', 'no such exchange');
    }
    return record;
  }

  async function save(record: ExchangeRecord) {
    await store.put(`exchange!${record.id}`, record, { sync: true } as never);
  }

  async function create(workflow: string, body: Json): Promise<Json> {
    if (!isWorkflow(workflow)) throw new NodeError('NOT_FOUND', `no workflow ${workflow}: issuance or verification`);
    const variables = (body.variables ?? {}) as Json;
    if (!variables || typeof variables !== 'object' || Array.isArray(variables)) {
      throw new NodeError('VALIDATION_FAILED', 'variables must be an object');
    }
    let expiresIn: number | undefined;
    if (body.expires !== undefined) {
      const at = typeof body.expires === 'string' ? Date.parse(body.expires) : Number.NaN;
      if (Number.isNaN(at) || at <= now().getTime())
        throw new NodeError('VALIDATION_FAILED', 'expires must be a future dateTime');
      expiresIn = Math.ceil((at - now().getTime()) / 1000);
    }
    const id = randomToken(24);
    let ref: string;
    let openId: string;
    let expires: string;
    if (workflow === 'issuance') {
      const offer = await options.offers.create({ ...variables, ...(expiresIn ? { expiresIn } : {}) });
      ({ id: ref, offerUriByReference: openId, expiresAt: expires } = offer as never);
    } else {
      const request = await options.presentationRequests.create({ ...variables, ...(expiresIn ? { expiresIn } : {}) });
      ({ id: ref, requestUri: openId, expiresAt: expires } = request as never);
    }
    const record: ExchangeRecord = {
      id,
      workflow,
      ref,
      challenge: randomToken(),
      state: 'pending',
      sequence: 0,
      expires,
    };
    await save(record);
    return {
      id,
      exchangeUrl: exchangeUrl(record),
      interactionUrl: `${base}/interactions/${id}?iuv=1`,
      ...protocolsOf(workflow, exchangeUrl(record), openId),
      expires,
    };
  }

  async function protocols(id: string, workflow = '*'): Promise<Json> {
    const record = await load(workflow, id);
    const openId =
      record.workflow === 'issuance'
        ? `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(`${base}/offers/${record.ref}`)}`
        : options.presentationRequests.uriOf(record.ref).requestUri;
    return protocolsOf(record.workflow, exchangeUrl(record), openId);
  }

  /** The verifiable presentation request of the exchange's (one) step. */
  async function requestOf(record: ExchangeRecord): Promise<Json> {
    if (record.workflow === 'issuance') return didAuthenticationRequest(record.challenge, domain);
    const binding = await options.presentationRequests.binding(record.ref);
    if (!binding) throw new NodeError('CONFLICT', 'this exchange was already completed or has expired');
    return queryByExampleRequest(binding.type, binding.challenge, binding.domain, `Present your ${binding.type}`);
  }

  async function currentRequest(workflow: string, id: string): Promise<Json> {
    const record = await load(workflow, id);
    if (record.state === 'complete' || Date.parse(record.expires) <= now().getTime()) {
      return { verifiablePresentationRequest: {} };
    }
    return { verifiablePresentationRequest: await requestOf(record) };
  }

  async function fail(record: ExchangeRecord, code: string, message: string): Promise<never> {
    await save({ ...record, sequence: record.sequence + 1, lastError: { code, message } });
    throw new NodeError('VALIDATION_FAILED', message, { code });
  }

  async function participate(workflow: string, id: string, message: unknown, signal?: AbortSignal): Promise<Json> {
    const record = await load(workflow, id);
    if (!message || typeof message !== 'object' || Array.isArray(message)) {
      throw new NodeError('VALIDATION_FAILED', 'an exchange message is a JSON object');
    }
    if (record.state === 'complete') throw new NodeError('CONFLICT', 'this exchange is complete');
    if (Date.parse(record.expires) <= now().getTime()) throw new NodeError('CONFLICT', 'this exchange has expired');
    const presentation = (message as Json).verifiablePresentation;
    if (presentation === undefined) {
      // {} starts the exchange (or asks again what it expects); a client's own request is not served here.
      if ((message as Json).verifiablePresentationRequest !== undefined) {
        throw new NodeError('VALIDATION_FAILED', 'this node does not answer holder-side presentation requests');
      }
      await save({ ...record, state: 'active', sequence: record.sequence + 1 });
      return { verifiablePresentationRequest: await requestOf(record) };
    }
    if (!presentation || typeof presentation !== 'object' || Array.isArray(presentation)) {
      throw new NodeError('VALIDATION_FAILED', 'verifiablePresentation must be one presentation object');
    }
    const vp = presentation as Json;
    if (record.workflow === 'verification') {
      try {
        await options.presentationRequests.respondWith(record.ref, vp, signal);
      } catch (error) {
        if (error instanceof OpenIdError) return fail(record, error.code, error.message);
        throw error;
      }
      await save({ ...record, state: 'complete', sequence: record.sequence + 1 });
      return {};
    }
    // Issuance: the presentation authenticates the holder's DID for this exchange's challenge and domain.
    const report = await options.verifier.verifyPresentation(vp, { challenge: record.challenge, domain, signal });
    const proof = report.checks.find((c) => c.name === 'proof');
    const holderCheck = report.checks.find((c) => c.name === 'issuer');
    if (proof?.status !== 'ok')
      return fail(record, 'DID_AUTHENTICATION_FAILED', `not authenticated: ${proof?.message}`);
    if (holderCheck?.status !== 'ok') return fail(record, 'HOLDER_KEY_MISMATCH', holderCheck?.message ?? 'holder');
    const holder = typeof vp.holder === 'string' ? vp.holder : ((vp.holder as Json | undefined)?.id ?? signerDid(vp));
    if (typeof holder !== 'string' || !holder.startsWith('did:')) {
      return fail(record, 'DID_AUTHENTICATION_FAILED', 'the presentation names no holder DID');
    }
    const credential = await options.offers.issueTo(record.ref, holder);
    await save({ ...record, state: 'complete', sequence: record.sequence + 1 });
    return {
      verifiablePresentation: {
        '@context': [VC_V2],
        type: ['VerifiablePresentation'],
        verifiableCredential: [credential],
      },
    };
  }

  async function state(workflow: string, id: string): Promise<Json> {
    const record = await load(workflow, id);
    const expired = record.state !== 'complete' && Date.parse(record.expires) <= now().getTime();
    const variables =
      record.workflow === 'issuance'
        ? { offer: await options.offers.status(record.ref) }
        : { results: await options.presentationRequests.result(record.ref, undefined).catch(() => undefined) };
    return {
      id: record.id,
      sequence: record.sequence,
      expires: record.expires,
      step: record.workflow === 'issuance' ? 'didAuthentication' : 'queryByExample',
      state: expired ? 'invalid' : record.state,
      ...(record.lastError ? { lastError: record.lastError } : {}),
      variables,
    };
  }

  return { create, participate, protocols, currentRequest, state };
}
