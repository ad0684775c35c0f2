/**
 * The Microsoft formats' own framers: `{"records":[...]}` documents one after another (Event Hub messages dumped one
 * per line) and PowerShell Export-Csv files with a `#TYPE` line. Every chunking of the input gives the same records,
 * lines and offsets, and each record's bytes are exactly the input's at that offset.
 */
import { describe, expect, it } from 'vitest';
import { PowerShellCsvFramer, RecordsDocumentsFramer } from '../../electron/engine/formats/microsoft-common.js';
import { collectSink, feed } from '../support/collect-sink.js';

const limits = { maxRecordBytes: 4096 };

function cutsOf(len: number): number[][] {
  const out: number[][] = [[]];
  for (let i = 1; i < len; i++) out.push([i]);
  out.push(Array.from({ length: len - 1 }, (_, i) => i + 1));
  return out;
}

describe('RecordsDocumentsFramer', () => {
  const text = [
    '{"records":[{"a":1},{"b":"x\\"}"}]}',
    '{"records": [',
    '  {"c": [1, 2]}',
    ']}',
    '{"other":[{"d":1}]}',
    '{"records":[]}',
    '',
  ].join('\n');

  it('cuts the records of every document with exact lines and offsets, whatever the chunking', () => {
    const buf = Buffer.from(text, 'utf8');
    for (const cuts of cutsOf(buf.length)) {
      const sink = collectSink();
      const f = new RecordsDocumentsFramer(sink, limits, 'records');
      feed((b) => f.push(b), buf, cuts);
      f.end(false);
      expect(sink.records).toEqual([
        { raw: '{"a":1}', line: 1, offset: 12 },
        { raw: '{"b":"x\\"}"}', line: 1, offset: 20 },
        { raw: '{"c": [1, 2]}', line: 3, offset: buf.indexOf('{"c"') },
        // an empty array yields nothing; a document without the array is one reject
      ]);
      expect(sink.rejects).toEqual([{ raw: '{"other":[{"d":1}]}', line: 5, offset: buf.indexOf('{"other"'), reason: 'document without a "records" array' }]);
      expect(sink.damages).toEqual([]);
      for (const r of sink.records) expect(buf.subarray(r.offset!, r.offset! + Buffer.byteLength(r.raw)).toString('utf8')).toBe(r.raw);
    }
  });

  it('reports a document cut off at the end of the member', () => {
    const sink = collectSink();
    const f = new RecordsDocumentsFramer(sink, limits, 'records');
    f.push(Buffer.from('{"records":[{"a":1}]}\n{"records":[{"b":2},{"c"'));
    f.end(false);
    expect(sink.records.map((r) => r.raw)).toEqual(['{"a":1}']);
    expect(sink.rejects).toHaveLength(1);
    expect(sink.rejects[0]!.reason).toMatch(/^record truncated/);
    expect(sink.damages.join(' ')).toMatch(/JSON document not closed/);
  });
});

describe('PowerShellCsvFramer', () => {
  const text =
    '#TYPE Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.AuditRecord\r\n' +
    '"CreationDate","Operations","AuditData"\r\n' +
    '"3/4/2024 8:15:02 AM","UserLoggedIn","{""a"":1}"\r\n' +
    '"3/4/2024 8:16:40 AM","New-InboxRule","{""b"":\r\n""two lines""}"\r\n';

  it('skips the #TYPE line, keeps the header out of the records and counts physical lines from the file start', () => {
    const buf = Buffer.from(text, 'utf8');
    for (const cuts of cutsOf(buf.length)) {
      const sink = collectSink();
      const f = new PowerShellCsvFramer(sink, limits, ',');
      feed((b) => f.push(b), buf, cuts);
      f.end(false);
      expect(sink.records.map((r) => ({ line: r.line, offset: r.offset, parsed: r.parsed }))).toEqual([
        { line: 3, offset: buf.indexOf('"3/4/2024 8:15'), parsed: JSON.stringify(['3/4/2024 8:15:02 AM', 'UserLoggedIn', '{"a":1}']) },
        { line: 4, offset: buf.indexOf('"3/4/2024 8:16'), parsed: JSON.stringify(['3/4/2024 8:16:40 AM', 'New-InboxRule', '{"b":\r\n"two lines"}']) },
      ]);
      expect(sink.rejects).toEqual([]);
      for (const r of sink.records) expect(buf.subarray(r.offset!, r.offset! + Buffer.byteLength(r.raw)).toString('utf8')).toBe(r.raw);
    }
  });

  it('reads a CSV without the #TYPE line as plain CSV', () => {
    const sink = collectSink();
    const f = new PowerShellCsvFramer(sink, limits, ',');
    f.push(Buffer.from('A,B\n1,2\n3'));
    f.end(false);
    expect(sink.records.map((r) => [r.line, r.offset, r.parsed])).toEqual([
      [2, 4, '["1","2"]'],
    ]);
    expect(sink.rejects.map((r) => r.reason)).toEqual(['wrong column count: expected 2 fields (header), found 1']);
  });
});
