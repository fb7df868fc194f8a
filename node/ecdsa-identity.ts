/**
 * The node's P-256 signing key, for the ECDSA Data Integrity suites
 * (ecdsa-rdfc-2019, ecdsa-jcs-2019). Decision 0021: a did:web institution lists
 * it as a second verification method of its own DID; a did:key institution
 * (one DID, one key, by the did:key spec) signs ECDSA credentials as the
 * P-256 key's own did:key. The secret key lives only in the store's `keys`
 * sublevel: nothing here returns or logs it.
 */

import type { EcdsaMultikeyKeyPair } from '@digitalbazaar/ecdsa-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import { MULTIKEY_V1_CONTEXT } from '../protocol/signing/contexts.ts';
import type { Database } from './storage/database.ts';

export interface EcdsaIdentity {
  /** The DID ECDSA credentials name as issuer: the institution's did:web, or the key's own did:key. */
  did: string;
  /** The verification method URL ECDSA proofs name. */
  keyId: string;
  keyPair: EcdsaMultikeyKeyPair;
}

interface StoredP256Key {
  publicKeyMultibase: string;
  secretKeyMultibase: string;
}

const STORE_KEY = 'institution-p256';

function ecdsaDidFor(institutionDid: string, publicKeyMultibase: string): string {
  return institutionDid.startsWith('did:key:') ? `did:key:${publicKeyMultibase}` : institutionDid;
}

async function fromStored(institutionDid: string, stored: StoredP256Key): Promise<EcdsaIdentity> {
  const did = ecdsaDidFor(institutionDid, stored.publicKeyMultibase);
  const keyId = `${did}#${stored.publicKeyMultibase}`;
  const keyPair = await EcdsaMultikey.from({
    '@context': MULTIKEY_V1_CONTEXT,
    type: 'Multikey',
    id: keyId,
    controller: did,
    publicKeyMultibase: stored.publicKeyMultibase,
    secretKeyMultibase: stored.secretKeyMultibase,
  });
  return { did, keyId, keyPair };
}

/**
 * Loads the P-256 key, or generates and stores it (synchronously written) the
 * first time: data directories made before ECDSA support gain one on start.
 */
export async function loadOrCreateEcdsaIdentity(database: Database, institutionDid: string): Promise<EcdsaIdentity> {
  const stored = (await database.keys.get(STORE_KEY)) as StoredP256Key | undefined;
  if (stored) return fromStored(institutionDid, stored);
  const generated = await EcdsaMultikey.generate({ curve: 'P-256' });
  const exported = await generated.export({ publicKey: true, secretKey: true });
  const key: StoredP256Key = {
    publicKeyMultibase: exported.publicKeyMultibase,
    secretKeyMultibase: exported.secretKeyMultibase,
  };
  await database.db.batch([{ type: 'put', sublevel: database.keys, key: STORE_KEY, value: key }] as never, {
    sync: true,
  });
  return fromStored(institutionDid, key);
}

/** The P-256 verification method as a did:web document lists it (no secret). */
export function ecdsaVerificationMethod(identity: EcdsaIdentity): Record<string, string> {
  return {
    id: identity.keyId,
    type: 'Multikey',
    controller: identity.did,
    publicKeyMultibase: identity.keyPair.publicKeyMultibase,
  };
}
