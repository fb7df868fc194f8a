/**
 * The node's identity: its institution DID and signing key, its libp2p peer
 * key, and the admin token (stored only as a SHA-256 hash). Created once, on
 * first start, in one atomic batch; loaded from the store afterwards.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MultikeyKeyPair } from '@digitalbazaar/ed25519-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT } from '../protocol/signing/contexts.ts';
import { type EcdsaIdentity, ecdsaVerificationMethod, loadOrCreateEcdsaIdentity } from './ecdsa-identity.ts';
import { NodeError } from './errors.ts';
import type { Database } from './storage/database.ts';

export interface Identity {
  did: string;
  /** The verification method URL proofs name. */
  keyId: string;
  keyPair: MultikeyKeyPair;
  peerKey: PrivateKey;
  /** The P-256 key for the ECDSA suites (decision 0021). */
  ecdsa: EcdsaIdentity;
  /** The admin token's SHA-256, to compare presented tokens against. */
  adminTokenHash: Buffer;
}

interface StoredInstitutionKey {
  did: string;
  keyId: string;
  publicKeyMultibase: string;
  secretKeyMultibase: string;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time comparison of a presented token with the stored hash. */
export function tokenMatches(token: string, hash: Buffer): boolean {
  return timingSafeEqual(hashToken(token), hash);
}

/**
 * did:web for `HOST[:PORT][/PATH]` (did:web spec §3.1: the port's colon is
 * percent-encoded, path segments become colon-separated).
 */
export function didWebFor(location: string): string {
  const [hostPort, ...path] = location
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '')
    .split('/');
  if (!hostPort || !/^[a-zA-Z0-9.-]+(:\d{1,5})?$/.test(hostPort) || path.some((s) => !/^[\w.~-]+$/.test(s))) {
    throw new NodeError('CONFIG_INVALID', `not a did:web location (HOST[:PORT][/PATH]): ${location}`);
  }
  return ['did:web', hostPort.replace(':', '%3A'), ...path].join(':');
}

async function keyPairFrom(stored: StoredInstitutionKey): Promise<MultikeyKeyPair> {
  return Ed25519Multikey.from({
    '@context': MULTIKEY_V1_CONTEXT,
    type: 'Multikey',
    id: stored.keyId,
    controller: stored.did,
    publicKeyMultibase: stored.publicKeyMultibase,
    secretKeyMultibase: stored.secretKeyMultibase,
  });
}

export interface InitResult {
  identity: Identity;
  created: boolean;
  /** Only when created (or when a token was given): shown once, never stored in clear. */
  adminToken?: string;
}

/**
 * Loads the identity, or creates it if the store has none. `adminToken`, when
 * given, replaces the stored token hash (so operators can rotate it).
 */
export async function loadOrCreateIdentity(
  database: Database,
  options: { didWeb?: string; adminToken?: string } = {},
): Promise<InitResult> {
  const stored = (await database.keys.get('institution')) as StoredInstitutionKey | undefined;
  const storedPeer = (await database.keys.get('libp2p')) as string | undefined;
  const storedHash = (await database.meta.get('adminTokenHash')) as string | undefined;
  if ((stored || storedPeer || storedHash) && !(stored && storedPeer && storedHash)) {
    // Part of an identity: damage, not a first start. Generating keys now would replace the institution.
    throw new NodeError(
      'IDENTITY_MISSING',
      `the stored identity is incomplete (${[!stored && 'institution key', !storedPeer && 'libp2p key', !storedHash && 'admin token hash'].filter(Boolean).join(', ')} missing); refusing to create a new one`,
    );
  }
  if (stored && storedPeer && storedHash) {
    let adminTokenHash: Buffer = Buffer.from(storedHash, 'base64url');
    if (options.adminToken) {
      adminTokenHash = hashToken(options.adminToken);
      await database.db.batch(
        [
          { type: 'put', sublevel: database.meta, key: 'adminTokenHash', value: adminTokenHash.toString('base64url') },
        ] as never,
        { sync: true },
      );
    }
    return {
      created: false,
      identity: {
        did: stored.did,
        keyId: stored.keyId,
        keyPair: await keyPairFrom(stored),
        peerKey: privateKeyFromProtobuf(Buffer.from(storedPeer, 'base64url')),
        ecdsa: await loadOrCreateEcdsaIdentity(database, stored.did),
        adminTokenHash,
      },
    };
  }
  const generated = await Ed25519Multikey.generate();
  const exported = await generated.export({ publicKey: true, secretKey: true });
  const did = options.didWeb ? didWebFor(options.didWeb) : `did:key:${exported.publicKeyMultibase}`;
  const institution: StoredInstitutionKey = {
    did,
    keyId: `${did}#${exported.publicKeyMultibase}`,
    publicKeyMultibase: exported.publicKeyMultibase,
    secretKeyMultibase: exported.secretKeyMultibase,
  };
  const peerKey = await generateKeyPair('Ed25519');
  const adminToken = options.adminToken ?? randomBytes(32).toString('base64url');
  const adminTokenHash = hashToken(adminToken);
  await database.db.batch(
    [
      { type: 'put', sublevel: database.keys, key: 'institution', value: institution },
      {
        type: 'put',
        sublevel: database.keys,
        key: 'libp2p',
        value: Buffer.from(privateKeyToProtobuf(peerKey)).toString('base64url'),
      },
      { type: 'put', sublevel: database.meta, key: 'adminTokenHash', value: adminTokenHash.toString('base64url') },
    ] as never,
    { sync: true },
  );
  return {
    created: true,
    adminToken,
    identity: {
      did,
      keyId: institution.keyId,
      keyPair: await keyPairFrom(institution),
      peerKey,
      ecdsa: await loadOrCreateEcdsaIdentity(database, did),
      adminTokenHash,
    },
  };
}

/** The node's own DID document (served at /.well-known/did.json for did:web). */
export function didDocumentOf(identity: Identity): Record<string, unknown> {
  const method = {
    id: identity.keyId,
    type: 'Multikey',
    controller: identity.did,
    publicKeyMultibase: identity.keyPair.publicKeyMultibase,
  };
  // A did:web lists its P-256 key too, for assertions only (decision 0021); a did:key document is fixed by its key.
  const ecdsa = identity.ecdsa.did === identity.did ? [ecdsaVerificationMethod(identity.ecdsa)] : [];
  return {
    '@context': [DID_V1_CONTEXT, MULTIKEY_V1_CONTEXT],
    id: identity.did,
    verificationMethod: [method, ...ecdsa],
    assertionMethod: [identity.keyId, ...ecdsa.map((m) => m.id)],
    authentication: [identity.keyId],
  };
}
