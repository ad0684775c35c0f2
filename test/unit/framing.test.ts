import { describe, expect, it } from 'vitest';
import { LineFramer } from '../../electron/engine/framing/line-framer.js';
import { JsonFramer } from '../../electron/engine/framing/json-framer.js';
import { CsvFramer, splitCsvRecord } from '../../electron/engine/framing/csv-framer.js';
import { collectSink, feed } from '../support/collect-sink.js';

const limits = { maxRecordBytes: 1024 };

/** Every way of cutting `text` into two chunks, plus byte-by-byte. */
function cutsOf(len: number): number[][] {
  const out: number[][] = [[]];
  for (let i = 1; i < len; i++) out.push([i]);
  out.push(Array.from({ length: len - 1 }, (_, i) => i + 1));
  return out;
}

describe('LineFramer', () => {
  const text = 'first\r\n\nsecond line\n  \nthird';
  it('cuts lines with exact numbers and offsets whatever the chunking', () => {
    for (const cuts of cutsOf(Buffer.byteLength(text))) {
      const sink = collectSink();
      const f = new LineFramer(sink, limits);
      feed((b) => f.push(b), text, cuts);
      f.end(false);
      expect(sink.records).toEqual([
        { raw: 'first', line: 1, offset: 0 },
        { raw: 'second line', line: 3, offset: 8 },
        { raw: 'third', line: 5, offset: 23 },
      ]);
      expect(f.blankLines).toBe(2);
    }
  });
  it('rejects the cut-off last line of a damaged stream', () => {
    const sink = collectSink();
    const f = new LineFramer(sink, limits);
    f.push(Buffer.from('a\nb partial'));
    f.end(true);
    expect(sink.records.map((r) => r.raw)).toEqual(['a']);
    expect(sink.rejects).toEqual([{ raw: 'b partial', line: 2, offset: 2, reason: expect.stringContaining('truncated') }]);
  });
  it('rejects an oversized line and keeps going', () => {
    const sink = collectSink();
    const f = new LineFramer(sink, { maxRecordBytes: 10 });
    feed((b) => f.push(b), 'ok\n' + 'x'.repeat(25) + '\nafter\n', [5, 12, 20]);
    f.end(false);
    expect(sink.records.map((r) => [r.raw, r.line])).toEqual([
      ['ok', 1],
      ['after', 3],
    ]);
    expect(sink.rejects).toHaveLength(1);
    expect(sink.rejects[0]!.line).toBe(2);
    expect(sink.rejects[0]!.offset).toBe(3);
    expect(sink.rejects[0]!.reason).toMatch(/longer than/);
  });
  it('honours a start offset (bytes of a BOM the caller removed)', () => {
    const sink = collectSink();
    const f = new LineFramer(sink, limits, 3);
    f.push(Buffer.from('a\nbb\n'));
    f.end(false);
    expect(sink.records.map((r) => r.offset)).toEqual([3, 5]);
  });
});

describe('JsonFramer', () => {
  const rec1 = '{"a":"x\\"}y","b":[1,{"c":"]"}]}';
  const rec2 = '{"s":"back\\\\","u":"\\u00e9\\\\\\""}';
  it('cuts a {"Records":[...]} document byte-exactly at every chunk boundary', () => {
    const doc = `{"Records":[ ${rec1},\n  ${rec2} ],"other":{"Records":[{"no":1}]}}`;
    for (const cuts of cutsOf(Buffer.byteLength(doc))) {
      const sink = collectSink();
      const f = new JsonFramer(sink, limits, 'records');
      feed((b) => f.push(b), doc, cuts);
      f.end(false);
      expect(sink.records.map((r) => r.raw)).toEqual([rec1, rec2]);
      expect(sink.records.map((r) => r.offset)).toEqual([doc.indexOf(rec1), doc.indexOf(rec2)]);
      expect(sink.records.map((r) => r.line)).toEqual([1, 2]);
      expect(sink.rejects).toEqual([]);
      expect(sink.damages).toEqual([]);
      expect(f.otherTopLevelKeys).toEqual(['other']);
    }
  });
  it('cuts arrays including scalars and nested arrays', () => {
    const doc = '[1, "two", null, [3,[4]], {"x":{}}]';
    for (const cuts of cutsOf(doc.length)) {
      const sink = collectSink();
      const f = new JsonFramer(sink, limits, 'array');
      feed((b) => f.push(b), doc, cuts);
      f.end(false);
      expect(sink.records.map((r) => r.raw)).toEqual(['1', '"two"', 'null', '[3,[4]]', '{"x":{}}']);
    }
  });
  it('reads concatenated (pretty-printed) documents', () => {
    const doc = '{\n "a": 1\n}\n{"b": [2]}  {"c":"}"}\n';
    const sink = collectSink();
    const f = new JsonFramer(sink, limits, 'concat');
    feed((b) => f.push(b), doc, [3, 9]);
    f.end(false);
    expect(sink.records.map((r) => [r.raw, r.line])).toEqual([
      ['{\n "a": 1\n}', 1],
      ['{"b": [2]}', 4],
      ['{"c":"}"}', 4],
    ]);
  });
  it('keeps the complete records of a truncated document and rejects the cut-off one', () => {
    const doc = `{"Records":[${rec1},${rec2},{"cut":"off`;
    const sink = collectSink();
    const f = new JsonFramer(sink, limits, 'records');
    f.push(Buffer.from(doc));
    f.end(true);
    expect(sink.records.map((r) => r.raw)).toEqual([rec1, rec2]);
    expect(sink.rejects).toHaveLength(1);
    expect(sink.rejects[0]!.raw).toBe('{"cut":"off');
    expect(sink.rejects[0]!.reason).toMatch(/truncated/);
    expect(sink.damages[0]).toMatch(/not closed/);
  });
  it('stops at malformed structure and says where', () => {
    const sink = collectSink();
    const f = new JsonFramer(sink, limits, 'array');
    f.push(Buffer.from('[{"a":1},{"b":2]]'));
    f.end(false);
    expect(sink.records.map((r) => r.raw)).toEqual(['{"a":1}']);
    expect(sink.rejects).toHaveLength(1);
    expect(sink.damages[0]).toMatch(/unexpected "\]" at byte 15/);
  });
  it('flags data after the end of the document', () => {
    const sink = collectSink();
    const f = new JsonFramer(sink, limits, 'array');
    f.push(Buffer.from('[1] x'));
    f.end(false);
    expect(sink.records.map((r) => r.raw)).toEqual(['1']);
    expect(sink.damages[0]).toMatch(/after the end/);
  });
  it('rejects a record over the size limit without holding it', () => {
    const big = `{"k":"${'z'.repeat(3000)}"}`;
    const sink = collectSink();
    const f = new JsonFramer(sink, limits, 'array');
    feed((b) => f.push(b), `[${big},{"ok":true}]`, [100, 1500, 2900]);
    f.end(false);
    expect(sink.records.map((r) => r.raw)).toEqual(['{"ok":true}']);
    expect(sink.rejects[0]!.reason).toMatch(/larger than/);
    expect(sink.rejects[0]!.raw.length).toBeLessThanOrEqual(1024 * 1024);
  });
  it('reports a document without the records key', () => {
    const sink = collectSink();
    const f = new JsonFramer(sink, limits, 'records');
    f.push(Buffer.from('{"foo":[{"a":1}]}'));
    f.end(false);
    expect(sink.records).toEqual([]);
    expect(sink.damages[0]).toMatch(/no "Records" array/);
  });
});

describe('CSV', () => {
  it('splits RFC 4180 fields', () => {
    expect(splitCsvRecord('a,"b,c","d ""q""",', ',')).toEqual(['a', 'b,c', 'd "q"', '']);
    expect(splitCsvRecord('x\ty', '\t')).toEqual(['x', 'y']);
    expect(splitCsvRecord('"open', ',')).toBeNull();
    expect(splitCsvRecord('"a"b', ',')).toBeNull();
  });
  it('frames records spanning lines and rejects wrong column counts', () => {
    const text = 'h1,h2\r\n1,"multi\nline"\r\n2,3,4\n5,6';
    for (const cuts of cutsOf(text.length)) {
      const sink = collectSink();
      let header: string[] = [];
      const f = new CsvFramer(sink, limits, ',', (h) => (header = h));
      feed((b) => f.push(b), text, cuts);
      f.end(false);
      expect(header).toEqual(['h1', 'h2']);
      expect(sink.records).toEqual([
        { raw: '1,"multi\nline"', line: 2, offset: 7, parsed: '["1","multi\\nline"]' },
        { raw: '5,6', line: 5, offset: 29, parsed: '["5","6"]' },
      ]);
      expect(sink.rejects).toEqual([{ raw: '2,3,4', line: 4, offset: 23, reason: 'wrong column count: expected 2 fields (header), found 3' }]);
    }
  });
  it('rejects a record left open at the end', () => {
    const sink = collectSink();
    const f = new CsvFramer(sink, limits, ',', () => {});
    f.push(Buffer.from('a,b\n1,"never closed\n'));
    f.end(false);
    expect(sink.records).toEqual([]);
    expect(sink.rejects[0]!.reason).toMatch(/inside a quoted field/);
  });
});

describe('XmlFramer', () => {
  const e1 = '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><EventID>4624</EventID></System><EventData><Data Name="a">x &lt; y</Data></EventData></Event>';
  const e2 = '<Event><!-- <Event> in a comment --><System a="1>2"/><EventData><Data><![CDATA[</Event>]]></Data></EventData></Event>';
  const doc = `<?xml version="1.0" encoding="UTF-8"?>\n<Events>\n${e1}\n${e2}</Events>\n`;
  it('cuts <Event> elements byte-exactly at every chunk boundary', async () => {
    const { XmlFramer } = await import('../../electron/engine/framing/xml-framer.js');
    for (const cuts of cutsOf(Buffer.byteLength(doc))) {
      const sink = collectSink();
      const f = new XmlFramer(sink, limits, 'Event');
      feed((b) => f.push(b), doc, cuts);
      f.end(false);
      expect(sink.records.map((r) => [r.raw, r.line, r.offset])).toEqual([
        [e1, 3, doc.indexOf(e1)],
        [e2, 4, doc.indexOf(e2)],
      ]);
      expect(sink.rejects).toEqual([]);
      expect(sink.damages).toEqual([]);
    }
  });
  it('rejects a cut-off element at the end of a damaged file', async () => {
    const { XmlFramer } = await import('../../electron/engine/framing/xml-framer.js');
    const sink = collectSink();
    const f = new XmlFramer(sink, limits, 'Event');
    f.push(Buffer.from(`<Events>${e1}<Event><System><EventID>1`));
    f.end(true);
    expect(sink.records.map((r) => r.raw)).toEqual([e1]);
    expect(sink.rejects[0]!.reason).toMatch(/truncated/);
    expect(sink.damages[0]).toMatch(/XML not closed/);
  });
});
