/**
 * The little Curve25519 arithmetic did:key needs, over BigInt: whether 32 bytes
 * are an Ed25519 point (did:key's `invalidPublicKey` check) and the X25519 key
 * of an Ed25519 key (its key agreement key, RFC 7748 §4.1 birational map).
 * Public keys only: nothing here touches secrets, so constant time is moot.
 */

// Reduction uses p = 2^255 − 19 (2^255 ≡ 19), a few times faster than BigInt division.
const P = 2n ** 255n - 19n;
const MASK = 2n ** 255n - 1n;
const D = 37095705934669439343138083508754565189542113879843219016388785533085940283555n;

function mod(a: bigint): bigint {
  let x = a < 0n ? (a % P) + P : a;
  while (x > MASK) x = (x & MASK) + 19n * (x >> 255n);
  return x >= P ? x - P : x;
}
function modPow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = mod(result * b);
    b = mod(b * b);
    e >>= 1n;
  }
  return result;
}
function modInverse(a: bigint): bigint {
  return modPow(a, P - 2n);
}
function littleEndian(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).reverse().toString('hex') || '0'}`);
}
function toLittleEndian(n: bigint, length: number): Uint8Array {
  return Uint8Array.from(Buffer.from(n.toString(16).padStart(length * 2, '0'), 'hex').reverse());
}
function edwardsY(raw: Uint8Array): bigint {
  const bytes = Uint8Array.from(raw);
  bytes[31] &= 0x7f;
  return littleEndian(bytes);
}
/** Whether 32 bytes encode a point on Ed25519: y < p and x² = (y² − 1) / (d·y² + 1) has a root. */
export function isEd25519Point(raw: Uint8Array): boolean {
  const y = edwardsY(raw);
  if (y >= P) return false;
  const y2 = mod(y * y);
  const u = mod(y2 - 1n);
  const v = mod(D * y2 + 1n);
  // x = 0 needs the sign bit clear; otherwise u/v must be a square, i.e. u·v is (Euler's criterion).
  if (u === 0n) return (raw[31] & 0x80) === 0;
  return modPow(u * v, (P - 1n) / 2n) === 1n;
}
/** The X25519 public key of an Ed25519 public key: u = (1 + y) / (1 − y). */
export function x25519FromEd25519(raw: Uint8Array): Uint8Array {
  const y = edwardsY(raw);
  return toLittleEndian(mod((1n + y) * modInverse(mod(1n - y))), 32);
}
