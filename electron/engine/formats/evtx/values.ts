/**
 * BinXML value types ([MS-EVEN6] 2.2.8 / libyal "Value types") and their
 * text rendering.
 *
 * Owns: turning the bytes of one substitution value (or value-text token)
 * into the string Event Viewer would show, and splitting array values into
 * their items. Rendering rules, chosen to match Event Viewer / `wevtutil qe
 * /f:xml` rather than any one third-party dumper:
 *  - signed / unsigned integers: decimal, exact over the full 64 bits;
 *  - HexInt32, HexInt64, SizeT (win:Pointer): `0x` + lowercase hex, no zero
 *    padding (Windows prints `0x3e7`, `0x8020000000000000`);
 *  - Boolean: `true` / `false` (any non-zero value is true);
 *  - Binary: uppercase hex, no separators;
 *  - GUID: `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` uppercase;
 *  - SID: `S-R-I-S1-S2...`; an identifier authority >= 2^32 is written in hex
 *    (`0x...`) as ConvertSidToStringSid does;
 *  - FILETIME and SYSTEMTIME: ISO 8601 UTC with exactly 7 fractional digits
 *    (the 100 ns resolution of FILETIME; SYSTEMTIME milliseconds are padded);
 *  - Real32 / Real64: shortest decimal that round-trips the stored width;
 *  - UTF-16 and ANSI strings: trailing NULs are dropped (writers include the
 *    terminator in the value size), embedded NULs are kept;
 *  - ANSI strings are decoded as windows-1252 (the code page is not recorded);
 *  - UTF-16 is decoded code unit by code unit: unpaired surrogates survive.
 */

import { Buffer } from 'node:buffer';

export const VT_NULL = 0x00;
export const VT_STRING = 0x01;
export const VT_ANSI_STRING = 0x02;
export const VT_INT8 = 0x03;
export const VT_UINT8 = 0x04;
export const VT_INT16 = 0x05;
export const VT_UINT16 = 0x06;
export const VT_INT32 = 0x07;
export const VT_UINT32 = 0x08;
export const VT_INT64 = 0x09;
export const VT_UINT64 = 0x0a;
export const VT_REAL32 = 0x0b;
export const VT_REAL64 = 0x0c;
export const VT_BOOL = 0x0d;
export const VT_BINARY = 0x0e;
export const VT_GUID = 0x0f;
export const VT_SIZET = 0x10;
export const VT_FILETIME = 0x11;
export const VT_SYSTEMTIME = 0x12;
export const VT_SID = 0x13;
export const VT_HEXINT32 = 0x14;
export const VT_HEXINT64 = 0x15;
export const VT_EVT_HANDLE = 0x20;
export const VT_BINXML = 0x21;
export const VT_EVT_XML = 0x23;
export const VT_ARRAY = 0x80;

/** Raised for a value whose bytes cannot hold its declared type. */
export class EvtxValueError extends Error {
  override name = 'EvtxValueError';
}

const ansi = new TextDecoder('windows-1252');

/**
 * Decode `count` UTF-16LE code units at `off`, keeping unpaired surrogates
 * as they are (TextDecoder would replace them with U+FFFD, which alters
 * evidence). Short strings dominate (names, numbers as text) and are built
 * from char codes; long ones go through Buffer's ucs2 decoder.
 */
export function readUtf16(buf: Uint8Array, off: number, count: number): string {
  if (count > 48) return Buffer.from(buf.buffer, buf.byteOffset + off, count * 2).toString('utf16le');
  const codes: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) codes[i] = buf[off + 2 * i]! | (buf[off + 2 * i + 1]! << 8);
  return String.fromCharCode.apply(null, codes);
}

function stripTrailingNuls(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
  return end === s.length ? s : s.slice(0, end);
}

const HEX_UPPER: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

function hexUpper(buf: Uint8Array, off: number, len: number): string {
  const parts = new Array<string>(len);
  for (let i = 0; i < len; i++) parts[i] = HEX_UPPER[buf[off + i]!]!;
  return parts.join('');
}

/** Little-endian unsigned integer of 1..8 bytes as BigInt. */
function readUBig(buf: Uint8Array, off: number, len: number): bigint {
  let v = 0n;
  for (let i = len - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[off + i]!);
  return v;
}

function u16(buf: Uint8Array, off: number): number {
  return buf[off]! | (buf[off + 1]! << 8);
}

function u32(buf: Uint8Array, off: number): number {
  return (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
}

/**
 * Decimal and hex text of small non-negative integers, filled on first use:
 * event ids, levels, tasks, process and thread ids, access masks and logon
 * ids repeat across records, and number-to-string is costly per value.
 */
const SMALL = 65536;
const decimalCache: Array<string | undefined> = new Array<string | undefined>(SMALL);
const hexCache: Array<string | undefined> = new Array<string | undefined>(SMALL);

function decimal(n: number): string {
  if (n >= 0 && n < SMALL) return (decimalCache[n] ??= String(n));
  return String(n);
}

/** `0x` + lowercase hex of a value below SMALL. */
function hexSmall(n: number): string {
  return (hexCache[n] ??= '0x' + n.toString(16));
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

const D2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

/**
 * FILETIME (100 ns ticks since 1601-01-01 UTC, as two u32 halves) as
 * `YYYY-MM-DDTHH:MM:SS.fffffffZ`. Every record carries two of these, so the
 * calendar is done in integer arithmetic rather than through Date. The tick
 * count exceeds 2^53 and is split exactly: 2^32 = 429496 * 10000 + 7296, so
 * ticks = 10000 * (hi * 429496) + (hi * 7296 + lo), every term below 2^53.
 */
export function filetimePartsToIso(hi: number, lo: number): string {
  const r = hi * 7296 + lo;
  const ms = hi * 429496 + Math.floor(r / 10000); // milliseconds since 1601
  const frac = (ms % 1000) * 10000 + (r % 10000); // 100 ns units within the second
  const secs = Math.floor(ms / 1000);
  const sod = secs % 86400;
  // Days since 1970-01-01, then civil-from-days (proleptic Gregorian).
  const z = Math.floor(secs / 86400) - 134774 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(sod / 3600);
  const minute = Math.floor((sod % 3600) / 60);
  return (
    (year >= 1000 && year <= 9999 ? String(year) : pad(year, 4)) +
    '-' + D2[month]! + '-' + D2[day]! + 'T' + D2[hour]! + ':' + D2[minute]! + ':' + D2[sod % 60]! +
    '.' + (frac >= 1000000 ? String(frac) : pad(frac, 7)) + 'Z'
  );
}

export function filetimeToIso(ticks: bigint): string {
  return filetimePartsToIso(Number(ticks >> 32n), Number(ticks & 0xffffffffn));
}

/** Unsigned 64-bit little-endian at `off` in decimal; BigInt only when above 2^53. */
function u64Decimal(buf: Uint8Array, off: number): string {
  const lo = u32(buf, off);
  const hi = u32(buf, off + 4);
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** `0x` + lowercase hex of an unsigned 32- or 64-bit little-endian value, no padding. */
function prefixedHex(buf: Uint8Array, off: number, width: 4 | 8): string {
  const lo = u32(buf, off);
  const hi = width === 8 ? u32(buf, off + 4) : 0;
  if (hi === 0) return lo < SMALL ? hexSmall(lo) : '0x' + lo.toString(16);
  return '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
}

function systemtimeToIso(buf: Uint8Array, off: number): string {
  const year = u16(buf, off);
  const month = u16(buf, off + 2);
  const day = u16(buf, off + 6);
  const hour = u16(buf, off + 8);
  const minute = u16(buf, off + 10);
  const second = u16(buf, off + 12);
  const milli = u16(buf, off + 14);
  return (
    `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}` +
    `.${pad(milli, 3)}0000Z`
  );
}

/** GUID in its mixed-endian on-disk layout, rendered `{XXXXXXXX-XXXX-...}` uppercase. */
export function guidToString(buf: Uint8Array, off: number): string {
  const h = HEX_UPPER;
  return (
    '{' + h[buf[off + 3]!]! + h[buf[off + 2]!]! + h[buf[off + 1]!]! + h[buf[off]!]! +
    '-' + h[buf[off + 5]!]! + h[buf[off + 4]!]! +
    '-' + h[buf[off + 7]!]! + h[buf[off + 6]!]! +
    '-' + h[buf[off + 8]!]! + h[buf[off + 9]!]! +
    '-' + h[buf[off + 10]!]! + h[buf[off + 11]!]! + h[buf[off + 12]!]! + h[buf[off + 13]!]! + h[buf[off + 14]!]! + h[buf[off + 15]!]! +
    '}'
  );
}

/** Returns the SID string and the number of bytes it occupies. */
function readSid(buf: Uint8Array, off: number, avail: number): [string, number] {
  if (avail < 8) throw new EvtxValueError(`SID needs at least 8 bytes, value has ${avail}`);
  const revision = buf[off]!;
  const subCount = buf[off + 1]!;
  const size = 8 + 4 * subCount;
  if (size > avail) throw new EvtxValueError(`SID with ${subCount} sub-authorities needs ${size} bytes, value has ${avail}`);
  // 48-bit big-endian identifier authority: exact in a double.
  const high = (buf[off + 2]! << 8) | buf[off + 3]!;
  const low = ((buf[off + 4]! << 24) | (buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]!) >>> 0;
  let s =
    'S-' + revision + '-' +
    (high === 0 ? String(low) : '0x' + (high * 4294967296 + low).toString(16).toUpperCase().padStart(12, '0'));
  for (let i = 0; i < subCount; i++) s += '-' + u32(buf, off + 8 + 4 * i);
  return [s, size];
}

function shortestFloat32(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let p = 1; p <= 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(v);
}

/** Byte width of one item of a fixed-size type, or 0 for variable-size types. */
export function fixedSize(type: number, len: number): number {
  switch (type) {
    case VT_INT8:
    case VT_UINT8:
      return 1;
    case VT_INT16:
    case VT_UINT16:
      return 2;
    case VT_INT32:
    case VT_UINT32:
    case VT_REAL32:
    case VT_BOOL:
    case VT_HEXINT32:
      return 4;
    case VT_INT64:
    case VT_UINT64:
    case VT_REAL64:
    case VT_FILETIME:
    case VT_HEXINT64:
      return 8;
    case VT_SIZET:
      // The pointer width of the writer is not recorded; a lone value tells
      // it by its size, an array can only be split if one width divides it.
      return len === 4 ? 4 : 8;
    case VT_GUID:
    case VT_SYSTEMTIME:
      return 16;
    default:
      return 0;
  }
}

function needSize(type: number, len: number, want: number): void {
  if (len < want) throw new EvtxValueError(`value type 0x${type.toString(16)} needs ${want} bytes, has ${len}`);
}

/**
 * Render one scalar value (not an array, not BinXML) of `type` stored in
 * `buf[off, off+len)`.
 */
export function renderScalar(type: number, buf: Uint8Array, off: number, len: number): string {
  switch (type) {
    case VT_NULL:
      return '';
    case VT_STRING: {
      // Drop the terminator(s) before decoding rather than slicing after.
      let n = len >>> 1;
      while (n > 0 && buf[off + 2 * n - 2] === 0 && buf[off + 2 * n - 1] === 0) n--;
      return readUtf16(buf, off, n);
    }
    case VT_ANSI_STRING:
      return stripTrailingNuls(ansi.decode(buf.subarray(off, off + len)));
    case VT_INT8:
      needSize(type, len, 1);
      return String((buf[off]! << 24) >> 24);
    case VT_UINT8:
      needSize(type, len, 1);
      return decimal(buf[off]!);
    case VT_INT16:
      needSize(type, len, 2);
      return String((u16(buf, off) << 16) >> 16);
    case VT_UINT16:
      needSize(type, len, 2);
      return decimal(u16(buf, off));
    case VT_INT32:
      needSize(type, len, 4);
      return decimal(u32(buf, off) | 0);
    case VT_UINT32:
      needSize(type, len, 4);
      return decimal(u32(buf, off));
    case VT_INT64:
      needSize(type, len, 8);
      if (u32(buf, off + 4) < 0x200000) return u64Decimal(buf, off);
      return BigInt.asIntN(64, readUBig(buf, off, 8)).toString();
    case VT_UINT64:
      needSize(type, len, 8);
      return u64Decimal(buf, off);
    case VT_REAL32:
      needSize(type, len, 4);
      return shortestFloat32(new DataView(buf.buffer, buf.byteOffset + off, 4).getFloat32(0, true));
    case VT_REAL64:
      needSize(type, len, 8);
      return String(new DataView(buf.buffer, buf.byteOffset + off, 8).getFloat64(0, true));
    case VT_BOOL: {
      needSize(type, len, 1);
      let any = 0;
      for (let i = 0; i < len; i++) any |= buf[off + i]!;
      return any !== 0 ? 'true' : 'false';
    }
    case VT_BINARY:
      return hexUpper(buf, off, len);
    case VT_GUID:
      needSize(type, len, 16);
      return guidToString(buf, off);
    case VT_SIZET:
    case VT_HEXINT32:
    case VT_HEXINT64: {
      const w: 4 | 8 = type === VT_HEXINT32 ? 4 : type === VT_HEXINT64 ? 8 : len === 4 ? 4 : 8;
      needSize(type, len, w);
      return prefixedHex(buf, off, w);
    }
    case VT_FILETIME:
      needSize(type, len, 8);
      return filetimePartsToIso(u32(buf, off + 4), u32(buf, off));
    case VT_SYSTEMTIME:
      needSize(type, len, 16);
      return systemtimeToIso(buf, off);
    case VT_SID:
      return readSid(buf, off, len)[0];
    case VT_EVT_HANDLE:
      return '0x' + readUBig(buf, off, Math.min(len, 8)).toString(16);
    case VT_EVT_XML:
      return stripTrailingNuls(readUtf16(buf, off, len >>> 1));
    default:
      throw new EvtxValueError(`unknown value type 0x${type.toString(16)}`);
  }
}

/**
 * Split an array value (type has the 0x80 flag) into rendered items.
 * String arrays are NUL-separated with a final terminator, so a trailing
 * empty item is the terminator, not a value.
 */
export function renderArray(type: number, buf: Uint8Array, off: number, len: number): string[] {
  const base = type & 0x7f;
  if (base === VT_STRING || base === VT_ANSI_STRING) {
    const text = base === VT_STRING ? readUtf16(buf, off, len >>> 1) : ansi.decode(buf.subarray(off, off + len));
    if (text.length === 0) return [];
    const items = text.split('\0');
    if (items.length > 1 && items[items.length - 1] === '') items.pop();
    return items;
  }
  if (base === VT_SID) {
    const out: string[] = [];
    let p = 0;
    while (p < len) {
      const [s, size] = readSid(buf, off + p, len - p);
      out.push(s);
      p += size;
    }
    return out;
  }
  const w = fixedSize(base, len);
  if (w === 0) return len === 0 ? [] : [renderScalar(base, buf, off, len)];
  if (len % w !== 0) throw new EvtxValueError(`array of type 0x${base.toString(16)}: ${len} bytes is not a multiple of ${w}`);
  const out = new Array<string>(len / w);
  for (let i = 0; i < out.length; i++) out[i] = renderScalar(base, buf, off + i * w, w);
  return out;
}

export function isArrayType(type: number): boolean {
  return (type & VT_ARRAY) !== 0;
}
