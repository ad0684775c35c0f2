/**
 * Container-level behaviour of the EVTX reader on synthetic files: file
 * header, chunk signature and checksums, record framing, truncation, zero
 * header FILETIME, dirty files with chunks past the header's last chunk,
 * pre-allocated (all-zero) chunks, and resynchronisation after damage.
 */

import { describe, expect, it } from 'vitest';
import {
  EVTX_CHUNK_SIZE,
  EVTX_FILE_MAGIC,
  EvtxFormatError,
  parseEvtxChunk,
  parseEvtxFileHeader,
  readEvtx,
  type EvtxDamage,
  type EvtxRecord,
} from '../../../electron/engine/formats/evtx/index.js';
import { ChunkWriter, SYSTEM_TEMPLATE, V, eventDataTemplate, evtxFile, filetimeOf, le, systemValues } from './evtx-synth.js';

const T0 = filetimeOf('2020-09-23T16:57:41.0000001Z');
const PAYLOAD = eventDataTemplate(0x2222, ['param1', 'param2']);

/** A chunk with records numbered `first`..`first+count-1`, EventRecordID 1000 + number. */
function chunkWith(first: number, count: number, opts: { zeroTimeFor?: number } = {}): ChunkWriter {
  const w = new ChunkWriter();
  for (let i = 0; i < count; i++) {
    const n = BigInt(first + i);
    w.record({
      id: n,
      time: Number(n) === opts.zeroTimeFor ? 0n : T0 + n * 10_000_000n,
      doc: {
        template: SYSTEM_TEMPLATE,
        values: systemValues({
          eventId: 7036,
          time: T0 + n * 10_000_000n,
          eventRecordId: 1000n + n,
          channel: 'System',
          payload: V.binxml({ template: PAYLOAD, values: [V.str(`svc${n}`), V.str('running')] }),
        }),
      },
    });
  }
  return w;
}

const split = (items: Array<EvtxRecord | EvtxDamage>) => ({
  records: items.filter((i): i is EvtxRecord => i.kind === 'record'),
  damage: items.filter((i): i is EvtxDamage => i.kind === 'damage'),
});

describe('file header', () => {
  it('parses the header fields and verifies its checksum', () => {
    const file = evtxFile([chunkWith(1, 1).finish()], { flags: 0x1 });
    const h = parseEvtxFileHeader(file);
    expect(EVTX_FILE_MAGIC).toBe('ElfFile\0');
    expect(EVTX_CHUNK_SIZE).toBe(65536);
    expect(h).toEqual({
      firstChunk: 0n,
      lastChunk: 0n,
      nextRecordId: 100n,
      headerSize: 128,
      minorVersion: 1,
      majorVersion: 3,
      chunkCount: 1,
      flags: 1,
      dirty: true,
      full: false,
      checksumOk: true,
    });
    expect(parseEvtxFileHeader(evtxFile([], { breakCrc: true })).checksumOk).toBe(false);
  });

  it('throws EvtxFormatError with a clear message for non-EVTX input', () => {
    expect(() => parseEvtxFileHeader(new TextEncoder().encode('MZ\x90\x00 this is a PE file, not a log....................................................................................................'))).toThrow(
      new EvtxFormatError('not an EVTX file: expected signature "ElfFile\\0" at offset 0, found bytes 4d 5a c2 90 00 20 74 68'),
    );
    expect(() => parseEvtxFileHeader(new Uint8Array(10))).toThrow(EvtxFormatError);
    expect(() => [...readEvtx(new Uint8Array(200))]).toThrow(/not an EVTX file/);
  });

  it('reports a file header checksum mismatch as damage and still reads the chunks', () => {
    const { records, damage } = split([...readEvtx(evtxFile([chunkWith(1, 2).finish()], { breakCrc: true }))]);
    expect(records.length).toBe(2);
    expect(damage.length).toBe(1);
    expect(damage[0]).toMatchObject({ chunkIndex: -1, fileOffset: 124, recordId: null });
    expect(damage[0]!.reason).toMatch(/^file header checksum mismatch at file offset 0x7c: stored 0x[0-9a-f]+, computed 0x[0-9a-f]+$/);
  });
});

describe('chunks', () => {
  it('reads every record of a clean chunk with exact offsets and no damage', () => {
    const w = chunkWith(1, 3);
    const { records, damage } = split(parseEvtxChunk(w.finish(), 2, 4096 + 2 * 65536));
    expect(damage).toEqual([]);
    expect(records.map((r) => [r.chunkIndex, r.fileOffset, r.recordId, r.system.eventRecordId, r.eventData.param1])).toEqual(
      w.records.map((r, i) => [2, 4096 + 2 * 65536 + r.offset, BigInt(i + 1), String(1001 + i), `svc${i + 1}`]),
    );
    expect(records[0]!.headerTime).toBe('2020-09-23T16:57:42.0000001Z');
  });

  it('reports a bad chunk signature as damage and returns nothing else for that chunk', () => {
    const chunk = chunkWith(1, 2).finish();
    chunk.set(new TextEncoder().encode('ElfChnX'), 0);
    const items = parseEvtxChunk(chunk, 0, 4096);
    expect(items).toEqual([
      {
        kind: 'damage',
        chunkIndex: 0,
        fileOffset: 4096,
        recordId: null,
        reason: 'bad chunk signature at file offset 0x1000 (chunk 0 offset 0x0): expected "ElfChnk\\0", found bytes 45 6c 66 43 68 6e 58 00; chunk skipped',
      },
    ]);
  });

  it('reports a chunk header CRC mismatch with the stored and computed values, and still returns the records', () => {
    const { records, damage } = split(parseEvtxChunk(chunkWith(1, 2).finish({ breakHeaderCrc: true }), 0, 4096));
    expect(records.map((r) => r.recordId)).toEqual([1n, 2n]);
    expect(damage.length).toBe(1);
    expect(damage[0]!.fileOffset).toBe(4096 + 124);
    expect(damage[0]!.reason).toMatch(/^chunk header checksum mismatch at file offset 0x107c \(chunk 0 offset 0x7c\): stored 0x[0-9a-f]+, computed 0x[0-9a-f]+$/);
  });

  it('reports an event records CRC mismatch (tampered record bytes) and still returns the records', () => {
    const w = chunkWith(1, 2);
    const chunk = w.finish();
    // Change one character of a value inside record 2 after the checksum was written.
    const at = Buffer.from(chunk).indexOf(Buffer.from('svc2', 'utf16le'));
    chunk[at] = 'S'.charCodeAt(0);
    const { records, damage } = split(parseEvtxChunk(chunk, 0, 4096));
    expect(records.map((r) => r.eventData.param1)).toEqual(['svc1', 'Svc2']);
    expect(damage.map((d) => d.reason)).toEqual([expect.stringMatching(/^event records checksum mismatch at file offset 0x1034 \(chunk 0 offset 0x34\) over 0x200\.\.0x[0-9a-f]+: stored 0x[0-9a-f]+, computed 0x[0-9a-f]+$/)]);
  });

  it('returns earlier records and reports a truncated final record', () => {
    const w = chunkWith(1, 3);
    const full = w.finish();
    const last = w.records[2]!;
    // The file ends in the middle of record 3.
    const cut = full.slice(0, last.offset + 40);
    const { records, damage } = split(parseEvtxChunk(cut, 0, 4096));
    expect(records.map((r) => r.recordId)).toEqual([1n, 2n]);
    expect(damage.map((d) => d.reason)).toEqual([
      `chunk at file offset 0x1000 (chunk 0 offset 0x0) is truncated: ${last.offset + 40} of 65536 bytes present`,
      `record 3 at file offset 0x${(4096 + last.offset).toString(16)} (chunk 0 offset 0x${last.offset.toString(16)}): record size ${last.size} runs past the end of the chunk data (40 bytes available); no further record found before 0x${(last.offset + 40).toString(16)}`,
    ]);
    expect(damage[1]!.recordId).toBe(3n);
  });

  it('reads a record whose header FILETIME is zero with headerTime null and time from System/TimeCreated', () => {
    const { records, damage } = split(parseEvtxChunk(chunkWith(1, 2, { zeroTimeFor: 2 }).finish(), 0, 4096));
    expect(damage).toEqual([]);
    expect(records.map((r) => [r.headerTime, r.system.timeCreated])).toEqual([
      ['2020-09-23T16:57:42.0000001Z', '2020-09-23T16:57:42.0000001Z'],
      [null, '2020-09-23T16:57:43.0000001Z'],
    ]);
  });

  it('reports a record with an impossible size and resynchronises on the next record', () => {
    const w = chunkWith(1, 3);
    const chunk = w.finish();
    const second = w.records[1]!;
    chunk.set(le(0xfffff0, 4), second.offset + 4);
    const { records, damage } = split(parseEvtxChunk(chunk, 0, 4096));
    expect(records.map((r) => r.recordId)).toEqual([1n, 3n]);
    const third = w.records[2]!;
    expect(damage.map((d) => [d.recordId, d.reason])).toEqual([
      [null, expect.stringMatching(/^event records checksum mismatch/)],
      [
        2n,
        `record 2 at file offset 0x${(4096 + second.offset).toString(16)} (chunk 0 offset 0x${second.offset.toString(16)}): impossible record size ${0xfffff0}; ` +
          `skipped ${second.size} bytes to the next record at file offset 0x${(4096 + third.offset).toString(16)} (chunk 0 offset 0x${third.offset.toString(16)})`,
      ],
    ]);
  });

  it('reports a header/trailer size mismatch and still returns the record when its BinXML decodes', () => {
    const w = chunkWith(1, 2);
    const chunk = w.finish();
    const first = w.records[0]!;
    chunk.set(le(first.size + 8, 4), first.offset + first.size - 4);
    const { records, damage } = split(parseEvtxChunk(chunk, 0, 4096));
    expect(records.map((r) => r.recordId)).toEqual([1n, 2n]);
    expect(damage.map((d) => [d.recordId, d.reason])).toEqual([
      [null, expect.stringMatching(/^event records checksum mismatch/)],
      [1n, `record 1 at file offset 0x1200 (chunk 0 offset 0x200): record size ${first.size} in header but ${first.size + 8} in trailer`],
    ]);
  });

  it('reports a record whose BinXML cannot be decoded, naming the offset, and continues with the next record', () => {
    const w = chunkWith(1, 3);
    const chunk = w.finish({});
    const second = w.records[1]!;
    // Record 2 starts its BinXML with a fragment header; break the token after it.
    chunk[second.offset + 24 + 4] = 0x1f;
    const { records, damage } = split(parseEvtxChunk(chunk, 0, 4096));
    expect(records.map((r) => r.recordId)).toEqual([1n, 3n]);
    const at = second.offset + 28;
    expect(damage.map((d) => [d.recordId, d.fileOffset, d.reason])).toEqual([
      [null, 4096 + 52, expect.stringMatching(/^event records checksum mismatch/)],
      [
        2n,
        4096 + second.offset,
        `record 2 at file offset 0x${(4096 + second.offset).toString(16)} (chunk 0 offset 0x${second.offset.toString(16)}): ` +
          `BinXML unexpected token 0x1f at document level at file offset 0x${(4096 + at).toString(16)} (chunk 0 offset 0x${at.toString(16)})`,
      ],
    ]);
  });

  it('does not report zero fill up to a free-space offset that points at the chunk end', () => {
    const w = chunkWith(1, 2);
    const { records, damage } = split(parseEvtxChunk(w.finish({ freeSpace: 65536 }), 0, 4096));
    expect(records.length).toBe(2);
    expect(damage).toEqual([]);
  });

  it('reads records that follow a lagging free-space offset only while the numbering continues', () => {
    const w = chunkWith(1, 3);
    // Header updated only up to record 2 (a writer that stopped mid-way).
    const lagging = w.finish({ freeSpace: w.records[2]!.offset, lastNumber: 2n });
    const a = split(parseEvtxChunk(lagging, 0, 4096));
    expect(a.records.map((r) => r.recordId)).toEqual([1n, 2n, 3n]);
    expect(a.damage).toEqual([]);
    // Stale slack after the free space with an unrelated record number is not returned.
    const w2 = chunkWith(1, 3);
    const stale = w2.finish({ freeSpace: w2.records[2]!.offset, lastNumber: 2n });
    stale.set(le(77, 8), w2.records[2]!.offset + 8);
    const b = split(parseEvtxChunk(stale, 0, 4096));
    expect(b.records.map((r) => r.recordId)).toEqual([1n, 2n]);
    expect(b.damage).toEqual([]);
  });

  it('reads the records of a chunk whose header was never updated after the chunk was started', () => {
    const w = chunkWith(7, 3);
    // Header as written when the chunk was allocated: no records, free space at 512.
    const fresh = w.finish({ freeSpace: 512, firstNumber: 7n, lastNumber: 6n });
    const { records, damage } = split(parseEvtxChunk(fresh, 0, 4096));
    expect(records.map((r) => r.recordId)).toEqual([7n, 8n, 9n]);
    expect(damage).toEqual([]);
  });
});

describe('files', () => {
  it('reads a dirty file whose newest chunk lies past the header last chunk, skipping pre-allocated zero chunks', () => {
    const file = evtxFile([chunkWith(1, 2).finish(), new Uint8Array(65536), chunkWith(3, 2).finish(), new Uint8Array(65536)], {
      flags: 0x1,
      lastChunk: 0,
      chunkCount: 1,
    });
    expect(parseEvtxFileHeader(file).dirty).toBe(true);
    const items = [...readEvtx(file)];
    const { records, damage } = split(items);
    expect(damage).toEqual([]);
    expect(records.map((r) => [r.chunkIndex, r.recordId, r.system.eventRecordId])).toEqual([
      [0, 1n, '1001'],
      [0, 2n, '1002'],
      [2, 3n, '1003'],
      [2, 4n, '1004'],
    ]);
    expect(records[2]!.fileOffset).toBe(4096 + 2 * 65536 + 512);
  });

  it('reports a chunk slot holding garbage (neither chunk nor zero fill) as damage', () => {
    const garbage = new Uint8Array(65536).fill(0x41);
    const { records, damage } = split([...readEvtx(evtxFile([chunkWith(1, 1).finish(), garbage]))]);
    expect(records.length).toBe(1);
    expect(damage.map((d) => [d.chunkIndex, d.fileOffset, d.reason])).toEqual([
      [1, 4096 + 65536, 'bad chunk signature at file offset 0x11000 (chunk 1 offset 0x0): expected "ElfChnk\\0", found bytes 41 41 41 41 41 41 41 41; chunk skipped'],
    ]);
  });

  it('reports a record lost in the middle of a chunk (signature destroyed) with its number', () => {
    const w = chunkWith(1, 3);
    const chunk = w.finish();
    chunk.fill(0, w.records[1]!.offset, w.records[1]!.offset + 4);
    const { records, damage } = split([...readEvtx(evtxFile([chunk]))]);
    expect(records.map((r) => r.recordId)).toEqual([1n, 3n]);
    expect(damage.map((d) => d.reason)).toEqual([
      expect.stringMatching(/^event records checksum mismatch/),
      expect.stringMatching(/^record at file offset 0x[0-9a-f]+ \(chunk 0 offset 0x[0-9a-f]+\): no record signature "\*\*\\0\\0"; skipped \d+ bytes to the next record/),
      'chunk header at file offset 0x1008 (chunk 0 offset 0x8) declares records 1..3 but 1 were not found: 2',
    ]);
  });
});

describe('wiped records', () => {
  it('reports a zeroed last record by number even though zero fill looks like free space', () => {
    const w = chunkWith(1, 3);
    const chunk = w.finish();
    const last = w.records[2]!;
    chunk.fill(0, last.offset, last.offset + last.size);
    const { records, damage } = split(parseEvtxChunk(chunk, 0, 4096));
    expect(records.map((r) => r.recordId)).toEqual([1n, 2n]);
    expect(damage.map((d) => d.reason)).toEqual([
      expect.stringMatching(/^event records checksum mismatch/),
      'chunk header at file offset 0x1008 (chunk 0 offset 0x8) declares records 1..3 but 1 were not found: 3',
    ]);
  });
});

describe('robustness', () => {
  it('accounts for every record, as a record or as damage, in 3000 randomly corrupted chunks', () => {
    const writer = chunkWith(1, 5);
    const base = writer.finish();
    let seed = 0x9e3779b9;
    const rnd = (n: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    let runs = 0;
    let intact = 0;
    for (let i = 0; i < 3000; i++) {
      const chunk = base.slice();
      // Corrupt the record area only, so the header's declared range 1..5 stays true.
      const flips = 1 + rnd(8);
      for (let f = 0; f < flips; f++) chunk[512 + rnd(writer.pos - 512)] = rnd(256);
      const items = parseEvtxChunk(chunk, 0, 4096);
      const accounted = new Set<bigint>();
      for (const it of items) {
        if (it.recordId !== null) accounted.add(it.recordId);
        if (it.kind === 'damage') {
          const missing = /were not found: ([\d, ]+)/.exec(it.reason);
          if (missing) for (const n of missing[1]!.split(', ')) accounted.add(BigInt(n));
        }
      }
      for (const n of [1n, 2n, 3n, 4n, 5n]) expect(accounted.has(n), `run ${i}: record ${n} vanished`).toBe(true);
      if (items.length === 6 && items.filter((x) => x.kind === 'record').length === 5) intact++;
      runs++;
    }
    expect(runs).toBe(3000);
    // Some flips land on bytes that do not matter to decoding; the CRC still catches them.
    expect(intact).toBeGreaterThan(0);
  });
});
