/**
 * The status lists credentials of 2020–2024 carry: StatusList2021Entry (VC 1.1, the CCG StatusList2021 context)
 * and RevocationList2020Status, read as Bitstring Status Lists are, their lists fetched and proof-checked the same
 * way.
 */
import * as vc from '@digitalbazaar/vc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignSuite } from '../../../protocol/signing/suites.ts';
import { createBitstring, encodeBitstring, withBit } from '../../../registry/status/bitstring.ts';
import { parseStatusEntry } from '../../../registry/verification/status.ts';
import { createTestNode, type TestNode } from '../../helpers/node.ts';
import { verifierServingLists } from '../../helpers/status-list-verifier.ts';

type Json = Record<string, unknown>;

const VC1 = 'https://www.w3.org/2018/credentials/v1';
const VC2 = 'https://www.w3.org/ns/credentials/v2';
const SL2021 = 'https://w3id.org/vc/status-list/2021/v1';
const ED2020 = 'https://w3id.org/security/suites/ed25519-2020/v1';
const LIST_2021 = 'https://status.example/2021/lists/1';
const LIST_2020 = 'https://status.example/2020/lists/1';
// The RevocationList2020 context is bundled by no package: its terms inline (the node fetches no context).
const RL = 'https://w3id.org/vc-revocation-list-2020#';
const RL2020_INLINE = {
  RevocationList2020Credential: `${RL}RevocationList2020Credential`,
  RevocationList2020: `${RL}RevocationList2020`,
  RevocationList2020Status: `${RL}RevocationList2020Status`,
  encodedList: `${RL}encodedList`,
  revocationListIndex: `${RL}revocationListIndex`,
  revocationListCredential: { '@id': `${RL}revocationListCredential`, '@type': '@id' },
};

describe('when a credential carries an older status entry', () => {
  let issuer: TestNode;
  const lists = new Map<string, Json>();
  const verifier = verifierServingLists(lists);

  // VC 1.1 credentials as 2021–2024 issuers signed them (Ed25519Signature2020); VC 2.0 ones with eddsa-rdfc-2022.
  const sign = (credential: Json) =>
    vc.issue({
      credential,
      suite: createSignSuite(
        (credential['@context'] as unknown[])[0] === VC1 ? 'Ed25519Signature2020' : 'eddsa-rdfc-2022',
        issuer.components.identity.keyPair,
      ),
      documentLoader: issuer.components.documentLoader,
    }) as Promise<Json>;
  // StatusList2021 §2.2.1 and RevocationList2020: GZIP, then base64url without the multibase prefix.
  const legacyEncoded = (revoked: number[]) =>
    encodeBitstring(revoked.reduce((bits, i) => withBit(bits, i, true), createBitstring())).slice(1);

  beforeAll(async () => {
    issuer = await createTestNode();
    const did = issuer.components.identity.did;
    lists.set(
      LIST_2021,
      await sign({
        '@context': [VC1, SL2021, ED2020],
        id: LIST_2021,
        type: ['VerifiableCredential', 'StatusList2021Credential'],
        issuer: did,
        issuanceDate: '2024-01-01T00:00:00Z',
        credentialSubject: {
          id: `${LIST_2021}#list`,
          type: 'StatusList2021',
          statusPurpose: 'revocation',
          encodedList: legacyEncoded([7]),
        },
      }),
    );
    lists.set(
      LIST_2020,
      await sign({
        '@context': [VC2, RL2020_INLINE],
        id: LIST_2020,
        type: ['VerifiableCredential', 'RevocationList2020Credential'],
        issuer: did,
        validFrom: '2024-01-01T00:00:00Z',
        credentialSubject: { id: `${LIST_2020}#list`, type: 'RevocationList2020', encodedList: legacyEncoded([3]) },
      }),
    );
  });
  afterAll(async () => issuer?.close());

  const credential2021 = (index: string) =>
    sign({
      '@context': [VC1, SL2021, ED2020],
      id: `urn:uuid:00000000-0000-4000-8000-00000000${index.padStart(4, '0')}`,
      type: ['VerifiableCredential'],
      issuer: issuer.components.identity.did,
      issuanceDate: '2024-02-01T00:00:00Z',
      credentialSubject: { id: 'did:example:holder' },
      credentialStatus: {
        id: `${LIST_2021}#${index}`,
        type: 'StatusList2021Entry',
        statusPurpose: 'revocation',
        statusListIndex: index,
        statusListCredential: LIST_2021,
      },
    });
  const credential2020 = (index: string) =>
    sign({
      '@context': [VC2, RL2020_INLINE],
      type: ['VerifiableCredential'],
      issuer: issuer.components.identity.did,
      validFrom: '2024-02-01T00:00:00Z',
      credentialSubject: { id: 'did:example:holder' },
      credentialStatus: {
        id: `${LIST_2020}#${index}`,
        type: 'RevocationList2020Status',
        revocationListIndex: index,
        revocationListCredential: LIST_2020,
      },
    });
  const statusOf = async (credential: Json) =>
    (await verifier.verifyCredential(credential)).checks.find((c) => c.name === 'status');

  it('reads a StatusList2021Entry whose bit is not set as ok', async () => {
    expect(await statusOf(await credential2021('6'))).toMatchObject({ status: 'ok' });
  });

  it('reads a StatusList2021Entry whose bit is set as REVOKED', async () => {
    expect(await statusOf(await credential2021('7'))).toMatchObject({ status: 'failed', code: 'REVOKED' });
  });

  it('reads a RevocationList2020Status as a revocation list: REVOKED when set, ok when not', async () => {
    expect(await statusOf(await credential2020('3'))).toMatchObject({ status: 'failed', code: 'REVOKED' });
    expect(await statusOf(await credential2020('4'))).toMatchObject({ status: 'ok' });
  });

  it('refuses a list of another kind than the entry names as STATUS_LIST_INVALID', async () => {
    const credential = await sign({
      '@context': [VC1, SL2021, ED2020],
      type: ['VerifiableCredential'],
      issuer: issuer.components.identity.did,
      issuanceDate: '2024-02-01T00:00:00Z',
      credentialSubject: { id: 'did:example:holder' },
      credentialStatus: {
        id: `${LIST_2020}#1`,
        type: 'StatusList2021Entry',
        statusPurpose: 'revocation',
        statusListIndex: '1',
        statusListCredential: LIST_2020,
      },
    });
    expect(await statusOf(credential)).toMatchObject({ status: 'failed', code: 'STATUS_LIST_INVALID' });
  });

  it('refuses malformed older entries as STATUS_ENTRY_INVALID', () => {
    expect(
      parseStatusEntry({ type: 'StatusList2021Entry', statusPurpose: 'revocation', statusListIndex: '-1' }),
    ).toMatchObject({
      code: 'STATUS_ENTRY_INVALID',
    });
    expect(parseStatusEntry({ type: 'RevocationList2020Status', revocationListIndex: '1' })).toMatchObject({
      code: 'STATUS_ENTRY_INVALID',
    });
  });
});
