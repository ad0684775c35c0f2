/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, RFC 1952) as used by
 * the EVTX file header, chunk header and event-records checksums.
 *
 * Owns only the checksum arithmetic; callers decide which byte ranges count.
 * Every chunk's record area is checksummed, so this is on the hot path:
 * Node's native zlib.crc32 (Node >= 20.15, and Electron's Node) is used when
 * present, a slicing-by-8 table version otherwise.
 */

import * as zlib from 'node:zlib';

const nativeCrc32: ((data: Uint8Array, value?: number) => number) | undefined =
  typeof zlib.crc32 === 'function' ? zlib.crc32 : undefined;

const TABLES: Uint32Array[] = (() => {
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c >>> 0;
  }
  const tables = [t0];
  for (let k = 1; k < 8; k++) {
    const prev = tables[k - 1]!;
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) t[n] = (prev[n]! >>> 8) ^ t0[prev[n]! & 0xff]!;
    tables.push(t);
  }
  return tables;
})();
const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
];

/** Table-driven CRC; exported so tests can hold it to the native one. */
export function crc32Js(crc: number, buf: Uint8Array, start = 0, end = buf.length): number {
  let c = ~crc >>> 0;
  let i = start;
  for (const last8 = end - 8; i <= last8; i += 8) {
    const a = c ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
    c =
      T7[a & 0xff]! ^
      T6[(a >>> 8) & 0xff]! ^
      T5[(a >>> 16) & 0xff]! ^
      T4[a >>> 24]! ^
      T3[buf[i + 4]!]! ^
      T2[buf[i + 5]!]! ^
      T1[buf[i + 6]!]! ^
      T0[buf[i + 7]!]!;
  }
  for (; i < end; i++) c = T0[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * Continue a CRC over `buf[start, end)`. Pass the previous return value as
 * `crc` to checksum several discontiguous ranges as one stream (the chunk
 * header checksum skips bytes 120..127).
 */
export function crc32Update(crc: number, buf: Uint8Array, start = 0, end = buf.length): number {
  if (nativeCrc32 !== undefined) return nativeCrc32(buf.subarray(start, end), crc) >>> 0;
  return crc32Js(crc, buf, start, end);
}

export function crc32(buf: Uint8Array, start = 0, end = buf.length): number {
  return crc32Update(0, buf, start, end);
}
