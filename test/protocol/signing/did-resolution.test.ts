import { describe, expect, it } from 'vitest';
import { createDidResolution } from '../../../protocol/signing/did-resolution.ts';
import { parseDidUrl } from '../../../protocol/signing/did-url.ts';

const DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

describe('DID resolution', () => {
  it('never takes a did:key from held documents: its document is a function of the DID', async () => {
    const forged = { id: DID, verificationMethod: [{ id: `${DID}#evil`, type: 'Multikey', controller: DID }] };
    const resolution = createDidResolution({ known: () => forged });
    const { didDocument } = await resolution.resolve(DID);
    expect(JSON.stringify(didDocument)).not.toContain('#evil');
    expect((didDocument?.verificationMethod as unknown[]).length).toBe(2);
  });

  it('uses held documents for did:web (no network)', async () => {
    const held = { id: 'did:web:held.example', service: [] };
    const resolution = createDidResolution({ known: (did) => (did === 'did:web:held.example' ? held : undefined) });
    expect((await resolution.resolve('did:web:held.example')).didDocument?.id).toBe('did:web:held.example');
  });

  it('reports codes as data, for internal callers', async () => {
    const resolution = createDidResolution();
    expect((await resolution.resolve('did:key:zTjsVPtY')).didResolutionMetadata.error).toBe('invalidPublicKeyLength');
    expect((await resolution.resolve('did:nope:1')).didResolutionMetadata.error).toBe('methodNotSupported');
    expect((await resolution.dereference(`${DID}#x y`)).dereferencingMetadata.error).toBe('invalidDidUrl');
  });

  it('does not serve an optioned resolution from the cache of the default one', async () => {
    const resolution = createDidResolution();
    await resolution.resolve(DID);
    const jwk = await resolution.resolve(DID, { publicKeyFormat: 'JsonWebKey' });
    expect((jwk.didDocument?.verificationMethod as Array<{ type: string }>)[0].type).toBe('JsonWebKey');
    expect(((await resolution.resolve(DID)).didDocument?.verificationMethod as Array<{ type: string }>)[0].type).toBe(
      'Multikey',
    );
  });
});

describe('DID URL syntax (DID Core §3.2)', () => {
  it('splits DID, path, query and fragment', () => {
    expect(parseDidUrl('did:web:a.example:u%3A1/p/q?service=x&relativeRef=%2Fr#frag')).toEqual({
      did: 'did:web:a.example:u%3A1',
      path: '/p/q',
      query: 'service=x&relativeRef=%2Fr',
      fragment: 'frag',
    });
  });

  it.each([
    'did:',
    'did:KEY:z1',
    'did:key:',
    'did:key:a b',
    'did:key:z#a#b',
    'did:key:z/^bar^',
  ])('refuses %s', (value) => {
    expect(parseDidUrl(value)).toBeUndefined();
  });
});
