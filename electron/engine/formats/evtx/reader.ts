/**
 * EVTX container: the 4 KiB file header, 64 KiB chunks, event records, and
 * the public reader API (`parseEvtxFileHeader`, `parseEvtxChunk`, `readEvtx`).
 *
 * Owns the integrity checks and the damage policy. An auditor must never
 * lose a record silently, so:
 *  - nothing here throws for bad chunk or record data; each problem becomes
 *    an `EvtxDamage` item whose reason names what was wrong and the file
 *    offset, and every record that can still be decoded is returned;
 *  - a checksum mismatch (chunk header CRC over bytes 0..119 + 128..511,
 *    event-records CRC over 512..free-space offset) is reported as damage
 *    and the chunk's records are still decoded and returned;
 *  - a record whose trailing size copy disagrees with its header size is
 *    reported as damage; if its BinXML still decodes the record is returned
 *    too (so a damage item can accompany a readable record);
 *  - an impossible record size, or a missing record signature, is damage;
 *    the reader then scans forward for the next valid record signature
 *    (signature, plausible size, matching trailer) and carries on from there;
 *  - a chunk header that was not updated before the writer stopped (a dirty
 *    file) can understate the chunk's free-space offset: records that follow
 *    it contiguously (valid signature, size and trailer, and the next record
 *    number, or the header's first number if none was read yet) are still
 *    read; other bytes past the free-space offset are slack (old data that
 *    exported logs are full of) and are not read;
 *  - zero fill up to the free-space offset is not damage (some writers set
 *    it to the chunk end);
 *  - record numbers the chunk header declares (first..last) that appear in
 *    no record frame, read or damaged, are reported as damage: a record that
 *    vanished entirely (e.g. zeroed) is still named;
 *  - `readEvtx` reads every chunk slot in the file that carries the chunk
 *    signature, including those past the header's last-chunk number (where a
 *    dirty file keeps its newest records); all-zero (pre-allocated) slots are
 *    skipped silently, any other slot is reported as damage.
 * File-level damage (bad header checksum, file shorter than its header
 * block) is reported with chunkIndex -1. A damage item's fileOffset points at
 * the structure concerned (a checksum's stored value, the record start).
 */

import { Buffer } from 'node:buffer';
import { BinXmlError, ChunkBinXml } from './binxml.js';
import { crc32, crc32Update } from './crc32.js';
import { RecordBuilder, type EvtxSystem } from './render.js';
import { filetimePartsToIso } from './values.js';

export type { EvtxSystem } from './render.js';

export const EVTX_FILE_MAGIC = 'ElfFile\0' as const;
export const EVTX_CHUNK_MAGIC = 'ElfChnk\0' as const;
export const EVTX_CHUNK_SIZE = 65536;
export const EVTX_FILE_HEADER_SIZE = 4096;
/** Chunk header (including string and template offset tables) ends here. */
export const EVTX_CHUNK_HEADER_SIZE = 512;
const RECORD_MAGIC = 0x00002a2a;
const RECORD_HEADER_SIZE = 24;
/** Header, at least one BinXML byte, trailing size copy. */
const MIN_RECORD_SIZE = RECORD_HEADER_SIZE + 1 + 4;

export class EvtxFormatError extends Error {
  override name = 'EvtxFormatError';
}

export interface EvtxFileHeader {
  firstChunk: bigint;
  lastChunk: bigint;
  nextRecordId: bigint;
  headerSize: number;
  minorVersion: number;
  majorVersion: number;
  chunkCount: number;
  flags: number;
  dirty: boolean;
  full: boolean;
  checksumOk: boolean;
}

export interface EvtxRecord {
  kind: 'record';
  chunkIndex: number;
  fileOffset: number;
  /** Record number from the record header (restarts per file; not System/EventRecordID). */
  recordId: bigint;
  /** Record header FILETIME, null when zero. */
  headerTime: string | null;
  system: EvtxSystem;
  /** Flattened EventData/UserData (see render.ts for the rule); inherits no keys. */
  eventData: Record<string, string>;
  xml: string;
}

export interface EvtxDamage {
  kind: 'damage';
  chunkIndex: number;
  fileOffset: number;
  recordId: bigint | null;
  reason: string;
}

function hex(n: number): string {
  return '0x' + n.toString(16);
}

function dv(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

function hasMagic(buf: Uint8Array, magic: string, at = 0): boolean {
  if (buf.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (buf[at + i] !== magic.charCodeAt(i)) return false;
  return true;
}

/** Why bytes starting `buf` are not an EVTX file: the signature found instead of "ElfFile\\0". */
export function notEvtxSignature(buf: Uint8Array): string {
  const got = Array.from(buf.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `not an EVTX file: expected signature "ElfFile\\0" at offset 0, found bytes ${got}`;
}

export function parseEvtxFileHeader(buf: Uint8Array): EvtxFileHeader {
  if (buf.length < 128) throw new EvtxFormatError(`not an EVTX file: ${buf.length} bytes is shorter than the 128-byte file header`);
  if (!hasMagic(buf, EVTX_FILE_MAGIC)) throw new EvtxFormatError(notEvtxSignature(buf));
  const v = dv(buf);
  const flags = v.getUint32(120, true);
  return {
    firstChunk: v.getBigUint64(8, true),
    lastChunk: v.getBigUint64(16, true),
    nextRecordId: v.getBigUint64(24, true),
    headerSize: v.getUint32(32, true),
    minorVersion: v.getUint16(36, true),
    majorVersion: v.getUint16(38, true),
    chunkCount: v.getUint16(42, true),
    flags,
    dirty: (flags & 0x1) !== 0,
    full: (flags & 0x2) !== 0,
    checksumOk: crc32(buf, 0, 120) === v.getUint32(124, true),
  };
}

interface RecordFrame {
  ok: boolean;
  size: number;
  recordId: bigint;
  problem: string | null;
}

/** Checks signature, size bounds and trailer of a record at chunk offset `off`. */
function frameAt(chunk: Uint8Array, view: DataView, off: number, limit: number): RecordFrame {
  if (off + RECORD_HEADER_SIZE > chunk.length) {
    return { ok: false, size: 0, recordId: 0n, problem: `only ${chunk.length - off} bytes left for a record header` };
  }
  if (view.getUint32(off, true) !== RECORD_MAGIC) {
    return { ok: false, size: 0, recordId: 0n, problem: `no record signature "**\\0\\0"` };
  }
  const size = view.getUint32(off + 4, true);
  const recordId = view.getBigUint64(off + 8, true);
  if (size < MIN_RECORD_SIZE || off + size > EVTX_CHUNK_SIZE) {
    return { ok: false, size, recordId, problem: `impossible record size ${size}` };
  }
  if (off + size > limit) {
    return {
      ok: false,
      size,
      recordId,
      problem: `record size ${size} runs past the end of the chunk data (${limit - off} bytes available)`,
    };
  }
  const trailer = view.getUint32(off + size - 4, true);
  if (trailer !== size) {
    return { ok: false, size, recordId, problem: `record size ${size} in header but ${trailer} in trailer` };
  }
  return { ok: true, size, recordId, problem: null };
}

/** Next offset after `from` (exclusive) where a complete, consistent record frame starts, or -1. */
function resync(chunk: Uint8Array, view: DataView, from: number, limit: number): number {
  for (let p = from + 1; p + RECORD_HEADER_SIZE <= limit; p++) {
    if (chunk[p] !== 0x2a || chunk[p + 1] !== 0x2a || chunk[p + 2] !== 0 || chunk[p + 3] !== 0) continue;
    if (frameAt(chunk, view, p, limit).ok) return p;
  }
  return -1;
}

/**
 * Parse one 64 KiB chunk (chunkIndex counts from 0 after the 4096-byte file
 * header; fileOffset = 4096 + chunkIndex*65536). Never throws for bad data:
 * damage comes back as EvtxDamage items, and every record that can still be
 * read is returned.
 */
export function parseEvtxChunk(chunk: Uint8Array, chunkIndex: number, fileOffset: number): Array<EvtxRecord | EvtxDamage> {
  const out: Array<EvtxRecord | EvtxDamage> = [];
  const damage = (at: number, recordId: bigint | null, reason: string): void => {
    out.push({ kind: 'damage', chunkIndex, fileOffset: fileOffset + at, recordId, reason });
  };
  const where = (at: number): string => `file offset ${hex(fileOffset + at)} (chunk ${chunkIndex} offset ${hex(at)})`;

  if (!hasMagic(chunk, EVTX_CHUNK_MAGIC)) {
    const got = Array.from(chunk.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    damage(0, null, `bad chunk signature at ${where(0)}: expected "ElfChnk\\0", found bytes ${got}; chunk skipped`);
    return out;
  }
  if (chunk.length < EVTX_CHUNK_HEADER_SIZE) {
    damage(0, null, `chunk at ${where(0)} is truncated to ${chunk.length} bytes, shorter than its 512-byte header; chunk skipped`);
    return out;
  }
  const view = dv(chunk);
  if (chunk.length < EVTX_CHUNK_SIZE) {
    damage(0, null, `chunk at ${where(0)} is truncated: ${chunk.length} of ${EVTX_CHUNK_SIZE} bytes present`);
  }

  const storedHeaderCrc = view.getUint32(124, true);
  const headerCrc = crc32Update(crc32(chunk, 0, 120), chunk, 128, EVTX_CHUNK_HEADER_SIZE);
  if (headerCrc !== storedHeaderCrc) {
    damage(124, null, `chunk header checksum mismatch at ${where(124)}: stored ${hex(storedHeaderCrc)}, computed ${hex(headerCrc)}`);
  }

  const freeSpace = view.getUint32(48, true);
  let limit = chunk.length;
  if (freeSpace < EVTX_CHUNK_HEADER_SIZE || freeSpace > EVTX_CHUNK_SIZE) {
    damage(48, null, `chunk free-space offset ${hex(freeSpace)} at ${where(48)} is outside 0x200..0x10000; scanning the whole chunk`);
  } else if (freeSpace > chunk.length) {
    // Truncation already reported above; the checksum cannot be verified.
  } else {
    limit = freeSpace;
    const storedDataCrc = view.getUint32(52, true);
    const dataCrc = crc32(chunk, EVTX_CHUNK_HEADER_SIZE, freeSpace);
    if (dataCrc !== storedDataCrc) {
      damage(52, null, `event records checksum mismatch at ${where(52)} over ${hex(EVTX_CHUNK_HEADER_SIZE)}..${hex(freeSpace)}: stored ${hex(storedDataCrc)}, computed ${hex(dataCrc)}`);
    }
  }

  const firstNumber = view.getBigUint64(8, true);
  const lastNumber = view.getBigUint64(16, true);
  const bx = new ChunkBinXml(chunk);
  const builder = new RecordBuilder();
  const decode = (at: number, size: number): void => {
    const rec = decodeRecord(view, bx, builder, at, size, chunkIndex, fileOffset, damage, where);
    if (rec) out.push(rec);
  };
  let off = EVTX_CHUNK_HEADER_SIZE;
  let lastRecordId: bigint | null = null;
  // Record numbers met in any frame (decoded or damaged), to check the
  // chunk header's declared range for records that vanished entirely.
  const seen = new Set<bigint>();
  while (off + RECORD_HEADER_SIZE <= chunk.length) {
    // Frames are checked against the physical chunk end, not the declared
    // free-space offset, so a record that straddles a lagging header is kept.
    const frame = frameAt(chunk, view, off, chunk.length);
    if (off >= limit) {
      // Past the declared end only a contiguous continuation of the record
      // sequence counts (a dirty chunk whose header lags behind its data,
      // possibly not updated since the chunk was started); anything else
      // there is slack space, which exported logs are full of.
      const expected: bigint = lastRecordId !== null ? lastRecordId + 1n : firstNumber;
      if (!frame.ok || frame.recordId !== expected) break;
    }
    if (frame.recordId !== 0n || frame.size > 0) seen.add(frame.recordId);
    if (frame.ok) {
      decode(off, frame.size);
      lastRecordId = frame.recordId;
      off += frame.size;
      continue;
    }

    if (isZeroRange(chunk, off, limit)) {
      // Writers may set the free-space offset to the chunk end and zero the
      // rest: nothing was lost there.
      break;
    }
    let scanFrom = off;
    if (frame.problem!.includes('in trailer')) {
      damage(off, frame.recordId, `record ${frame.recordId} at ${where(off)}: ${frame.problem}`);
      // The header size is the best boundary available: still try to decode
      // the record, and carry on after it if a record follows there.
      decode(off, frame.size);
      lastRecordId = frame.recordId;
      const after = off + frame.size;
      if (after >= limit || frameAt(chunk, view, after, chunk.length).ok) {
        off = after;
        continue;
      }
      scanFrom = after;
    }
    const next = resync(chunk, view, scanFrom, limit);
    const outcome = next < 0 ? `no further record found before ${hex(limit)}` : `skipped ${next - scanFrom} bytes to the next record at ${where(next)}`;
    if (scanFrom === off) {
      const id = frame.problem!.startsWith('impossible') || frame.problem!.startsWith('record size') ? frame.recordId : null;
      damage(off, id, `${id !== null ? `record ${id}` : 'record'} at ${where(off)}: ${frame.problem}; ${outcome}`);
    } else {
      damage(scanFrom, null, `no valid record at ${where(scanFrom)} after a damaged record; ${outcome}`);
    }
    if (next < 0) break;
    off = next;
  }

  if (seen.size > 0 || firstNumber !== 0n || lastNumber !== 0n) {
    // A chunk holds at most (65536 - 512) / 28 records; a wider range is a
    // damaged header, not a list of missing records.
    const maxRecords = BigInt(Math.floor((EVTX_CHUNK_SIZE - EVTX_CHUNK_HEADER_SIZE) / MIN_RECORD_SIZE));
    if (lastNumber + 1n === firstNumber || (lastNumber < firstNumber && seen.size === 0)) {
      // Declares no records: a chunk started but never updated (its records,
      // if any, were read above as a continuation past the free space).
    } else if (lastNumber < firstNumber || lastNumber - firstNumber >= maxRecords) {
      damage(8, null, `chunk header at ${where(8)} declares an impossible record number range ${firstNumber}..${lastNumber}`);
    } else {
      const missing: bigint[] = [];
      for (let n = firstNumber; n <= lastNumber; n++) if (!seen.has(n)) missing.push(n);
      if (missing.length > 0) {
        const list = missing.slice(0, 10).join(', ') + (missing.length > 10 ? `, ... (${missing.length} in all)` : '');
        damage(8, null, `chunk header at ${where(8)} declares records ${firstNumber}..${lastNumber} but ${missing.length} were not found: ${list}`);
      }
    }
  }
  return out;
}

function decodeRecord(
  view: DataView,
  bx: ChunkBinXml,
  builder: RecordBuilder,
  off: number,
  size: number,
  chunkIndex: number,
  fileOffset: number,
  damage: (at: number, recordId: bigint | null, reason: string) => void,
  where: (at: number) => string,
): EvtxRecord | null {
  const recordId = view.getBigUint64(off + 8, true);
  const ftLo = view.getUint32(off + 16, true);
  const ftHi = view.getUint32(off + 20, true);
  try {
    builder.reset();
    bx.decodeRecord(off + RECORD_HEADER_SIZE, off + size - 4, builder);
    builder.finish();
    return {
      kind: 'record',
      chunkIndex,
      fileOffset: fileOffset + off,
      recordId,
      headerTime: ftLo === 0 && ftHi === 0 ? null : filetimePartsToIso(ftHi, ftLo),
      system: builder.systemFields,
      eventData: builder.eventDataMap,
      xml: builder.xmlText,
    };
  } catch (e) {
    if (e instanceof BinXmlError) {
      damage(off, recordId, `record ${recordId} at ${where(off)}: BinXML ${e.message} at ${where(e.chunkOffset)}`);
      return null;
    }
    // Anything else is a decoder fault on data it did not expect (deep
    // recursion, a value error that escaped); reading the rest of the file
    // matters more than the exception, so it becomes damage too.
    const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    damage(off, recordId, `record ${recordId} at ${where(off)}: BinXML could not be decoded (${what})`);
    return null;
  }
}

function isZeroRange(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

const ZERO_CHUNK = Buffer.alloc(EVTX_CHUNK_SIZE);

/** Native compare: pre-allocated files are mostly zero chunks (at most one chunk long). */
export function isAllZero(buf: Uint8Array): boolean {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).equals(ZERO_CHUNK.subarray(0, buf.byteLength));
}

/**
 * Convenience over a whole file in memory (header + every chunk that carries
 * the "ElfChnk\0" magic; unused preallocated chunks (all zero) are skipped
 * silently, a chunk with garbage is reported as damage).
 * Throws EvtxFormatError only when the file is not EVTX at all.
 */
export function* readEvtx(file: Uint8Array): Generator<EvtxRecord | EvtxDamage> {
  const header = parseEvtxFileHeader(file);
  if (!header.checksumOk) {
    const stored = dv(file).getUint32(124, true);
    yield {
      kind: 'damage',
      chunkIndex: -1,
      fileOffset: 124,
      recordId: null,
      reason: `file header checksum mismatch at file offset 0x7c: stored ${hex(stored)}, computed ${hex(crc32(file, 0, 120))}`,
    };
  }
  if (file.length < EVTX_FILE_HEADER_SIZE) {
    yield {
      kind: 'damage',
      chunkIndex: -1,
      fileOffset: file.length,
      recordId: null,
      reason: `file truncated to ${file.length} bytes, inside the ${EVTX_FILE_HEADER_SIZE}-byte file header block; no chunks`,
    };
  }
  for (let index = 0, off = EVTX_FILE_HEADER_SIZE; off < file.length; index++, off += EVTX_CHUNK_SIZE) {
    const chunk = file.subarray(off, Math.min(off + EVTX_CHUNK_SIZE, file.length));
    if (!hasMagic(chunk, EVTX_CHUNK_MAGIC) && isAllZero(chunk)) continue;
    yield* parseEvtxChunk(chunk, index, off);
  }
}
