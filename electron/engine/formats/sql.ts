/** Small SQL builders shared by format mappings. Layer: engine. */

export function lit(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** A DuckDB JSON path for a dotted field path, quoting each key (`a.b` → `$."a"."b"`). */
export function jsonPath(field: string): string {
  return '$' + field.split('.').map((k) => `."${k.replaceAll('"', '\\"')}"`).join('');
}

/**
 * Time from a string that is ISO 8601 / RFC 3339 (with or without offset) or an epoch number, as TIMESTAMPTZ.
 * Strings without an offset are read in `tz`. `kind` selects the epoch unit for numbers.
 */
export function timeExpr(v: string, kind: TimeKind, tz: string): string {
  switch (kind) {
    case 'epoch_s':
      return `to_timestamp(try_cast(${v} AS DOUBLE))`;
    case 'epoch_ms':
      return `make_timestamptz(try_cast(try_cast(${v} AS DOUBLE) * 1000 AS BIGINT))`;
    case 'epoch_us':
      return `make_timestamptz(try_cast(${v} AS BIGINT))`;
    case 'epoch_ns':
      return `make_timestamptz(try_cast(${v} AS HUGEINT) // 1000)`;
    case 'iso':
      return `CASE WHEN regexp_matches(${v}, '(?i)(z|[+-]\\d{2}(:?\\d{2})?)$') THEN try_cast(${v} AS TIMESTAMPTZ)
        ELSE timezone(${lit(tz)}, try_cast(${v} AS TIMESTAMP)) END`;
  }
}

/** Note for `time_inferred` when an ISO time had no offset. */
export function naiveNote(v: string, kind: TimeKind, tz: string): string {
  if (kind !== 'iso' || tz === 'UTC') return 'NULL';
  return `CASE WHEN regexp_matches(${v}, '(?i)(z|[+-]\\d{2}(:?\\d{2})?)$') THEN NULL ELSE ${lit(`no UTC offset: read as local time in ${tz}`)} END`;
}

export type TimeKind = 'iso' | 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'epoch_ns';

/** Classifies a sampled time value for `timeExpr`, or null when it does not look like a time. */
export function classifyTime(v: unknown): TimeKind | null {
  if (typeof v === 'number' || (typeof v === 'string' && /^\d{9,19}(\.\d+)?$/.test(v))) {
    const n = Number(v);
    if (n >= 1e8 && n < 1e10) return 'epoch_s';
    if (n >= 1e11 && n < 1e13) return 'epoch_ms';
    if (n >= 1e14 && n < 1e16) return 'epoch_us';
    if (n >= 1e17 && n < 1e19) return 'epoch_ns';
    return null;
  }
  if (typeof v !== 'string') return null;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?\s?(Z|z|[+-]\d{2}(:?\d{2})?)?$/.test(v.trim())) return 'iso';
  return null;
}

/** A SQL list literal of strings. */
export function listLit(items: string[]): string {
  return `[${items.map(lit).join(', ')}]::VARCHAR[]`;
}

/**
 * `fields` of a CSV row: every column by its header name. A name that repeats (the Entra sign-in download has two
 * "Incoming token type" columns) gets " (2)", " (3)"… so that the map keys stay unique and the row still loads.
 */
export function csvFieldsMap(header: string[]): string {
  const used = new Set<string>();
  const keys = header.map((h) => {
    let k = h;
    for (let n = 2; used.has(k); n++) k = `${h} (${n})`;
    used.add(k);
    return k;
  });
  return `map(${listLit(keys)}, f)`;
}

/**
 * Why a JSON record that should carry a vendor event did not yield one, as a SQL CASE: damaged JSON, not an object,
 * no event inside the SIEM wrapper (when `wrapped`: `inner` is the wrapper's inner record, `noInner` the reason as a
 * SQL literal), else `notEvent` (a SQL literal naming the missing key).
 */
export function jsonRecordReason(wrapped: boolean, inner: string, noInner: string, notEvent: string): string {
  return `CASE
        WHEN NOT json_valid(s.raw) THEN 'invalid JSON'
        WHEN json_type(s.raw) <> 'OBJECT' THEN 'not a JSON object'
        ${wrapped ? `WHEN ${inner} IS NULL OR NOT json_valid(${inner}) THEN ${noInner}
        WHEN json_type(${inner}) <> 'OBJECT' THEN ${noInner}` : ''}
        ELSE ${notEvent} END`;
}

/** The vendor record of a staged JSON row as JSON text: the row itself, a JSON string in `message`, or the object under
 * the wrapper key (`detail`, `event`, `_source`...). */
export function wrappedRecordExpr(wrapper: string): string {
  switch (wrapper) {
    case 'none':
      return 's.raw';
    case 'message':
      return `json_extract_string(s.raw, '$.message')`;
    default:
      return `json_extract(s.raw, '$.${wrapper}')::VARCHAR`;
  }
}

/** Column positions (1-based, for DuckDB lists) by header name: trimmed, case-insensitive, first alias present. */
export function csvColumns(header: string[], aliases: Record<string, string[]>): Record<string, number> {
  const norm = header.map((h) => h.trim().toLowerCase().replace(/\s+/g, ' '));
  const out: Record<string, number> = {};
  for (const [k, names] of Object.entries(aliases)) {
    for (const n of names) {
      const i = norm.indexOf(n);
      if (i >= 0) {
        out[k] = i + 1;
        break;
      }
    }
  }
  return out;
}
