/**
 * Turns DuckDB values into plain JSON-safe values with fixed rules, independent of the process time zone:
 * TIMESTAMPTZ as ISO 8601 UTC (`2024-01-31T23:59:59Z`, microseconds when present), BIGINT/HUGEINT/DECIMAL as strings,
 * MAP as an object, BLOB as text when it is valid UTF-8 else as `\xNN` escapes. Layer: engine.
 */
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBArrayValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBResultReader,
} from '@duckdb/node-api';
import { isUtf8 } from 'node:buffer';

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** ISO 8601 UTC from microseconds since the epoch. */
export function isoFromMicros(micros: bigint, zulu = true): string {
  let secs = micros / 1_000_000n;
  let rem = micros % 1_000_000n;
  if (rem < 0n) {
    rem += 1_000_000n;
    secs -= 1n;
  }
  const sub = Number(rem);
  const d = new Date(Number(secs) * 1000);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${zulu ? 'T' : ' '}${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const frac = sub === 0 ? '' : '.' + String(sub).padStart(6, '0');
  return base + frac + (zulu ? 'Z' : '');
}

export function plainValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
    case 'string':
    case 'boolean':
      return v;
  }
  if (v instanceof DuckDBTimestampTZValue) return v.isFinite ? isoFromMicros(v.micros) : String(v);
  if (v instanceof DuckDBTimestampValue) return v.isFinite ? isoFromMicros(v.micros, false) : String(v);
  if (v instanceof DuckDBDateValue) return v.toString();
  if (v instanceof DuckDBDecimalValue) return v.toString();
  if (v instanceof DuckDBMapValue) {
    const o: Record<string, unknown> = {};
    for (const e of v.entries) o[String(plainValue(e.key))] = plainValue(e.value);
    return o;
  }
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(plainValue);
  if (v instanceof DuckDBStructValue) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v.entries)) o[k] = plainValue(x);
    return o;
  }
  if (v instanceof DuckDBBlobValue) {
    const b = Buffer.from(v.bytes);
    return isUtf8(b) ? b.toString('utf8') : blobEscape(b);
  }
  return String(v);
}

export function blobEscape(b: Buffer): string {
  let s = '';
  for (const c of b) s += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
  return s;
}

export interface PlainTable {
  columns: string[];
  types: string[];
  rows: unknown[][];
}

export function plainTable(reader: DuckDBResultReader): PlainTable {
  return {
    columns: reader.columnNames(),
    types: reader.columnTypes().map((t) => t.toString()),
    rows: reader.getRows().map((r) => r.map(plainValue)),
  };
}

export function plainObjects(reader: DuckDBResultReader): Array<Record<string, unknown>> {
  const names = reader.columnNames();
  return reader.getRows().map((r) => Object.fromEntries(r.map((v, i) => [names[i]!, plainValue(v)])));
}
