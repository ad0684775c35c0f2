/**
 * Cuts a byte stream into lines (LF or CRLF). Each non-blank line is one record; `line` is its 1-based physical line
 * number and `offset` the byte offset of its first byte in the member. Blank lines are not records (counted apart).
 * Layer: engine.
 */
import { describeSize, REJECT_RAW_KEEP, type Framer, type FramerLimits, type RecordSink } from './types.js';

const LF = 0x0a;
const CR = 0x0d;

function isBlank(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== CR) return false;
  }
  return true;
}

export class LineFramer implements Framer {
  blankLines = 0;
  private lineNo = 0;
  /** Absolute offset of the first byte of `pending`. */
  private pendingOffset = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** When a line is longer than the limit we stop keeping it and only remember its start. */
  private oversize = false;
  private consumed = 0;

  constructor(
    private readonly sink: RecordSink,
    private readonly limits: FramerLimits,
    /** Offset of the first byte fed (e.g. 3 after a UTF-8 BOM that the caller stripped). */
    startOffset = 0,
  ) {
    this.consumed = startOffset;
    this.pendingOffset = startOffset;
  }

  push(chunk: Buffer): void {
    let start = 0;
    const base = this.consumed;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl < 0) break;
      this.lineNo++;
      if (this.pending.length === 0 && !this.oversize) {
        this.emit(chunk.subarray(start, nl), base + start);
      } else {
        this.append(chunk.subarray(start, nl));
        this.emitPending();
      }
      start = nl + 1;
      this.pendingOffset = base + start;
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
    this.consumed = base + chunk.length;
  }

  end(truncated: boolean): void {
    if (this.pendingBytes > 0 || this.oversize) {
      this.lineNo++;
      if (truncated) {
        const raw = Buffer.concat(this.pending);
        if (!isBlank(raw)) this.sink.reject(raw, this.lineNo, this.pendingOffset, 'record truncated: the stream ended inside this line (damaged input)');
        this.reset();
        return;
      }
      this.emitPending();
    }
  }

  private append(part: Buffer): void {
    if (this.oversize) return;
    this.pending.push(part);
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.limits.maxRecordBytes) this.oversize = true;
  }

  private emitPending(): void {
    const raw = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    if (this.oversize) {
      this.sink.reject(
        raw.subarray(0, REJECT_RAW_KEEP),
        this.lineNo,
        this.pendingOffset,
        `line longer than the ${describeSize(this.limits.maxRecordBytes)} record limit (first ${describeSize(Math.min(raw.length, REJECT_RAW_KEEP))} kept)`,
      );
    } else {
      this.emit(raw, this.pendingOffset);
    }
    this.reset();
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.oversize = false;
  }

  private emit(line: Buffer, offset: number): void {
    let body = line;
    if (body.length > 0 && body[body.length - 1] === CR) body = body.subarray(0, body.length - 1);
    if (body.length === 0 || isBlank(body)) {
      this.blankLines++;
      return;
    }
    if (body.length > this.limits.maxRecordBytes) {
      this.sink.reject(
        body.subarray(0, REJECT_RAW_KEEP),
        this.lineNo,
        offset,
        `line longer than the ${describeSize(this.limits.maxRecordBytes)} record limit (first ${describeSize(Math.min(body.length, REJECT_RAW_KEEP))} kept)`,
      );
      return;
    }
    this.sink.record(body, this.lineNo, offset);
  }
}
