/**
 * did:key, resolved locally with no I/O, per the did:key Method specification
 * (w3c-ccg did-key-spec, "Document Creation Algorithm"): Ed25519, X25519,
 * P-256 and P-384 keys; the options `publicKeyFormat`,
 * `enableExperimentalPublicKeyTypes` and `enableEncryptionKeyDerivation`; and
 * the spec's error codes, returned as data (never thrown), so a resolver can
 * put them into its resolution metadata.
 *
 * The default document (Multikey, with the X25519 key-agreement key derived
 * from an Ed25519 key) carries the Multikey context that the eddsa
 * cryptosuites require.
 */
import { ECDH } from 'node:crypto';
import { varint } from 'multiformats';
import { base58btc } from 'multiformats/bases/base58';
import { DID_V1_CONTEXT, ED25519_2020_CONTEXT, MULTIKEY_V1_CONTEXT } from './contexts.ts';
import { isEd25519Point, x25519FromEd25519 } from './curve25519.ts';
import { isDid } from './did-url.ts';

/** The did:key spec's error codes (its "an `…` error MUST be raised" clauses). */
export type DidKeyErrorCode =
  | 'invalidDid'
  | 'invalidDidUrl'
  | 'invalidPublicKeyLength'
  | 'invalidPublicKey'
  | 'invalidPublicKeyType'
  | 'unsupportedPublicKeyType';

export interface DidKeyOptions {
  /** The verification method type to express keys as (default `Multikey`). */
  publicKeyFormat?: string;
  /** Allow formats beyond Multikey, JsonWebKey and the 2020 suites' types (default false). */
  enableExperimentalPublicKeyTypes?: boolean;
  /** Add the X25519 key-agreement key derived from an Ed25519 key (default true, as in the spec's example). */
  enableEncryptionKeyDerivation?: boolean;
}

export type DidKeyResult =
  | { document: Record<string, unknown>; error?: undefined }
  | { document?: undefined; error: DidKeyErrorCode; message: string };

interface KeyType {
  name: string;
  length: number;
  /** The JWK (`kty`, `crv`, `x`, `y`?) of the raw public key bytes; throws on a point not on the curve. */
  jwk(raw: Uint8Array): Record<string, string>;
  /** Whether the key can be used for signatures (the others only for key agreement). */
  signature: boolean;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

function ecJwk(curve: string, crv: string, size: number) {
  return (raw: Uint8Array) => {
    // convertKey decompresses the point and refuses one that is not on the curve.
    const full = ECDH.convertKey(Buffer.from(raw), curve, undefined, undefined, 'uncompressed') as Buffer;
    return { kty: 'EC', crv, x: b64url(full.subarray(1, 1 + size)), y: b64url(full.subarray(1 + size)) };
  };
}

// Multicodec table of the spec's "Signature Method Creation Algorithm".
const KEY_TYPES = new Map<number, KeyType>([
  [
    0xed,
    {
      name: 'Ed25519',
      length: 32,
      signature: true,
      jwk: (raw) => {
        if (!isEd25519Point(raw)) throw new Error('not a point on Ed25519');
        return { kty: 'OKP', crv: 'Ed25519', x: b64url(raw) };
      },
    },
  ],
  [
    0xec,
    { name: 'X25519', length: 32, signature: false, jwk: (raw) => ({ kty: 'OKP', crv: 'X25519', x: b64url(raw) }) },
  ],
  [0x1200, { name: 'P-256', length: 33, signature: true, jwk: ecJwk('prime256v1', 'P-256', 32) }],
  [0x1201, { name: 'P-384', length: 49, signature: true, jwk: ecJwk('secp384r1', 'P-384', 48) }],
]);

type Purpose = 'signature' | 'encryption';

interface Format {
  /** Key types it can express (undefined: all). */
  keys?: string[];
  purpose?: Purpose;
  experimental: boolean;
  context: string;
  encode: 'multibase' | 'jwk' | 'base58';
}

// The formats this resolver knows. Only Multikey, JsonWebKey (and its 2020 suite name) and the 2020 Ed25519/X25519
// types are allowed unless `enableExperimentalPublicKeyTypes` is set; the 2018/2019 types are the experimental ones.
const FORMATS = new Map<string, Format>([
  ['Multikey', { experimental: false, context: MULTIKEY_V1_CONTEXT, encode: 'multibase' }],
  ['JsonWebKey', { experimental: false, context: 'https://w3id.org/security/jwk/v1', encode: 'jwk' }],
  ['JsonWebKey2020', { experimental: false, context: 'https://w3id.org/security/suites/jws-2020/v1', encode: 'jwk' }],
  [
    'Ed25519VerificationKey2020',
    {
      keys: ['Ed25519'],
      purpose: 'signature',
      experimental: false,
      context: ED25519_2020_CONTEXT,
      encode: 'multibase',
    },
  ],
  [
    'X25519KeyAgreementKey2020',
    {
      keys: ['X25519'],
      purpose: 'encryption',
      experimental: false,
      context: 'https://w3id.org/security/suites/x25519-2020/v1',
      encode: 'multibase',
    },
  ],
  [
    'Ed25519VerificationKey2018',
    {
      keys: ['Ed25519'],
      purpose: 'signature',
      experimental: true,
      context: 'https://w3id.org/security/suites/ed25519-2018/v1',
      encode: 'base58',
    },
  ],
  [
    'X25519KeyAgreementKey2019',
    {
      keys: ['X25519'],
      purpose: 'encryption',
      experimental: true,
      context: 'https://w3id.org/security/suites/x25519-2019/v1',
      encode: 'base58',
    },
  ],
]);

// The key-agreement counterpart of a signature-only format, as did:key resolvers have long paired them.
const ENCRYPTION_FORMAT: Record<string, string> = {
  Ed25519VerificationKey2020: 'X25519KeyAgreementKey2020',
  Ed25519VerificationKey2018: 'X25519KeyAgreementKey2019',
};

class DidKeyFailure extends Error {
  constructor(
    readonly code: DidKeyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function multibaseOf(codec: number, raw: Uint8Array): string {
  const header = varint.encodeTo(codec, new Uint8Array(varint.encodingLength(codec)));
  const bytes = new Uint8Array(header.length + raw.length);
  bytes.set(header);
  bytes.set(raw, header.length);
  return base58btc.encode(bytes);
}

// The spec's "Decode Public Key Algorithm", with the key length and point checks of "Signature Method Creation".
function decodePublicKey(multibaseValue: string): { codec: number; type: KeyType; raw: Uint8Array } {
  let bytes: Uint8Array;
  try {
    bytes = base58btc.decode(multibaseValue);
  } catch {
    throw new DidKeyFailure('invalidDid', 'the multibase value is not base58-btc');
  }
  let codec: number;
  let headerLength: number;
  try {
    [codec, headerLength] = varint.decode(bytes);
  } catch {
    throw new DidKeyFailure('invalidDid', 'the multibase value holds no multicodec header');
  }
  const type = KEY_TYPES.get(codec);
  if (!type) throw new DidKeyFailure('invalidDid', `unsupported key type (multicodec 0x${codec.toString(16)})`);
  const raw = bytes.subarray(headerLength);
  if (raw.length !== type.length) {
    throw new DidKeyFailure(
      'invalidPublicKeyLength',
      `an ${type.name} public key has ${type.length} bytes, this one ${raw.length}`,
    );
  }
  return { codec, type, raw };
}

function verificationMethod(
  did: string,
  key: { codec: number; type: KeyType; raw: Uint8Array },
  purpose: Purpose,
  formatName: string,
  experimental: boolean,
): Record<string, unknown> {
  const multibase = multibaseOf(key.codec, key.raw);
  const format = FORMATS.get(formatName);
  if (!format) throw new DidKeyFailure('unsupportedPublicKeyType', `unknown publicKeyFormat ${formatName}`);
  if (format.experimental && !experimental) {
    throw new DidKeyFailure(
      'invalidPublicKeyType',
      `${formatName} needs enableExperimentalPublicKeyTypes; use Multikey, JsonWebKey or a 2020 type`,
    );
  }
  if ((format.keys && !format.keys.includes(key.type.name)) || (format.purpose && format.purpose !== purpose)) {
    throw new DidKeyFailure('invalidPublicKeyType', `${formatName} cannot express a ${key.type.name} ${purpose} key`);
  }
  let jwk: Record<string, string>;
  try {
    jwk = key.type.jwk(key.raw);
  } catch {
    throw new DidKeyFailure('invalidPublicKey', `the ${key.type.name} public key is not a valid point`);
  }
  const method: Record<string, unknown> = { id: `${did}#${multibase}`, type: formatName, controller: did };
  if (format.encode === 'multibase') method.publicKeyMultibase = multibase;
  else if (format.encode === 'jwk') method.publicKeyJwk = jwk;
  else method.publicKeyBase58 = base58btc.baseEncode(key.raw);
  return method;
}

/** The spec's "Document Creation Algorithm"; failures are returned with the spec's error code. */
export function createDidKeyDocument(did: string, options: DidKeyOptions = {}): DidKeyResult {
  try {
    const parts = did.split(':');
    if (parts.length < 3 || parts.length > 4 || parts[0] !== 'did' || parts[1] !== 'key') {
      throw new DidKeyFailure('invalidDid', 'a did:key is did:key:[version:]multibaseValue');
    }
    const version = parts.length === 4 ? parts[2] : '1';
    const multibaseValue = parts[parts.length - 1];
    if (!/^[0-9]+$/.test(version) || Number(version) < 1) {
      throw new DidKeyFailure('invalidDid', `the version must be a positive integer, not ${version}`);
    }
    if (!multibaseValue.startsWith('z')) throw new DidKeyFailure('invalidDid', 'the multibase value must start with z');
    if (!isDid(did)) throw new DidKeyFailure('invalidDid', 'not a conformant DID');
    const key = decodePublicKey(multibaseValue);
    const format = options.publicKeyFormat ?? 'Multikey';
    const experimental = options.enableExperimentalPublicKeyTypes ?? false;
    const methods: Record<string, unknown>[] = [];
    const document: Record<string, unknown> = { '@context': [DID_V1_CONTEXT], id: did };
    if (key.type.signature) {
      const signing = verificationMethod(did, key, 'signature', format, experimental);
      methods.push(signing);
      document.verificationMethod = methods;
      for (const relationship of [
        'authentication',
        'assertionMethod',
        'capabilityDelegation',
        'capabilityInvocation',
      ]) {
        document[relationship] = [signing.id];
      }
    }
    const encryptionKey =
      key.type.name === 'X25519'
        ? key
        : key.type.name === 'Ed25519' && (options.enableEncryptionKeyDerivation ?? true)
          ? { codec: 0xec, type: KEY_TYPES.get(0xec)!, raw: x25519FromEd25519(key.raw) }
          : undefined;
    if (encryptionKey) {
      const agreement = verificationMethod(
        did,
        encryptionKey,
        'encryption',
        ENCRYPTION_FORMAT[format] ?? format,
        experimental,
      );
      methods.push(agreement);
      document.verificationMethod = methods;
      document.keyAgreement = [agreement.id];
    }
    // The spec's "Context Creation Algorithm": the default context plus one per verification method type.
    const contexts = new Set<string>([DID_V1_CONTEXT]);
    for (const m of methods) contexts.add(FORMATS.get(m.type as string)!.context);
    document['@context'] = [...contexts];
    return { document };
  } catch (error) {
    if (error instanceof DidKeyFailure) return { error: error.code, message: error.message };
    throw error;
  }
}

// A did:key document is a pure function of the DID and options; building one derives a key-agreement key
// (big-integer arithmetic): worth keeping for the default options, which proof verification uses. Bounded:
// any 32 bytes make a did:key, so anonymous requests can fill this; at ~1.3 KiB an entry, 10,000 entries kept
// ~13 MB after a fuzz run, 1,000 keep the issuers in use.
export const MAX_CACHED_DID_KEY_DOCUMENTS = 1_000;
const MAX_CACHED = MAX_CACHED_DID_KEY_DOCUMENTS;
const documents = new Map<string, DidKeyResult>();

/** createDidKeyDocument, memoized for the default options (callers must not mutate the result). */
export function resolveDidKeyDocument(did: string, options?: DidKeyOptions): DidKeyResult {
  if (options && Object.values(options).some((v) => v !== undefined)) return createDidKeyDocument(did, options);
  const held = documents.get(did);
  if (held) return held;
  const result = createDidKeyDocument(did);
  // Failures are not kept: a stream of invalid DIDs would otherwise push the valid ones out.
  if (result.error) return result;
  if (documents.size >= MAX_CACHED) documents.delete(documents.keys().next().value as string);
  documents.set(did, result);
  return result;
}
