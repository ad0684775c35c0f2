/**
 * The `journal-export` framer (Journal Export Format): entries, text and binary fields, repeated fields, positions at
 * every chunk boundary, and the damage cases (a binary field cut off, a binary value not followed by its newline).
 * The JSON it renders must match what `journalctl -o json` wrote for the same journal (journal.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalExportFramer } from '../../electron/engine/formats/journald-export-framer.js';
import { collectSink, feed } from '../support/collect-sink.js';
import { REPO } from '../support/tmp-case.js';

const limits = { maxRecordBytes: 1 << 20 };

function bin(key: string, data: Buffer): Buffer {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(data.length));
  return Buffer.concat([Buffer.from(`${key}\n`), len, data, Buffer.from('\n')]);
}

/** Two entries: text only; then a binary MESSAGE (with a newline in it), a non-UTF-8 value and a repeated field. */
const e1 = Buffer.from('__CURSOR=s=1;i=a\n__REALTIME_TIMESTAMP=1709625600000000\nMESSAGE=hello\n');
const e2 = Buffer.concat([
  Buffer.from('__REALTIME_TIMESTAMP=1709625600000001\n'),
  bin('MESSAGE', Buffer.from('two\nlines')),
  bin('BLOB', Buffer.from([0xff, 0x00, 0x0a])),
  Buffer.from('TAG=a\nTAG=b\n'),
]);
const doc = Buffer.concat([Buffer.from('\n'), e1, Buffer.from('\n'), e2, Buffer.from('\n')]);

function frame(input: Buffer, cuts: number[] = [], truncated = false, max = limits.maxRecordBytes) {
  const sink = collectSink();
  const f = new JournalExportFramer(sink, { maxRecordBytes: max });
  feed((b) => f.push(b), input, cuts);
  f.end(truncated);
  return sink;
}

describe('JournalExportFramer', () => {
  it('cuts entries with exact positions and renders their fields, whatever the chunking', () => {
    const e2Offset = 1 + e1.length + 1;
    // journalctl's JSON conventions: UTF-8 text as a string (even when it came as a binary field), other bytes as numbers.
    const expected2 = { __REALTIME_TIMESTAMP: '1709625600000001', MESSAGE: 'two\nlines', BLOB: [255, 0, 10], TAG: ['a', 'b'] };
    const all: number[][] = [[]];
    for (let i = 1; i < doc.length; i++) all.push([i]);
    all.push(Array.from({ length: doc.length - 1 }, (_, i) => i + 1));
    for (const cuts of all) {
      const sink = frame(doc, cuts);
      expect(sink.rejects).toEqual([]);
      expect(sink.damages).toEqual([]);
      expect(sink.records).toHaveLength(2);
      // A text entry keeps its exact bytes (without the newline ending its last field).
      expect(sink.records[0]).toEqual({
        raw: e1.subarray(0, e1.length - 1).toString('utf8'),
        line: 2,
        offset: 1,
        parsed: JSON.stringify({ __CURSOR: 's=1;i=a', __REALTIME_TIMESTAMP: '1709625600000000', MESSAGE: 'hello' }),
      });
      // An entry with binary fields cannot be text (NUL bytes in the length prefix): raw is its JSON rendering.
      expect(sink.records[1]!.offset).toBe(e2Offset);
      expect(sink.records[1]!.line).toBe(6);
      expect(JSON.parse(sink.records[1]!.parsed!)).toEqual(expected2);
      expect(sink.records[1]!.raw).toBe(sink.records[1]!.parsed);
    }
  });

  it('reads the journalctl -o export fixture: 8 entries, each starting after an empty line', () => {
    const buf = fs.readFileSync(path.join(REPO, 'test/fixtures/journald/journal.export'));
    const sink = frame(buf, [100, 2000, 3000]);
    expect(sink.rejects).toEqual([]);
    expect(sink.records).toHaveLength(8);
    // Independent positions: journalctl starts every entry with its __CURSOR field.
    const starts: number[] = [];
    for (let i = buf.indexOf('__CURSOR='); i >= 0; i = buf.indexOf('__CURSOR=', i + 1)) starts.push(i);
    expect(starts).toHaveLength(8);
    expect(sink.records.map((r) => r.offset)).toEqual(starts);
    // Field for field what journalctl -o json wrote for the same journal (key order aside).
    const json = fs.readFileSync(path.join(REPO, 'test/fixtures/journald/journal.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(sink.records.map((r) => JSON.parse(r.parsed!) as unknown)).toEqual(json);
  });

  it('accepts a last entry without the final empty line', () => {
    const sink = frame(Buffer.from('A=1\nB=2'));
    expect(sink.records.map((r) => [r.raw, r.parsed])).toEqual([['A=1\nB=2', '{"A":"1","B":"2"}']]);
  });

  it('rejects an entry cut off inside a binary field and reports the damage', () => {
    const cut = Buffer.concat([e1, Buffer.from('\n'), e2.subarray(0, 50)]);
    const sink = frame(cut);
    expect(sink.records).toHaveLength(1);
    expect(sink.rejects).toEqual([{ raw: expect.any(String), line: 5, offset: e1.length + 1, reason: 'record truncated: the input ended inside binary field MESSAGE of this journal entry' }]);
    expect(sink.damages).toEqual(['journal export ends inside binary field MESSAGE (the file is truncated)']);
  });

  it('stops when a binary value is not followed by its newline', () => {
    const bad = Buffer.concat([Buffer.from('A=1\nMESSAGE\n'), Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('okX\nB=2\n\nC=3\n\n')]);
    const sink = frame(bad);
    expect(sink.records).toEqual([]);
    expect(sink.rejects.map((r) => r.reason)).toEqual(['binary field MESSAGE is not followed by a newline: the entry is damaged']);
    expect(sink.damages[0]).toMatch(/the rest of the member was not read/);
  });

  it('rejects an entry with a line that is neither KEY=value nor a field name, and goes on', () => {
    const sink = frame(Buffer.from('A=1\nnot a field\n\nB=2\n\n'));
    expect(sink.rejects.map((r) => [r.raw, r.line, r.reason])).toEqual([['A=1\nnot a field', 1, 'not a journal export entry: line 2 is neither KEY=value nor a binary field name']]);
    expect(sink.records.map((r) => [r.raw, r.line, r.offset])).toEqual([['B=2', 4, 17]]);
  });

  it('rejects an entry over the record limit and keeps reading', () => {
    const sink = frame(Buffer.from(`A=${'x'.repeat(100)}\n\nB=2\n\n`), [30, 60], false, 64);
    expect(sink.rejects).toHaveLength(1);
    expect(sink.rejects[0]!.reason).toMatch(/journal entry larger than the 64 bytes record limit/);
    expect(sink.records.map((r) => r.raw)).toEqual(['B=2']);
  });

  it('does not let a field named __proto__ touch the prototype', () => {
    const sink = frame(Buffer.from('__proto__=x\nA=1\n\n'));
    expect(JSON.parse(sink.records[0]!.parsed!)).toEqual({ ['__proto__']: 'x', A: '1' });
  });
});
