/**
 * Decoded status-list bitstrings, remembered by the encoded list itself (the `encodedList` text), so that a list
 * verified once per version is not base64-decoded and gunzipped again for every credential checked against it:
 * under bench:verify that was ~6% of the main thread's time (decision 0046). Keyed by content, so a changed list is
 * a new key and can never be answered from an older one; bounded by entries and by decoded bytes, least recently
 * used out. A failure to decode is not remembered (it throws, as `decodeBitstring` does).
 */
import { decodeBitstring } from '../../registry/status/bitstring.ts';

export interface BitstringCacheOptions {
  /** Most lists remembered (default 1,000). */
  maxEntries?: number;
  /** Most decoded bytes remembered (default 32 MiB: 2,000 lists of the spec's 131,072 entries). */
  maxBytes?: number;
}

export interface BitstringCache {
  /** `decodeBitstring`, answered from memory when this encoded list was decoded before. Callers must not write to it. */
  decode(encodedList: string): Uint8Array;
  /** Lists and decoded bytes held (for tests and operators). */
  size(): { entries: number; bytes: number };
}

export function createBitstringCache(options: BitstringCacheOptions = {}): BitstringCache {
  const maxEntries = options.maxEntries ?? 1_000;
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  const decoded = new Map<string, Uint8Array>();
  let bytes = 0;
  return {
    decode(encodedList) {
      const hit = decoded.get(encodedList);
      if (hit) {
        decoded.delete(encodedList);
        decoded.set(encodedList, hit);
        return hit;
      }
      const bits = decodeBitstring(encodedList);
      // A list larger than the whole budget is decoded each time rather than emptying the cache for it.
      if (bits.byteLength > maxBytes) return bits;
      while (decoded.size > 0 && (decoded.size >= maxEntries || bytes + bits.byteLength > maxBytes)) {
        const [oldest, value] = decoded.entries().next().value as [string, Uint8Array];
        decoded.delete(oldest);
        bytes -= value.byteLength;
      }
      decoded.set(encodedList, bits);
      bytes += bits.byteLength;
      return bits;
    },
    size() {
      return { entries: decoded.size, bytes };
    },
  };
}
