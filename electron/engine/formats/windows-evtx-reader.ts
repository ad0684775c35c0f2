/**
 * The streaming EVTX member reader (registered as binary reader `evtx`): takes the member's bytes as they arrive,
 * reads the 4 KiB file header, then each 64 KiB chunk slot as soon as it is complete (never the whole file), and hands
 * every record to the sink: raw = the record's XML (UTF-8), offset = the record's file offset, parsed = compact JSON
 * `{system, fields}` for the SQL mapping. Decoding is the EVTX reader's (formats/evtx/); this module owns the
 * accounting policy for what it reports:
 *  - damage to one record (its frame or its BinXML) with nothing decoded at that offset → a reject holding that
 *    record's bytes (as far as its size field can be trusted, else up to the next readable record) and the reader's
 *    reason, so the record is counted and kept;
 *  - anything wider (file header, chunk header, checksums, skipped bytes, missing record numbers, a record read in
 *    spite of an inconsistent frame, a file shorter than its header declares) → member damage (`partial`), every
 *    reason listed; records that could be read are still loaded;
 *  - a member that is not EVTX at all (forced `--format evtx`, or a `.evtx` name on other bytes) → member damage
 *    naming the bytes found; the rest of the member is still read to its end so its hash covers every byte.
 * Layer: engine (format module).
 */
import {
  EVTX_CHUNK_MAGIC,
  EVTX_CHUNK_SIZE,
  EVTX_FILE_HEADER_SIZE as FILE_HEADER_SIZE,
  EVTX_FILE_MAGIC,
  EvtxFormatError,
  isAllZero,
  notEvtxSignature,
  parseEvtxFileHeader,
  type EvtxFileHeader,
} from './evtx/index.js';
import { decodeSlot, type SlotItem } from './evtx-slots.js';
import type { BinaryMember } from './binary-readers.js';
import type { RecordSink } from '../framing/types.js';

const CHUNK_MAGIC = Buffer.from(EVTX_CHUNK_MAGIC, 'latin1');
const FILE_MAGIC = Buffer.from(EVTX_FILE_MAGIC, 'latin1');
/** Reasons listed in full in the member report; the rest are counted. */
const MAX_LISTED = 8;

export interface EvtxReadStats {
  records: number;
  rejected: number;
  chunks: number;
  damage: string[];
}

/**
 * Reads one EVTX member from `source` into `sink`. Never throws for bad input; `stats` (optional) receives counts,
 * for the benchmark and tests.
 */
export async function readEvtxMember(source: AsyncIterable<Buffer>, sink: RecordSink, _member: BinaryMember, stats?: EvtxReadStats): Promise<void> {
  const problems: string[] = [];
  const header = Buffer.alloc(FILE_HEADER_SIZE);
  let headerFill = 0;
  let fileHeader: EvtxFileHeader | null = null;
  let notEvtx = false;
  const chunk = Buffer.alloc(EVTX_CHUNK_SIZE);
  let chunkFill = 0;
  let slot = 0;
  let total = 0;
  let records = 0;
  let rejected = 0;
  let chunksRead = 0;

  const checkHeader = (bytes: Buffer): void => {
    try {
      fileHeader = parseEvtxFileHeader(bytes);
    } catch (e) {
      if (!(e instanceof EvtxFormatError)) throw e;
      notEvtx = true;
      problems.push(`${e.message}; the member was not read as EVTX`);
      return;
    }
    if (!fileHeader.checksumOk) {
      problems.push(`file header checksum mismatch at file offset 0x7c (the header's chunk counts may be wrong; every chunk slot is read)`);
    }
  };

  const emit = (items: SlotItem[]): void => {
    for (const it of items) {
      if (it.k === 'record') {
        records++;
        sink.record(Buffer.from(it.xml, 'utf8'), null, it.offset, it.json);
      } else if (it.k === 'reject') {
        rejected++;
        sink.reject(Buffer.from(it.raw.buffer, it.raw.byteOffset, it.raw.byteLength), null, it.offset, it.reason);
      } else {
        problems.push(it.reason);
      }
    }
  };

  const readSlot = (bytes: Buffer, index: number): void => {
    const fileOffset = FILE_HEADER_SIZE + index * EVTX_CHUNK_SIZE;
    const hasMagic = bytes.length >= 8 && bytes.subarray(0, 8).equals(CHUNK_MAGIC);
    if (!hasMagic && isAllZero(bytes)) {
      // Pre-allocated space. Within the chunks the header declares in use, a zeroed slot means lost records.
      if (fileHeader && index < fileHeader.chunkCount) {
        problems.push(`chunk ${index} at file offset 0x${fileOffset.toString(16)} is all zero although the file header declares ${fileHeader.chunkCount} chunks in use`);
      }
      return;
    }
    chunksRead++;
    emit(decodeSlot(bytes, index));
  };

  try {
    for await (const buf of source) {
      total += buf.length;
      if (notEvtx) continue; // keep draining: the member's hash must cover every byte
      let p = 0;
      if (!fileHeader) {
        const n = Math.min(FILE_HEADER_SIZE - headerFill, buf.length);
        buf.copy(header, headerFill, 0, n);
        headerFill += n;
        p = n;
        if (headerFill < FILE_HEADER_SIZE) {
          // The signature can be judged early: a member that is not EVTX is not buffered any further.
          if (headerFill >= 8 && !header.subarray(0, 8).equals(FILE_MAGIC)) {
            notEvtx = true;
            problems.push(`${notEvtxSignature(header)}; the member was not read as EVTX`);
          }
          continue;
        }
        checkHeader(header);
        if (notEvtx) continue;
      }
      while (p < buf.length) {
        const n = Math.min(EVTX_CHUNK_SIZE - chunkFill, buf.length - p);
        buf.copy(chunk, chunkFill, p, p + n);
        chunkFill += n;
        p += n;
        if (chunkFill === EVTX_CHUNK_SIZE) {
          readSlot(chunk, slot++);
          chunkFill = 0;
        }
      }
    }
  } catch (e) {
    // The bytes stopped coming (a damaged container): read what arrived of the last chunk, so its complete records are
    // loaded and the one cut off is rejected, then let the caller report the container's damage.
    if (fileHeader && headerFill === FILE_HEADER_SIZE && chunkFill > 0) readSlot(Buffer.from(chunk.subarray(0, chunkFill)), slot);
    throw e;
  }

  if (!fileHeader && !notEvtx) {
    // The member ended inside the file header block.
    checkHeader(header.subarray(0, headerFill));
    if (!notEvtx) problems.push(`file truncated to ${total} bytes, inside the ${FILE_HEADER_SIZE}-byte file header block; no chunks`);
  } else if (fileHeader && chunkFill > 0) {
    // A final partial slot: the chunk parser reports the truncation and reads what it can.
    const tail = Buffer.from(chunk.subarray(0, chunkFill));
    if (!isAllZero(tail) || slot < (fileHeader as EvtxFileHeader).chunkCount) readSlot(tail, slot);
    slot++;
  }
  if (fileHeader && headerFill === FILE_HEADER_SIZE) {
    const h = fileHeader as EvtxFileHeader;
    if (slot < h.chunkCount) {
      problems.push(`the file ends after ${slot} chunk slot(s) (${total} bytes) but its header declares ${h.chunkCount} chunks: the file is truncated`);
    }
  }

  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED).join('; ');
    sink.damage(problems.length > MAX_LISTED ? `${listed}; and ${problems.length - MAX_LISTED} more` : listed);
  }
  if (stats) {
    stats.records += records;
    stats.rejected += rejected;
    stats.chunks += chunksRead;
    stats.damage.push(...problems);
  }
}

