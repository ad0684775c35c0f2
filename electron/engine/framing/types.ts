/**
 * What a framer hands on: records cut from a member's byte stream with their position, records that could not be
 * cut (framing rejects), and damage that stops the member early. Framers never touch the database. Layer: engine.
 */

export interface RecordSink {
  /** A framed record: `raw` is the record's exact bytes; `parsed` an optional JSON rendering a framer already made. */
  record(raw: Buffer, line: number | null, offset: number | null, parsed?: string): void;
  /** A record seen but rejected while framing (too large, truncated, wrong field count...). */
  reject(raw: Buffer, line: number | null, offset: number | null, reason: string): void;
  /** The member is damaged from here on; records after this point are not read. */
  damage(reason: string): void;
}

export interface Framer {
  push(chunk: Buffer): void;
  /** End of input. `truncated` says the byte stream itself ended early (damaged container). */
  end(truncated: boolean): void;
}

export interface FramerLimits {
  maxRecordBytes: number;
}

/** Keeps at most `cap` bytes of a record that is being discarded, for the reject's raw column. */
export const REJECT_RAW_KEEP = 1024 * 1024;

export function describeSize(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
