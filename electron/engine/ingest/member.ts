/**
 * Reading one leaf member: hash every byte, pick its format (sniffed, or forced), frame it into records and hand them
 * to the loader, noting damage and limits as they happen. Parquet members are spooled to the case's tmp folder and
 * read by DuckDB directly. Layer: engine.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import zlib from 'node:zlib';
import type { FormatModule, Framing, MapContext, SniffHit } from '../formats/types.js';
import { sniffFormat } from '../formats/registry.js';
import { genericJsonParams } from '../formats/generic.js';
import { JsonFramer } from '../framing/json-framer.js';
import { LineFramer } from '../framing/line-framer.js';
import { CsvFramer } from '../framing/csv-framer.js';
import { XmlFramer } from '../framing/xml-framer.js';
import { CUSTOM_FRAMERS } from '../framing/custom.js';
import type { Framer, RecordSink } from '../framing/types.js';
import { blobEscape } from '../db/values.js';
import type { ArchiveContext, EntryMeta, MemberEntry } from './context.js';
import { DamageError, LimitError, peek, replay } from './streams.js';
import { bomLength, detectEncoding, sampleText, utf16ToUtf8 } from './text.js';

const SNIFF_BYTES = 64 * 1024;
const BACKPRESSURE_EVERY = 4 * 1024 * 1024;

import { BINARY_READERS } from '../formats/binary-readers.js';

function dayInZone(d: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The date a text log's last line is assumed not to be later than (used for year inference). */
export function yearAnchor(mtime: Date | null, ctx: ArchiveContext): { anchor: string; anchorSource: string } {
  const start = Date.parse(ctx.meta.periodStart) - 366 * 864e5;
  const end = Date.parse(ctx.meta.periodEnd) + 366 * 864e5;
  if (mtime && mtime.getTime() >= start && mtime.getTime() <= end) {
    return { anchor: dayInZone(mtime, ctx.meta.timezone), anchorSource: 'file date' };
  }
  return { anchor: ctx.meta.periodEnd, anchorSource: 'case period end' };
}

function describeHead(head: Buffer): string {
  return blobEscape(head.subarray(0, 24));
}

function mapContext(ctx: ArchiveContext, params: Record<string, unknown>): MapContext {
  return { params, caseTimezone: ctx.meta.timezone, periodStart: ctx.meta.periodStart, periodEnd: ctx.meta.periodEnd, userMap: ctx.userMap };
}

class MemberSink implements RecordSink {
  constructor(
    private readonly ctx: ArchiveContext,
    private readonly m: MemberEntry,
    private readonly add: (idx: number, line: number | null, offset: number | null, raw: Buffer, parsed: string | null) => void,
  ) {}

  record(raw: Buffer, line: number | null, offset: number | null, parsed?: string): void {
    const idx = ++this.m.records;
    this.ctx.recordsSeen++;
    if (!isUtf8(raw)) return this.rejectAt(idx, raw, line, offset, 'invalid UTF-8: the record is not UTF-8 text (raw bytes kept)');
    if (raw.indexOf(0) >= 0) return this.rejectAt(idx, raw, line, offset, 'contains NUL (0x00) bytes: damaged or binary data');
    this.add(idx, line, offset, raw, parsed ?? null);
  }

  reject(raw: Buffer, line: number | null, offset: number | null, reason: string): void {
    this.ctx.recordsSeen++;
    this.rejectAt(++this.m.records, raw, line, offset, reason);
  }

  damage(reason: string): void {
    this.m.damage ??= reason;
  }

  private rejectAt(idx: number, raw: Buffer, line: number | null, offset: number | null, reason: string): void {
    this.ctx.loader.addReject({
      archiveSha256: this.ctx.archiveSha256,
      memberId: this.m.memberId,
      memberPath: this.m.path,
      recordIndex: idx,
      line,
      offset,
      reason,
      raw: Buffer.from(raw),
    });
  }
}

function makeFramer(framing: Framing, sink: RecordSink, ctx: ArchiveContext, startOffset: number, onHeader: (h: string[]) => void): Framer {
  const limits = { maxRecordBytes: ctx.limits.maxRecordBytes };
  switch (framing.kind) {
    case 'lines':
      return new LineFramer(sink, limits, startOffset);
    case 'json':
      return new JsonFramer(sink, limits, framing.layout, framing.recordsKey ?? 'Records', startOffset);
    case 'csv':
      return new CsvFramer(sink, limits, framing.delimiter, (h) => onHeader(h), startOffset);
    case 'xml':
      return new XmlFramer(sink, limits, framing.element, startOffset);
    case 'custom': {
      const factory = CUSTOM_FRAMERS[framing.framer];
      if (!factory) throw new Error(`no framer "${framing.framer}" registered`);
      return factory(sink, limits, startOffset, framing.options ?? {});
    }
    default:
      throw new Error(`framing ${framing.kind} is not a text framing`);
  }
}

/** Errors that mean the member's bytes are damaged rather than the program being wrong. */
function damageText(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e.message)) return `compressed stream truncated (${e.message})`;
  if (code === 'Z_DATA_ERROR') return `compressed data damaged (${e.message})`;
  return e.message;
}

/**
 * Reads one member to the end. Never throws for bad input: damage and limits end up on the member entry.
 * Throws only for internal failures (database, disk), which abort the archive.
 */
export async function processLeaf(ctx: ArchiveContext, m: MemberEntry, source: AsyncIterable<Buffer>, meta: EntryMeta): Promise<void> {
  const hash = createHash('sha256');
  let crc = 0;
  const checkCrc = meta.crc32 !== null && meta.crc32 !== undefined;
  let sinceBackpressure = 0;
  const tapped = (async function* () {
    for await (const chunk of damageOnError(source)) {
      hash.update(chunk);
      if (checkCrc) crc = zlib.crc32(chunk, crc);
      m.size += chunk.length;
      ctx.totalBytes += chunk.length;
      ctx.progress({ bytes: chunk.length });
      if (ctx.totalBytes > ctx.limits.maxTotalBytes) {
        throw new LimitError(`the input expands beyond ${ctx.limits.maxTotalBytes} bytes in total (raise --max-total-bytes)`);
      }
      yield chunk;
    }
    // Every byte of the entry has been read, whatever the member turned out to be (text, EVTX, Parquet, unsupported).
    if (checkCrc && crc >>> 0 !== meta.crc32! >>> 0) {
      m.damage ??= `CRC-32 mismatch: the archive says ${(meta.crc32! >>> 0).toString(16)}, the content read gives ${(crc >>> 0).toString(16)} (damaged entry)`;
    }
  })();

  let framer: Framer | null = null;
  try {
    const p = await peek(tapped, SNIFF_BYTES);
    const enc = detectEncoding(p.head);
    m.encoding = enc;
    if (p.head.length === 0 && p.complete && !p.error) {
      m.reason = 'empty (0 bytes)';
      m.format = null;
      return;
    }
    // The head may be larger than asked for (a member that arrives as one buffer); sniffers see the first 64 KiB.
    const head = p.head.length > SNIFF_BYTES ? p.head.subarray(0, SNIFF_BYTES) : p.head;
    const text = sampleText(head, enc);
    const sample = { path: m.path, head, text, complete: p.complete && !p.error && head.length === p.head.length };
    let format: FormatModule | null = ctx.forcedFormat;
    let hit: SniffHit | null = null;
    if (!format) {
      const s = sniffFormat(sample);
      if (s) {
        format = s.format;
        hit = s.hit;
      }
    } else {
      hit = format.sniff(sample);
    }
    if (!format) {
      m.status = 'unsupported';
      m.reason =
        enc === 'utf-32le' || enc === 'utf-32be'
          ? `text in ${enc.toUpperCase()} is not read (UTF-8 or UTF-16 with BOM only)`
          : enc === 'binary' || text === null
            ? `binary content of an unknown format (first bytes: ${describeHead(p.head)})`
            : `not a log format the workbench recognises (first bytes: ${describeHead(p.head)}); if it is a log, name its format with --format`;
      for await (const _ of replay(p)) {
        /* drain: the member is still hashed and counted */
      }
      return;
    }
    const framing = hit?.framing ?? format.defaultFraming;
    const laneParams = { ...(format.defaultParams ?? {}), ...(hit?.params ?? {}) };
    m.format = format.name;
    m.family = format.family;
    m.target = format.target ?? 'events';
    m.note = hit?.note ?? null;
    m.params = { ...laneParams, ...yearAnchor(m.mtime, ctx) };
    if (enc === 'utf-32le' || enc === 'utf-32be' || (enc === 'binary' && framing.kind !== 'parquet' && framing.kind !== 'binary')) {
      m.status = 'unsupported';
      m.reason = enc === 'binary' ? `binary content cannot be read as ${format.name}` : `text in ${enc.toUpperCase()} is not read (UTF-8 or UTF-16 with BOM only)`;
      for await (const _ of replay(p)) {
        /* drain */
      }
      return;
    }

    if (framing.kind === 'parquet') {
      await loadParquet(ctx, m, format, replay(p));
      return;
    }

    const memberParams = { anchor: m.params['anchor'], anchorSource: m.params['anchorSource'] };
    ctx.loader.addMember({ memberId: m.memberId, archiveSha256: ctx.archiveSha256, memberPath: m.path, params: memberParams });

    let lane = framing.kind === 'csv' ? null : ctx.loader.lane(format, mapContext(ctx, laneParams));
    const sink = new MemberSink(ctx, m, (idx, line, offset, raw, parsed) => {
      if (!lane) throw new Error('CSV record before its header');
      lane.add(m.memberId, idx, line, offset, raw, parsed);
    });

    if (framing.kind === 'binary') {
      const reader = BINARY_READERS[framing.reader];
      if (!reader) throw new Error(`no binary reader "${framing.reader}" registered`);
      lane = ctx.loader.lane(format, mapContext(ctx, laneParams));
      await reader(replay(p), sink, { path: m.path, size: null });
      ctx.loader.memberDone(lane);
      return;
    }

    // The byte order mark belongs to no record: dropped once, here. Offsets stay file offsets for UTF-8 (they start
    // after its 3-byte BOM); for UTF-16 they count the transcoded UTF-8 text.
    const bom = bomLength(enc);
    p.head = p.head.subarray(bom);
    const startOffset = enc === 'utf-8-bom' ? bom : 0;
    framer = makeFramer(framing, sink, ctx, startOffset, (header) => {
      const params = { ...laneParams, header };
      m.params = { ...m.params, header };
      lane = ctx.loader.lane(format!, mapContext(ctx, params));
    });
    let chunks: AsyncIterable<Buffer> = replay(p);
    if (enc === 'utf-16le' || enc === 'utf-16be') chunks = damageOnError(utf16ToUtf8(chunks, enc));
    for await (const chunk of chunks) {
      framer.push(chunk);
      sinceBackpressure += chunk.length;
      if (sinceBackpressure >= BACKPRESSURE_EVERY) {
        sinceBackpressure = 0;
        await ctx.loader.backpressure();
      }
    }
    framer.end(false);
    if (lane) ctx.loader.memberDone(lane);
  } catch (e) {
    const err = e as Error;
    if (err instanceof LimitError) {
      m.status = 'refused';
      m.reason = err.message;
      ctx.refused.add(m.memberId);
      return;
    }
    if (!(err instanceof DamageError)) throw err;
    // Damaged input: what was read before stays accounted; the cut-off record is rejected by the framer.
    m.damage ??= err.message;
    framer?.end(true);
  } finally {
    m.sha256 = hash.digest('hex');
  }
}

/** Marks every error raised while reading input bytes as damage (limits stay limits). */
async function* damageOnError(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* source;
  } catch (e) {
    if (e instanceof LimitError || e instanceof DamageError) throw e;
    throw new DamageError(damageText(e as Error));
  }
}

async function loadParquet(ctx: ArchiveContext, m: MemberEntry, format: FormatModule, chunks: AsyncIterable<Buffer>): Promise<void> {
  const file = path.join(ctx.tmpDir, `member-${m.memberId}.parquet`);
  const fd = fs.openSync(file, 'w');
  try {
    for await (const c of chunks) fs.writeSync(fd, c);
  } finally {
    fs.closeSync(fd);
  }
  try {
    await ctx.loader.loadParquet(ctx, m, format, file, (samples) => genericJsonParams(samples), (params) => mapContext(ctx, params));
  } catch (e) {
    if (!(e instanceof DamageError)) throw e;
    m.damage ??= e.message;
  } finally {
    fs.rmSync(file, { force: true });
  }
}
