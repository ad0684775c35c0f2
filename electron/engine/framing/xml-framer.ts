/**
 * Cuts XML text into records: every element named `recordElement` (e.g. `Event`) at any depth is one record, cut
 * byte-exactly from `<Event` to its matching `</Event>` (or `/>`). Used for Windows event exports ("Save as XML",
 * `wevtutil qe /f:xml`): `<Events><Event>…</Event>…</Events>` or bare concatenated `<Event>` elements. The scan knows
 * comments, CDATA, processing instructions and quoted attribute values, so a `>` or `<Event` inside them does not
 * confuse it. Layer: engine.
 */
import { describeSize, REJECT_RAW_KEEP, type Framer, type FramerLimits, type RecordSink } from './types.js';

const LT = 0x3c;

export class XmlFramer implements Framer {
  private pending: Buffer = Buffer.alloc(0);
  /** Absolute offset of pending[0]. */
  private pendingOffset: number;
  /** Line number at pending[0]. */
  private pendingLine = 1;
  private stopped = false;

  constructor(
    private readonly sink: RecordSink,
    private readonly limits: FramerLimits,
    private readonly recordElement: string,
    startOffset = 0,
  ) {
    this.pendingOffset = startOffset;
  }

  push(chunk: Buffer): void {
    if (this.stopped) return;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.scan(false);
  }

  end(truncated: boolean): void {
    if (this.stopped) return;
    this.scan(true);
    const rest = this.pending.toString('utf8').trim();
    if (rest.length > 0 && /<\s*[A-Za-z]/.test(rest) && rest.includes(`<${this.recordElement}`)) {
      this.sink.reject(this.pending.subarray(0, REJECT_RAW_KEEP), this.pendingLine, this.pendingOffset, `record truncated: the input ended inside a <${this.recordElement}> element`);
      this.sink.damage(`XML not closed: the input ended at byte ${this.pendingOffset + this.pending.length}` + (truncated ? ' (the container is damaged)' : ' (the file is truncated)'));
    }
  }

  /** Finds complete record elements in `pending`, emits them and drops the consumed prefix. */
  private scan(atEnd: boolean): void {
    const buf = this.pending;
    const open = `<${this.recordElement}`;
    let consumed = 0;
    let line = this.pendingLine;
    for (;;) {
      const start = this.findOpen(buf, consumed, open);
      if (start < 0) {
        // Keep a tail that may hold the beginning of a split "<Event".
        const keepFrom = Math.max(consumed, buf.length - open.length);
        line += countLf(buf, consumed, keepFrom);
        consumed = keepFrom;
        break;
      }
      const end = this.findRecordEnd(buf, start);
      if (end === -2) {
        this.fail(buf, start, line + countLf(buf, consumed, start), 'malformed XML inside a record element (unterminated comment, CDATA or tag)');
        return;
      }
      if (end < 0) {
        if (buf.length - start > this.limits.maxRecordBytes) {
          this.sink.reject(buf.subarray(start, start + REJECT_RAW_KEEP), line + countLf(buf, consumed, start), this.pendingOffset + start, `record larger than the ${describeSize(this.limits.maxRecordBytes)} record limit; the rest of the member was not read`);
          this.sink.damage(`an <${this.recordElement}> element exceeds the record limit at byte ${this.pendingOffset + start}`);
          this.stopped = true;
          return;
        }
        line += countLf(buf, consumed, start);
        consumed = start;
        break;
      }
      const recLine = line + countLf(buf, consumed, start);
      this.sink.record(buf.subarray(start, end), recLine, this.pendingOffset + start);
      line = recLine + countLf(buf, start, end);
      consumed = end;
    }
    if (atEnd) {
      line += countLf(buf, consumed, buf.length);
    }
    this.pending = buf.subarray(consumed);
    this.pendingOffset += consumed;
    this.pendingLine = line;
  }

  /** Index of the next `<Event` followed by whitespace, `>` or `/`, skipping comments/CDATA/PIs; -1 if none complete. */
  private findOpen(buf: Buffer, from: number, open: string): number {
    let i = buf.indexOf(LT, from);
    while (i >= 0) {
      if (startsWith(buf, i, '<!--')) {
        const e = buf.indexOf('-->', i + 4);
        if (e < 0) return -1;
        i = buf.indexOf(LT, e + 3);
        continue;
      }
      if (startsWith(buf, i, '<![CDATA[')) {
        const e = buf.indexOf(']]>', i + 9);
        if (e < 0) return -1;
        i = buf.indexOf(LT, e + 3);
        continue;
      }
      if (startsWith(buf, i, open)) {
        const c = buf[i + open.length];
        if (c === undefined) return -1;
        if (c === 0x3e || c === 0x2f || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) return i;
      }
      i = buf.indexOf(LT, i + 1);
    }
    return -1;
  }

  /**
   * End (exclusive) of the element starting at `start`: -1 when not yet complete in `buf`, -2 when malformed.
   * Counts nested elements of the same name.
   */
  private findRecordEnd(buf: Buffer, start: number): number {
    const name = this.recordElement;
    let depth = 0;
    let i = start;
    while (i < buf.length) {
      const lt = buf.indexOf(LT, i);
      if (lt < 0) return -1;
      if (startsWith(buf, lt, '<!--')) {
        const e = buf.indexOf('-->', lt + 4);
        if (e < 0) return -1;
        i = e + 3;
        continue;
      }
      if (startsWith(buf, lt, '<![CDATA[')) {
        const e = buf.indexOf(']]>', lt + 9);
        if (e < 0) return -1;
        i = e + 3;
        continue;
      }
      if (startsWith(buf, lt, '<?')) {
        const e = buf.indexOf('?>', lt + 2);
        if (e < 0) return -1;
        i = e + 2;
        continue;
      }
      // A tag: find its end, honouring quoted attribute values.
      let j = lt + 1;
      let quote = 0;
      for (; j < buf.length; j++) {
        const c = buf[j]!;
        if (quote) {
          if (c === quote) quote = 0;
        } else if (c === 0x22 || c === 0x27) quote = c;
        else if (c === 0x3e) break;
        else if (c === LT) return -2;
      }
      if (j >= buf.length) return -1;
      const closing = buf[lt + 1] === 0x2f;
      const selfClosing = buf[j - 1] === 0x2f;
      const tagName = readName(buf, closing ? lt + 2 : lt + 1);
      if (tagName === name) {
        if (closing) depth--;
        else if (!selfClosing) depth++;
        if (depth === 0) return j + 1;
      }
      i = j + 1;
    }
    return -1;
  }

  private fail(buf: Buffer, at: number, line: number, what: string): void {
    this.sink.reject(buf.subarray(at, at + REJECT_RAW_KEEP), line, this.pendingOffset + at, what);
    this.sink.damage(`${what} at byte ${this.pendingOffset + at} (line ${line}); the rest of the member was not read`);
    this.stopped = true;
  }
}

function startsWith(buf: Buffer, at: number, s: string): boolean {
  if (at + s.length > buf.length) return false;
  for (let k = 0; k < s.length; k++) if (buf[at + k] !== s.charCodeAt(k)) return false;
  return true;
}

function readName(buf: Buffer, at: number): string {
  let e = at;
  while (e < buf.length) {
    const c = buf[e]!;
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x3e || c === 0x2f) break;
    e++;
  }
  return buf.toString('latin1', at, e);
}

function countLf(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let p = buf.indexOf(0x0a, from); p >= 0 && p < to; p = buf.indexOf(0x0a, p + 1)) n++;
  return n;
}
