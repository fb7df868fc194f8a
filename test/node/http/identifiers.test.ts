import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../node/http/app.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';

// The did:key spec's example DID, its signing key and its derived X25519 key agreement key.
const DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const SIGNING = `${DID}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`;
const AGREEMENT = `${DID}#z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p`;
// A P-256 did:key (multicodec 0x1200), the did:key spec's test vector.
const P256 = 'did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169';
// A did:web document the node holds (as from a member's published key history), with services.
const WEB = 'did:web:issuer.example';
// A did:web with a port: its "%3A" is part of the DID.
const WEB_PORT = 'did:web:held.example%3A8443';
const WEB_DOCUMENT = {
  '@context': ['https://www.w3.org/ns/did/v1'],
  id: WEB,
  service: [
    { id: '#files', type: 'FileStore', serviceEndpoint: 'https://files.issuer.example/store/' },
    { id: `${WEB}#badges`, type: 'LinkedDomains', serviceEndpoint: ['https://badges.issuer.example/'] },
  ],
};

const RESOLUTION = 'application/did-resolution';
const DEREFERENCING = 'application/did-url-dereferencing';
const LEGACY = 'application/ld+json;profile="https://w3id.org/did-resolution"';
const DID_NS = 'https://www.w3.org/ns/did#';

describe('GET /1.0/identifiers (W3C DID Resolution HTTP(S) binding)', () => {
  let node: TestNode;
  let server: ReturnType<typeof serve>;
  let base: string;

  beforeAll(async () => {
    node = await createTestNode({
      knownDidDocuments: (did) =>
        did === WEB ? WEB_DOCUMENT : did === WEB_PORT ? { ...WEB_DOCUMENT, id: WEB_PORT } : undefined,
    });
    const app = createApp({
      components: node.components,
      version: 't',
      health: () => ({ multiaddrs: [], networks: [] }),
    });
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/1.0/identifiers`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await node.close();
  });

  async function get(path: string, accept?: string) {
    const res = await fetch(`${base}/${path}`, { headers: accept ? { accept } : {}, redirect: 'manual' });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      location: res.headers.get('location'),
      text,
      body: text ? (JSON.parse(text) as Record<string, any>) : undefined,
    };
  }
  const enc = encodeURIComponent;

  describe('content negotiation', () => {
    it('answers application/did-resolution with the resolution result, its type and @context', async () => {
      const res = await get(DID, RESOLUTION);
      expect(res.status).toBe(200);
      expect(res.type).toBe(RESOLUTION);
      expect(res.body).toMatchObject({
        '@context': 'https://w3id.org/did-resolution/v1',
        didDocument: { id: DID },
        didResolutionMetadata: { contentType: 'application/did' },
        didDocumentMetadata: {},
      });
    });

    it('answers the January 2025 profile with that draft result shape and media types', async () => {
      const res = await get(enc(DID), LEGACY);
      expect(res.status).toBe(200);
      expect(res.type).toBe(LEGACY);
      expect(res.body).toMatchObject({
        '@context': 'https://w3id.org/did-resolution/v1',
        didDocument: { id: DID },
        didResolutionMetadata: { contentType: 'application/did+ld+json' },
      });
    });

    it.each([
      'application/did',
      'application/did+ld+json',
      'application/did+json',
      'application/ld+json',
    ])('answers %s with the bare DID document in that type', async (mediaType) => {
      const res = await get(DID, mediaType);
      expect(res.status).toBe(200);
      expect(res.type).toBe(mediaType);
      expect(res.body?.id).toBe(DID);
      expect(res.body?.didResolutionMetadata).toBeUndefined();
    });

    it('answers no Accept and */* with the resolution result', async () => {
      for (const accept of [undefined, '*/*']) {
        const res = await get(DID, accept);
        expect(res.type).toBe(RESOLUTION);
        expect(res.body?.didDocument.id).toBe(DID);
      }
    });

    it('follows q-values, then order', async () => {
      expect((await get(DID, 'application/did+json;q=0.5, application/did-resolution')).type).toBe(RESOLUTION);
      expect((await get(DID, 'text/html, application/did+json;q=0.9, */*;q=0.1')).type).toBe('application/did+json');
    });

    it('answers an unsupported representation with 406 REPRESENTATION_NOT_SUPPORTED', async () => {
      const res = await get(DID, 'application/x-unsupported-did-representation');
      expect(res.status).toBe(406);
      expect(res.body?.didResolutionMetadata.error.type).toBe(`${DID_NS}REPRESENTATION_NOT_SUPPORTED`);
    });

    it('answers application/did-url-dereferencing on a DID with a dereferencing result holding the document', async () => {
      const res = await get(DID, DEREFERENCING);
      expect(res.status).toBe(200);
      expect(res.type).toBe(DEREFERENCING);
      expect(res.body).toMatchObject({
        dereferencingMetadata: { contentType: 'application/did' },
        contentStream: { id: DID },
        contentMetadata: {},
      });
    });
  });

  describe('errors', () => {
    it.each([
      ['not-a-did', 400, 'INVALID_DID', 'invalidDid'],
      ['did:example', 400, 'INVALID_DID', 'invalidDid'],
      ['did:key:@', 400, 'INVALID_DID', 'invalidDid'],
      ['did:unsupported:123456789abcdefghi', 501, 'METHOD_NOT_SUPPORTED', 'methodNotSupported'],
      ['did:key:zTjsVPtY', 400, 'INVALID_DID', 'invalidPublicKeyLength'],
    ])('%s → %i with an RFC 9457 %s object (and %s in the 2025 profile)', async (did, status, type, code) => {
      const res = await get(enc(did), RESOLUTION);
      expect(res.status).toBe(status);
      expect(res.type).toBe(RESOLUTION);
      expect(res.body?.didDocument).toBeNull();
      expect(res.body?.didDocumentMetadata).toEqual({});
      expect(res.body?.didResolutionMetadata.error).toMatchObject({ type: `${DID_NS}${type}`, code });
      expect(typeof res.body?.didResolutionMetadata.error.title).toBe('string');
      const legacy = await get(enc(did), LEGACY);
      expect(legacy.status).toBe(status);
      expect(legacy.body?.didResolutionMetadata.error).toBe(code);
      expect(legacy.body?.['@context']).toBe('https://w3id.org/did-resolution/v1');
    });

    it('answers a missing DID with a JSON 404', async () => {
      const res = await get('');
      expect(res.status).toBe(404);
      expect(res.body?.error.code).toBe('NOT_FOUND');
    });
  });

  describe('did:key options (query parameters of the URL-encoded DID)', () => {
    it('resolves a P-256 did:key', async () => {
      const res = await get(enc(P256), RESOLUTION);
      expect(res.status).toBe(200);
      expect(res.body?.didDocument.verificationMethod[0]).toMatchObject({
        type: 'Multikey',
        publicKeyMultibase: P256.slice(8),
      });
    });

    it('honours publicKeyFormat=JsonWebKey', async () => {
      const res = await get(`${enc(P256)}?publicKeyFormat=JsonWebKey`, RESOLUTION);
      expect(res.body?.didDocument.verificationMethod[0]).toMatchObject({
        type: 'JsonWebKey',
        publicKeyJwk: { kty: 'EC', crv: 'P-256' },
      });
    });

    it('derives the X25519 key agreement key, unless enableEncryptionKeyDerivation=false', async () => {
      expect((await get(enc(DID), RESOLUTION)).body?.didDocument.keyAgreement).toEqual([AGREEMENT]);
      const res = await get(`${enc(DID)}?enableEncryptionKeyDerivation=false`, RESOLUTION);
      expect(res.status).toBe(200);
      expect(res.body?.didDocument.keyAgreement).toBeUndefined();
    });

    it('honours enableExperimentalPublicKeyTypes=true, and refuses the same format without it', async () => {
      const ok = await get(
        `${enc(DID)}?publicKeyFormat=Ed25519VerificationKey2018&enableExperimentalPublicKeyTypes=true`,
        RESOLUTION,
      );
      expect(ok.status).toBe(200);
      expect(ok.body?.didDocument.verificationMethod[0].type).toBe('Ed25519VerificationKey2018');
      const refused = await get(
        `${enc(DID)}?publicKeyFormat=Ed25519VerificationKey2018&enableExperimentalPublicKeyTypes=false`,
        LEGACY,
      );
      expect(refused.status).toBe(400);
      expect(refused.body?.didResolutionMetadata.error).toBe('invalidPublicKeyType');
    });

    it('reports an unknown publicKeyFormat as unsupportedPublicKeyType (501)', async () => {
      const res = await get(`${enc(DID)}?publicKeyFormat=unknown`, RESOLUTION);
      expect(res.status).toBe(501);
      expect(res.body?.didResolutionMetadata.error).toMatchObject({
        type: `${DID_NS}FEATURE_NOT_SUPPORTED`,
        code: 'unsupportedPublicKeyType',
      });
    });

    it('reports a malformed boolean option as INVALID_OPTIONS', async () => {
      const res = await get(`${enc(DID)}?enableExperimentalPublicKeyTypes=maybe`, RESOLUTION);
      expect(res.status).toBe(400);
      expect(res.body?.didResolutionMetadata.error.type).toBe(`${DID_NS}INVALID_OPTIONS`);
    });
  });

  describe('DID URL dereferencing', () => {
    it('dereferences did#key to that verification method (with the document @context)', async () => {
      const res = await get(enc(SIGNING), DEREFERENCING);
      expect(res.status).toBe(200);
      expect(res.type).toBe(DEREFERENCING);
      expect(res.body?.contentStream).toEqual({
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
        id: SIGNING,
        type: 'Multikey',
        controller: DID,
        publicKeyMultibase: 'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
      });
    });

    it('serves the bare verification method for a DID document media type', async () => {
      const res = await get(enc(AGREEMENT), 'application/did+ld+json');
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/did+ld+json');
      expect(res.body).toMatchObject({ id: AGREEMENT, controller: DID });
    });

    it('answers the 2025 profile with the resource under didDocument and didDereferencingMetadata', async () => {
      const res = await get(enc(SIGNING), LEGACY);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        '@context': 'https://w3id.org/did-resolution/v1',
        didDocument: { id: SIGNING, controller: DID },
        didDereferencingMetadata: { contentType: 'application/did+ld+json' },
        didDocumentMetadata: {},
      });
    });

    it('checks verificationRelationship', async () => {
      expect((await get(`${enc(SIGNING)}?verificationRelationship=assertionMethod`, DEREFERENCING)).status).toBe(200);
      const res = await get(`${enc(AGREEMENT)}?verificationRelationship=assertionMethod`, DEREFERENCING);
      expect(res.status).toBe(400);
      expect(res.body?.dereferencingMetadata.error.type).toBe(
        'https://w3id.org/security#INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD',
      );
    });

    it('carries did:key option errors into the dereferencing metadata', async () => {
      const res = await get(
        `${enc(AGREEMENT)}?publicKeyFormat=Ed25519VerificationKey2018&enableExperimentalPublicKeyTypes=false`,
        LEGACY,
      );
      expect(res.status).toBe(400);
      expect(res.body?.didDereferencingMetadata.error).toBe('invalidPublicKeyType');
    });

    it('answers an unknown fragment with 404 NOT_FOUND', async () => {
      const res = await get(enc(`${DID}#nope`), DEREFERENCING);
      expect(res.status).toBe(404);
      expect(res.body?.dereferencingMetadata.error.type).toBe(`${DID_NS}NOT_FOUND`);
      expect(res.body?.contentStream).toBeNull();
    });

    it('answers a non-conformant DID URL with 400 INVALID_DID_URL (invalidDidUrl in the 2025 profile)', async () => {
      const bad = enc(`${DID}/^bar^/?query=\`#z6Mk`);
      const res = await get(bad, DEREFERENCING);
      expect(res.status).toBe(400);
      expect(res.body?.dereferencingMetadata.error.type).toBe(`${DID_NS}INVALID_DID_URL`);
      expect((await get(bad, LEGACY)).body?.didDereferencingMetadata.error).toBe('invalidDidUrl');
    });

    it('answers a DID path (which no supported method defines) with 404', async () => {
      expect((await get(enc(`${DID}/some/path`), DEREFERENCING)).status).toBe(404);
    });

    it('answers versionId with FEATURE_NOT_SUPPORTED and checks versionTime', async () => {
      const version = await get(`${enc(DID)}?versionId=2`, RESOLUTION);
      expect(version.status).toBe(501);
      expect(version.body?.didResolutionMetadata.error.type).toBe(`${DID_NS}FEATURE_NOT_SUPPORTED`);
      // A did:key never changes: any valid time names its one document.
      expect((await get(`${enc(DID)}?versionTime=2024-01-01T00:00:00Z`, RESOLUTION)).status).toBe(200);
      expect((await get(`${enc(DID)}?versionTime=yesterday`, RESOLUTION)).status).toBe(400);
    });
  });

  describe('service dereferencing', () => {
    it('redirects ?service=&relativeRef= to the service endpoint URL (303, Location, empty body)', async () => {
      const res = await get(`${WEB}?service=files&relativeRef=%2Fresume.pdf`, 'text/uri-list');
      expect(res.status).toBe(303);
      expect(res.location).toBe('https://files.issuer.example/resume.pdf');
      expect(res.text).toBe('');
    });

    it('appends the DID URL fragment to the selected URL', async () => {
      const res = await get(enc(`${WEB}?service=files&relativeRef=doc#intro`), 'text/uri-list');
      expect(res.location).toBe('https://files.issuer.example/store/doc#intro');
    });

    it('returns the document with only the selected services when no URL list is asked for', async () => {
      const res = await get(enc(`${WEB}?serviceType=LinkedDomains`), DEREFERENCING);
      expect(res.status).toBe(200);
      expect(res.body?.contentStream.service).toEqual([WEB_DOCUMENT.service[1]]);
    });

    it('dereferences a service by fragment', async () => {
      const res = await get(enc(`${WEB}#badges`), 'application/did+json');
      expect(res.body).toMatchObject({ id: `${WEB}#badges`, type: 'LinkedDomains' });
    });

    it('answers a service that does not exist with 404', async () => {
      const res = await get(enc(`${WEB}?service=nope`), DEREFERENCING);
      expect(res.status).toBe(404);
      expect(res.body?.dereferencingMetadata.error).toMatchObject({
        type: `${DID_NS}NOT_FOUND`,
        detail: 'no service matches',
      });
    });
  });

  describe('the route id is decoded once (issue 16, finding 6)', () => {
    it('takes a DID appended as it is verbatim, and an encoded one decoded once (a did:web port stays %3A)', async () => {
      for (const path of [WEB_PORT, enc(WEB_PORT)]) {
        const res = await get(path, RESOLUTION);
        expect(res.status, path).toBe(200);
        expect(res.body?.didDocument.id).toBe(WEB_PORT);
      }
    });

    it.each([
      '%25',
      '%25E0%25A4%25A',
      'did%3Akey%3A%25',
      'did:key:%25zz',
    ])('GET /1.0/identifiers/%s → 4xx JSON, never 500', async (path) => {
      const res = await get(path, RESOLUTION);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body?.didResolutionMetadata.error.type).toMatch(/^https:\/\/www\.w3\.org\/ns\/did#INVALID_DID/);
    });
  });
  describe('when the DID is a did:jwk', () => {
    // The did:jwk spec's P-256 example.
    const JWK_DID =
      'did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9';

    it('resolves it locally to the document the spec gives', async () => {
      const res = await get(JWK_DID, RESOLUTION);
      expect(res.status).toBe(200);
      expect(res.body?.didDocument).toMatchObject({
        id: JWK_DID,
        verificationMethod: [{ id: `${JWK_DID}#0`, type: 'JsonWebKey2020', controller: JWK_DID }],
        assertionMethod: [`${JWK_DID}#0`],
        keyAgreement: [`${JWK_DID}#0`],
      });
    });

    it('refuses one carrying a private key as an invalid DID', async () => {
      const secret = Buffer.from(JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA', d: 'AAAA' })).toString(
        'base64url',
      );
      const res = await get(`did:jwk:${secret}`, RESOLUTION);
      expect(res.status).toBe(400);
      expect(res.body?.didResolutionMetadata.error.type).toMatch(/INVALID_DID/);
    });
  });
});
