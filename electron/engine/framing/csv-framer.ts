/**
 * Cuts delimited text (CSV, TSV; RFC 4180 quoting) into records. A record ends at a line break outside quotes, so
 * one record may span several physical lines; `line` is the physical line where it starts. The first record is the
 * header. Each data record goes on with its exact bytes and its fields as a JSON array (`parsed`); a record whose
 * field count differs from the header's is rejected with both counts. Layer: engine.
 */
import { describeSize, REJECT_RAW_KEEP, type Framer, type FramerLimits, type RecordSink } from './types.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** Splits one CSV record (without its line terminator) into fields. Returns null when quoting is malformed. */
export function splitCsvRecord(text: string, delimiter: string): string[] | null {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    if (i < n && text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return null;
        v += text.slice(i, q);
        if (text[q + 1] === '"') {
          v += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(v);
      if (i === n) return out;
      if (text[i] !== delimiter) return null;
      i++;
      if (i === n) {
        out.push('');
        return out;
      }
    } else {
      const d = text.indexOf(delimiter, i);
      if (d < 0) {
        out.push(text.slice(i));
        return out;
      }
      out.push(text.slice(i, d));
      i = d + 1;
      if (i === n) {
        out.push('');
        return out;
      }
    }
  }
}

export class CsvFramer implements Framer {
  header: string[] | null = null;
  blankLines = 0;
  private inQuotes = false;
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private oversize = false;
  private recStart: number;
  private recLine = 1;
  private lineNo = 0;
  private consumed: number;

  constructor(
    private readonly sink: RecordSink,
    private readonly limits: FramerLimits,
    private readonly delimiter: string,
    /** Called once with the header fields. */
    private readonly onHeader: (fields: string[], raw: Buffer) => void,
    startOffset = 0,
  ) {
    this.consumed = startOffset;
    this.recStart = startOffset;
  }

  push(chunk: Buffer): void {
    const base = this.consumed;
    this.consumed += chunk.length;
    let pos = 0;
    let segStart = 0;
    while (pos < chunk.length) {
      const lf = chunk.indexOf(LF, pos);
      const stop = lf < 0 ? chunk.length : lf;
      // Quote parity over [pos, stop): each quote toggles (an escaped "" toggles twice).
      let q = chunk.indexOf(QUOTE, pos);
      while (q >= 0 && q < stop) {
        this.inQuotes = !this.inQuotes;
        q = chunk.indexOf(QUOTE, q + 1);
      }
      if (lf < 0) break;
      this.lineNo++;
      if (!this.inQuotes) {
        this.keep(chunk.subarray(segStart, lf));
        this.emit();
        segStart = lf + 1;
        this.recStart = base + segStart;
        this.recLine = this.lineNo + 1;
      }
      pos = lf + 1;
    }
    if (segStart < chunk.length) this.keep(chunk.subarray(segStart));
  }

  end(truncated: boolean): void {
    if (this.partsBytes === 0 && !this.oversize) return;
    if (this.inQuotes || truncated) {
      const raw = Buffer.concat(this.parts).subarray(0, REJECT_RAW_KEEP);
      this.sink.reject(
        raw,
        this.recLine,
        this.recStart,
        this.inQuotes ? 'record truncated: the input ended inside a quoted field' : 'record truncated: the stream ended inside this record (damaged input)',
      );
      this.parts = [];
      this.partsBytes = 0;
      return;
    }
    this.emit();
  }

  private keep(part: Buffer): void {
    if (this.oversize || part.length === 0) return;
    this.parts.push(part);
    this.partsBytes += part.length;
    if (this.partsBytes > this.limits.maxRecordBytes) {
      this.oversize = true;
      this.parts = [Buffer.concat(this.parts).subarray(0, REJECT_RAW_KEEP)];
    }
  }

  private emit(): void {
    let raw = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.partsBytes = 0;
    const wasOversize = this.oversize;
    this.oversize = false;
    if (raw.length > 0 && raw[raw.length - 1] === CR) raw = raw.subarray(0, raw.length - 1);
    if (wasOversize) {
      this.sink.reject(raw, this.recLine, this.recStart, `record larger than the ${describeSize(this.limits.maxRecordBytes)} record limit (first ${describeSize(raw.length)} kept)`);
      return;
    }
    if (raw.length === 0) {
      this.blankLines++;
      return;
    }
    const text = raw.toString('utf8');
    const fields = splitCsvRecord(text, this.delimiter);
    if (this.header === null) {
      if (!fields) {
        this.sink.damage(`the header line (line ${this.recLine}) has malformed quoting; the member was not read`);
        return;
      }
      this.header = fields;
      this.onHeader(fields, raw);
      return;
    }
    if (!fields) {
      this.sink.reject(raw, this.recLine, this.recStart, 'malformed quoting (a quote inside an unquoted field or text after a closing quote)');
      return;
    }
    if (fields.length !== this.header.length) {
      this.sink.reject(raw, this.recLine, this.recStart, `wrong column count: expected ${this.header.length} fields (header), found ${fields.length}`);
      return;
    }
    this.sink.record(raw, this.recLine, this.recStart, JSON.stringify(fields));
  }
}
