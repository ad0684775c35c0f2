/**
 * Cuts `journalctl -o export` output (the Journal Export Format, systemd.io/JOURNAL_EXPORT_FORMAT) into journal
 * entries. An entry is a run of fields, each either a text line `KEY=value\n` or a binary-safe field
 * `KEY\n<64-bit little-endian length><bytes>\n`; entries are separated by an empty line. Registered as the custom
 * framer `journal-export`.
 *
 * Each entry becomes one record: `line`/`offset` point at its first byte, `parsed` is a JSON object of its fields in
 * order, written the way `journalctl -o json` writes them, so one SQL mapping reads both: a value is a string when it
 * is UTF-8 without NUL bytes, else an array of its byte values; a field written more than once is an array of its
 * values. `raw` is the entry's exact bytes (without the separating empty line) when they are text. An entry holding
 * a binary field cannot be stored as text: the field's length prefix contains NUL bytes, which the pipeline refuses
 * in a text record. Such an entry's `raw` is its JSON rendering (the same as `parsed`); its exact bytes stay in the
 * evidence copy at `byte_offset` (the mapping says so in `fields['raw_form']`).
 *
 * Streaming: memory holds one entry. Damage (a binary field cut off by the end of the input, a binary value not
 * followed by its newline) rejects the entry being read and stops the member. Layer: engine (format framer).
 */
import { isUtf8 } from 'node:buffer';
import { describeSize, REJECT_RAW_KEEP, type Framer, type FramerLimits, type RecordSink } from '../framing/types.js';

const LF = 0x0a;
/** Field names: upper-case letters, digits and underscores (trusted fields start with `_`, address fields with `__`). */
const FIELD_NAME = /^[A-Za-z0-9_]+$/;

/** A field value as journalctl's JSON output has it: text, or the bytes of a value that is not text. */
export type JournalValue = string | number[];

type State = 'line' | 'len' | 'data' | 'nl';

export class JournalExportFramer implements Framer {
  private state: State = 'line';
  private consumed: number;
  /** Physical line number of the next byte (every LF counts, including those inside binary values). */
  private lineNo = 1;

  // The entry being read.
  private parts: Buffer[] = [];
  private bytes = 0;
  private oversize = false;
  private start = -1;
  private startLine = 0;
  private fields: Array<[string, JournalValue]> = [];
  private malformed: string | null = null;

  // The current text line / binary field.
  private lineParts: Buffer[] = [];
  private lineBytes = 0;
  private binKey = '';
  private lenBuf = Buffer.alloc(8);
  private lenHave = 0;
  private binLeft = 0;
  private binParts: Buffer[] = [];
  private binKeep = true;
  private stopped = false;

  constructor(
    private readonly sink: RecordSink,
    private readonly limits: FramerLimits,
    startOffset = 0,
  ) {
    this.consumed = startOffset;
  }

  push(chunk: Buffer): void {
    const base = this.consumed;
    this.consumed += chunk.length;
    let i = 0;
    const n = chunk.length;
    while (i < n && !this.stopped) {
      if (this.state === 'line') {
        if (this.start < 0) {
          // Blank lines between entries are separators, not records.
          if (chunk[i] === LF && this.lineBytes === 0) {
            this.lineNo++;
            i++;
            continue;
          }
          this.start = base + i;
          this.startLine = this.lineNo;
        }
        const lf = chunk.indexOf(LF, i);
        if (lf < 0) {
          this.take(chunk.subarray(i));
          this.lineParts.push(chunk.subarray(i));
          this.lineBytes += n - i;
          i = n;
          break;
        }
        const piece = chunk.subarray(i, lf);
        const line = this.lineBytes === 0 ? piece : Buffer.concat([...this.lineParts, piece]);
        this.lineParts = [];
        this.lineBytes = 0;
        this.lineNo++;
        if (line.length === 0) {
          // The empty line that ends the entry (not part of its bytes).
          this.emit();
        } else {
          this.take(chunk.subarray(i, lf + 1));
          this.fieldLine(line);
        }
        i = lf + 1;
      } else if (this.state === 'len') {
        const k = Math.min(8 - this.lenHave, n - i);
        chunk.copy(this.lenBuf, this.lenHave, i, i + k);
        this.take(chunk.subarray(i, i + k));
        this.lenHave += k;
        i += k;
        if (this.lenHave === 8) {
          const len = this.lenBuf.readBigUInt64LE(0);
          if (len > BigInt(Number.MAX_SAFE_INTEGER)) {
            this.fail(`binary field ${this.binKey} claims ${len} bytes: the entry is damaged; the rest of the member was not read`);
            return;
          }
          this.binLeft = Number(len);
          this.binParts = [];
          this.binKeep = this.binLeft <= this.limits.maxRecordBytes;
          this.state = this.binLeft === 0 ? 'nl' : 'data';
        }
      } else if (this.state === 'data') {
        const k = Math.min(this.binLeft, n - i);
        const piece = chunk.subarray(i, i + k);
        this.take(piece);
        if (this.binKeep && !this.oversize) this.binParts.push(piece);
        for (let j = piece.indexOf(LF); j >= 0; j = piece.indexOf(LF, j + 1)) this.lineNo++;
        this.binLeft -= k;
        i += k;
        if (this.binLeft === 0) this.state = 'nl';
      } else {
        if (chunk[i] !== LF) {
          this.fail(`binary field ${this.binKey} is not followed by a newline: the entry is damaged; the rest of the member was not read`);
          return;
        }
        this.take(chunk.subarray(i, i + 1));
        this.lineNo++;
        i++;
        const data = Buffer.concat(this.binParts);
        this.binParts = [];
        this.fields.push([this.binKey, journalValue(data)]);
        this.state = 'line';
      }
    }
  }

  end(truncated: boolean): void {
    if (this.stopped || this.start < 0) return;
    if (this.state === 'line' && this.lineBytes > 0 && !truncated) {
      // The last field line has no newline: the file simply ends there.
      const line = Buffer.concat(this.lineParts);
      this.lineParts = [];
      this.lineBytes = 0;
      this.fieldLine(line);
    }
    if (this.state === 'line' && this.lineBytes === 0) {
      this.emit();
      return;
    }
    const where = this.state === 'line' ? 'inside a field line' : `inside binary field ${this.binKey}`;
    this.sink.reject(this.rawKept(), this.startLine, this.start, `record truncated: the input ended ${where} of this journal entry`);
    this.reset();
    if (!truncated) this.sink.damage(`journal export ends ${where} (the file is truncated)`);
  }

  /** Appends bytes to the entry being read (only its first MiB once it is too large). */
  private take(b: Buffer): void {
    this.bytes += b.length;
    if (this.oversize) return;
    this.parts.push(b);
    if (this.bytes > this.limits.maxRecordBytes) {
      this.oversize = true;
      this.parts = [Buffer.concat(this.parts).subarray(0, REJECT_RAW_KEEP)];
    }
  }

  private fieldLine(line: Buffer): void {
    const eq = line.indexOf(0x3d);
    const key = (eq < 0 ? line : line.subarray(0, eq)).toString('latin1');
    if (!FIELD_NAME.test(key)) {
      this.malformed ??= `not a journal export entry: line ${this.lineNo - 1} is neither KEY=value nor a binary field name`;
      return;
    }
    if (eq < 0) {
      this.binKey = key;
      this.lenHave = 0;
      this.state = 'len';
      return;
    }
    const value = line.subarray(eq + 1);
    // Text fields are UTF-8 by the format; a stray byte keeps the value exact (as bytes) rather than a lossy string.
    this.fields.push([key, journalValue(value)]);
  }

  /** The entry's bytes without the newline that ends its last field. */
  private rawKept(): Buffer {
    const raw = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    return !this.oversize && raw.length > 0 && raw[raw.length - 1] === LF ? raw.subarray(0, raw.length - 1) : raw;
  }

  private emit(): void {
    if (this.start < 0) return;
    const raw = this.rawKept();
    if (this.oversize) {
      this.sink.reject(raw, this.startLine, this.start, `journal entry larger than the ${describeSize(this.limits.maxRecordBytes)} record limit (first ${describeSize(raw.length)} kept)`);
    } else if (this.malformed) {
      this.sink.reject(raw, this.startLine, this.start, this.malformed);
    } else {
      const parsed = journalFieldsJson(this.fields);
      const text = isUtf8(raw) && raw.indexOf(0) < 0;
      this.sink.record(text ? raw : Buffer.from(parsed, 'utf8'), this.startLine, this.start, parsed);
    }
    this.reset();
  }

  private fail(reason: string): void {
    this.sink.reject(this.rawKept(), this.startLine, this.start, reason.replace(/; the rest.*$/, ''));
    this.sink.damage(reason);
    this.reset();
    this.stopped = true;
  }

  private reset(): void {
    this.parts = [];
    this.bytes = 0;
    this.oversize = false;
    this.start = -1;
    this.fields = [];
    this.malformed = null;
    this.lineParts = [];
    this.lineBytes = 0;
    this.state = 'line';
  }
}

/** A value as text when it is UTF-8 without NUL, else its bytes. */
function journalValue(data: Buffer): JournalValue {
  return isUtf8(data) && data.indexOf(0) < 0 ? data.toString('utf8') : [...data];
}

/** The fields of an entry as a JSON object in order; a field written more than once becomes an array of its values. */
export function journalFieldsJson(fields: Array<[string, JournalValue]>): string {
  // No prototype: a field may be named like an Object property (`__proto__` matches the name rule).
  const out = Object.create(null) as Record<string, JournalValue | JournalValue[]>;
  const repeated = new Set<string>();
  for (const [k, v] of fields) {
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (repeated.has(k)) (prev as JournalValue[]).push(v);
    else {
      out[k] = [prev as JournalValue, v];
      repeated.add(k);
    }
  }
  return JSON.stringify(out);
}
