/**
 * Cuts JSON text into records without parsing values: a structural scan (strings, nesting) that finds where each
 * record starts and ends, so the record's exact bytes can be kept and DuckDB parses each record once. Layouts:
 * - `array`:   `[ rec, rec, ... ]`                      (JSON array exports)
 * - `records`: `{ "Records": [ rec, rec, ... ], ... }`  (CloudTrail S3 objects and console JSON downloads; key configurable)
 * - `concat`:  `rec rec ...`                            (one or more top-level values: a single object, `jq` output)
 * Streaming: memory holds only the record being cut. A document that ends early (truncated file) yields its complete
 * records, a reject for the cut-off one, and damage naming the byte offset. Line numbers count newlines outside
 * strings (a raw newline inside a string is invalid JSON; such a record is rejected by the parser later).
 * Layer: engine.
 */
import { describeSize, REJECT_RAW_KEEP, type Framer, type FramerLimits, type RecordSink } from './types.js';

export type JsonLayout = 'array' | 'records' | 'concat';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const LF = 0x0a;

function isWs(c: number): boolean {
  return c === 0x20 || c === LF || c === 0x0d || c === 0x09;
}

export class JsonFramer implements Framer {
  /** Open brackets, innermost last. */
  private stack: number[] = [];
  private inStr = false;
  /** Backslashes at the end of the previous chunk while inside a string. */
  private carry = 0;
  /** Stack depth at which elements are records; -1 while outside the record container. */
  private recDepth: number;
  /** The whole document has closed (array/records layouts). */
  private done = false;
  private stopped = false;
  private foundContainer = false;

  // The element being cut.
  private elemStart = -1;
  private elemEnd = -1;
  private elemLine = 0;
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private oversize = false;

  // Keys of the top-level object (records layout).
  private keyParts: Buffer[] | null = null;
  private lastString = '';
  private currentKey = '';
  /** Keys of the top-level object other than the record key (not records; listed in the member's params). */
  readonly otherTopLevelKeys: string[] = [];

  private consumed: number;
  private lineNo = 1;

  constructor(
    private readonly sink: RecordSink,
    private readonly limits: FramerLimits,
    private readonly layout: JsonLayout,
    private readonly recordsKey = 'Records',
    startOffset = 0,
  ) {
    this.consumed = startOffset;
    this.recDepth = layout === 'concat' ? 0 : -1;
  }

  push(chunk: Buffer): void {
    const base = this.consumed;
    this.consumed = base + chunk.length;
    if (this.stopped) return;
    const n = chunk.length;
    let i = 0;
    /** Index in this chunk where the open element's bytes start (0 when it began in an earlier chunk). */
    let keepFrom = this.elemStart >= 0 ? 0 : -1;
    while (i < n) {
      if (this.inStr) {
        let q = chunk.indexOf(QUOTE, i);
        while (q >= 0) {
          let k = q - 1;
          let run = 0;
          while (k >= 0 && chunk[k] === BACKSLASH) {
            run++;
            k--;
          }
          if (k < 0) run += this.carry;
          if (run % 2 === 0) break;
          q = chunk.indexOf(QUOTE, q + 1);
        }
        if (q < 0) {
          if (this.keyParts) this.keyParts.push(chunk.subarray(i, n));
          let k = n - 1;
          let run = 0;
          while (k >= i && chunk[k] === BACKSLASH) {
            run++;
            k--;
          }
          this.carry = k < i && i === 0 ? this.carry + run : run;
          i = n;
          break;
        }
        this.carry = 0;
        if (this.keyParts) {
          this.keyParts.push(chunk.subarray(i, q));
          this.lastString = Buffer.concat(this.keyParts).toString('utf8');
          this.keyParts = null;
        }
        this.inStr = false;
        if (this.stack.length === this.recDepth && this.elemStart >= 0) this.elemEnd = base + q + 1;
        i = q + 1;
        continue;
      }
      const c = chunk[i]!;
      if (isWs(c)) {
        if (c === LF) this.lineNo++;
        if (this.recDepth === 0 && this.stack.length === 0 && this.elemStart >= 0) keepFrom = this.finish(chunk, keepFrom, i);
        i++;
        continue;
      }
      if (this.done) return this.fail(chunk, base, i, 'unexpected data after the end of the JSON document');
      const depth = this.stack.length;
      if (depth === this.recDepth && this.elemStart < 0 && c !== COMMA && c !== CLOSE_ARR && c !== CLOSE_OBJ) {
        this.elemStart = base + i;
        this.elemEnd = base + i + 1;
        this.elemLine = this.lineNo;
        keepFrom = i;
      }
      switch (c) {
        case QUOTE:
          this.inStr = true;
          this.carry = 0;
          if (this.layout === 'records' && depth === 1) this.keyParts = [];
          break;
        case OPEN_OBJ:
        case OPEN_ARR:
          if (depth === 0 && this.layout === 'array' && c !== OPEN_ARR) return this.fail(chunk, base, i, 'expected a JSON array ("[") at the start of the document');
          if (depth === 0 && this.layout === 'records' && c !== OPEN_OBJ) return this.fail(chunk, base, i, 'expected a JSON object ("{") at the start of the document');
          this.stack.push(c);
          if (this.layout === 'array' && this.stack.length === 1) {
            this.recDepth = 1;
            this.foundContainer = true;
          } else if (this.layout === 'records' && this.stack.length === 2 && c === OPEN_ARR && this.currentKey === this.recordsKey) {
            this.recDepth = 2;
            this.foundContainer = true;
          }
          break;
        case CLOSE_OBJ:
        case CLOSE_ARR: {
          const open = this.stack.pop();
          if (open === undefined || (c === CLOSE_OBJ) !== (open === OPEN_OBJ)) {
            if (open !== undefined) this.stack.push(open);
            return this.fail(chunk, base, i, `malformed JSON: unexpected "${String.fromCharCode(c)}"`);
          }
          const after = this.stack.length;
          if (after === this.recDepth && this.elemStart >= 0) {
            this.elemEnd = base + i + 1;
            if (this.recDepth === 0) keepFrom = this.finish(chunk, keepFrom, i + 1);
          } else if (depth === this.recDepth && this.layout !== 'concat') {
            // The record container itself closes.
            if (this.elemStart >= 0) keepFrom = this.finish(chunk, keepFrom, i);
            this.recDepth = -1;
          }
          if (after === 0 && this.layout !== 'concat') this.done = true;
          break;
        }
        case COMMA:
          if (depth === this.recDepth && this.elemStart >= 0) keepFrom = this.finish(chunk, keepFrom, i);
          if (this.layout === 'records' && depth === 1) this.currentKey = '';
          break;
        case COLON:
          if (this.layout === 'records' && depth === 1) {
            this.currentKey = this.lastString;
            if (this.currentKey !== this.recordsKey && this.otherTopLevelKeys.length < 50 && !this.otherTopLevelKeys.includes(this.currentKey)) {
              this.otherTopLevelKeys.push(this.currentKey);
            }
          }
          break;
        default:
          if (depth === this.recDepth && this.elemStart >= 0) this.elemEnd = base + i + 1;
      }
      i++;
    }
    if (this.elemStart >= 0 && keepFrom >= 0) this.keep(chunk.subarray(keepFrom));
  }

  end(truncated: boolean): void {
    if (this.stopped) return;
    if (this.elemStart >= 0 && this.recDepth === 0 && this.stack.length === 0 && !this.inStr) {
      this.emit(); // a top-level scalar running to the end of input
    }
    if (this.elemStart >= 0) {
      const raw = Buffer.concat(this.parts).subarray(0, REJECT_RAW_KEEP);
      this.sink.reject(raw, this.elemLine, this.elemStart, `record truncated: the input ended at byte ${this.consumed} before the record was closed`);
      this.elemStart = -1;
    }
    if (this.stack.length > 0 || this.inStr) {
      this.sink.damage(
        `JSON document not closed: the input ended at byte ${this.consumed} with ${this.stack.length} bracket(s) open` +
          (truncated ? ' (the container is damaged)' : ' (the file is truncated)'),
      );
    } else if (this.layout !== 'concat' && !this.foundContainer && this.consumed > 0) {
      this.sink.damage(this.layout === 'records' ? `no "${this.recordsKey}" array in the JSON document` : 'no JSON array in the document');
    }
  }

  private fail(chunk: Buffer, base: number, i: number, what: string): void {
    if (this.elemStart >= 0) {
      const from = Math.max(0, this.elemStart - base);
      this.keep(chunk.subarray(from, i + 1));
      const raw = Buffer.concat(this.parts).subarray(0, REJECT_RAW_KEEP);
      this.sink.reject(raw, this.elemLine, this.elemStart, `${what} at byte ${base + i}`);
      this.elemStart = -1;
    }
    this.sink.damage(`${what} at byte ${base + i} (line ${this.lineNo}); the rest of the member was not read`);
    this.stopped = true;
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

  /** The open element ends before `stop` in this chunk. */
  private finish(chunk: Buffer, keepFrom: number, stop: number): number {
    if (keepFrom >= 0) this.keep(chunk.subarray(keepFrom, stop));
    this.emit();
    return -1;
  }

  private emit(): void {
    let raw = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    if (this.oversize) {
      this.sink.reject(raw, this.elemLine, this.elemStart, `record larger than the ${describeSize(this.limits.maxRecordBytes)} record limit (first ${describeSize(raw.length)} kept)`);
    } else {
      const len = this.elemEnd - this.elemStart;
      if (len > 0 && len < raw.length) raw = raw.subarray(0, len);
      this.sink.record(raw, this.elemLine, this.elemStart);
    }
    this.elemStart = -1;
    this.elemEnd = -1;
    this.parts = [];
    this.partsBytes = 0;
    this.oversize = false;
  }
}
