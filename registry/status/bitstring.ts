/**
 * The Bitstring Status List encoding (W3C Bitstring Status List v1.0 §3.1-3.2):
 * a bitstring of at least 131,072 bits, index 0 the left-most bit of the first
 * byte, GZIP-compressed, then multibase base64url without padding ('u' prefix).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { RegistryError } from '../errors.ts';

/** Entries per list: the spec's minimum, which gives issued credentials herd privacy. */
export const STATUS_LIST_LENGTH = 131_072;

/** Largest list this node will decode (16 MiB of bits), to bound a gzip bomb. */
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

export function createBitstring(length = STATUS_LIST_LENGTH): Uint8Array {
  return new Uint8Array(Math.ceil(length / 8));
}

export function getBit(bits: Uint8Array, index: number): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) {
    throw new RegistryError('STATUS_INDEX_OUT_OF_RANGE', `status index ${index} is outside the list`);
  }
  return (bits[index >> 3] & (0x80 >> (index & 7))) !== 0;
}

/** Returns a copy with bit `index` set to `value`. */
export function withBit(bits: Uint8Array, index: number, value: boolean): Uint8Array {
  getBit(bits, index);
  const copy = new Uint8Array(bits);
  const mask = 0x80 >> (index & 7);
  copy[index >> 3] = value ? copy[index >> 3] | mask : copy[index >> 3] & ~mask;
  return copy;
}

export function encodeBitstring(bits: Uint8Array): string {
  return `u${Buffer.from(gzipSync(bits)).toString('base64url')}`;
}

export function decodeBitstring(encodedList: string): Uint8Array {
  if (typeof encodedList !== 'string' || !encodedList.startsWith('u')) {
    throw new RegistryError('STATUS_LIST_INVALID', 'encodedList must be multibase base64url (u…)');
  }
  try {
    const decoded = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'), { maxOutputLength: MAX_DECODED_BYTES });
    return new Uint8Array(decoded);
  } catch (error) {
    throw new RegistryError('STATUS_LIST_INVALID', `encodedList does not decode: ${(error as Error).message}`);
  }
}

/**
 * The `size`-bit status value of entry `index` (Bitstring Status List §3.2: entry i occupies bits
 * i·size … i·size+size−1, the first the most significant).
 */
export function getStatusValue(bits: Uint8Array, index: number, size = 1): number {
  let value = 0;
  for (let bit = 0; bit < size; bit++) value = (value << 1) | (getBit(bits, index * size + bit) ? 1 : 0);
  return value;
}

/** Returns a copy with entry `index` (of `size` bits) set to `value`. */
export function withStatusValue(bits: Uint8Array, index: number, size: number, value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** size) {
    throw new RegistryError('STATUS_INDEX_OUT_OF_RANGE', `status value ${value} does not fit in ${size} bits`);
  }
  let copy = bits;
  for (let bit = 0; bit < size; bit++) {
    copy = withBit(copy, index * size + bit, ((value >> (size - 1 - bit)) & 1) === 1);
  }
  return copy === bits ? new Uint8Array(bits) : copy;
}
