/**
 * Generic structured logs: JSON Lines, JSON arrays / documents, CSV / TSV and Parquet. The time field is detected
 * from a sample of the member (well-known names first, then any field whose sampled values all read as times) or
 * named in a `--map` file; other well-known fields (user, source IP, host, action, outcome) are picked up when present.
 * Everything else is kept: `raw` holds the record, `fields` its top-level values by name. A member with no time
 * field has every record rejected with that reason (nothing is silently dropped). Layer: engine (format module).
 */
import type { FormatModule, Mapping, MapContext, SniffSample, UserMap } from './types.js';
import { isObj, leafPaths, sniffJsonShape } from './sniff-json.js';
import { classifyTime, csvFieldsMap, jsonPath, lit, naiveNote, timeExpr, type TimeKind } from './sql.js';
import { splitCsvRecord } from '../framing/csv-framer.js';
import { MAPPABLE_COLUMNS } from '../ingest/user-map.js';

/** Field names tried first for the event time, in order. */
export const TIME_NAMES = [
  '@timestamp', 'timestamp', 'time', 'eventTime', 'EventTime', 'TimeCreated', 'TimeGenerated', 'datetime', 'date_time',
  'event_time', 'eventtime', 'ts', '_time', 'created_at', 'createdAt', 'created', 'published', 'occurred_at', 'logged_at',
  'Timestamp', 'Time', 'Date', 'date',
];

/** Well-known names for other event columns (first present wins). */
const WELL_KNOWN: Record<string, string[]> = {
  actor_user: ['user.name', 'username', 'userName', 'user_name', 'user', 'actor', 'actor.alternateId', 'UserName', 'User', 'SubjectUserName', 'principal'],
  src_ip: ['source.ip', 'src_ip', 'srcip', 'client_ip', 'clientIp', 'ip', 'ip_address', 'ipAddress', 'sourceIPAddress', 'remote_addr', 'IpAddress', 'CallerIpAddress'],
  host: ['host.name', 'hostname', 'host', 'Hostname', 'computer', 'Computer', 'computer_name', 'device'],
  activity: ['event.action', 'action', 'eventName', 'event_type', 'eventType', 'operation', 'OperationName', 'event', 'EventID', 'activity'],
  status: ['event.outcome', 'outcome', 'result', 'status', 'Status'],
};

function pick(paths: Set<string>, names: string[]): string | undefined {
  return names.find((n) => paths.has(n));
}

interface TimeChoice {
  field: string;
  kind: TimeKind;
}

/** Chooses the time field from sampled records (objects) or CSV rows (as objects keyed by header). */
export function detectTimeField(samples: Array<Record<string, unknown>>): TimeChoice | null {
  if (samples.length === 0) return null;
  const paths = new Map<string, unknown[]>();
  for (const s of samples) for (const [p, v] of leafPaths(s)) (paths.get(p) ?? paths.set(p, []).get(p)!).push(v);
  // A field is the clock when most sampled records carry it as a time (a few damaged or odd records must not hide it;
  // those are rejected one by one later) and all its readable values are of one kind.
  const kindOf = (vals: unknown[]): TimeKind | null => {
    const kinds = vals.map(classifyTime).filter((k): k is TimeKind => k !== null);
    if (kinds.length === 0 || kinds.length < Math.ceil(samples.length * 0.6)) return null;
    return kinds.every((k) => k === kinds[0]) ? kinds[0]! : null;
  };
  for (const name of TIME_NAMES) {
    const vals = paths.get(name);
    const kind = vals && kindOf(vals);
    if (kind) return { field: name, kind };
  }
  for (const [name, vals] of paths) {
    const kind = kindOf(vals);
    // Epoch-looking numbers only count under a time-like name; a plain number column is not a clock.
    if (kind && (kind === 'iso' || /time|date|ts|stamp/i.test(name))) return { field: name, kind };
  }
  return null;
}

function wellKnown(samples: Array<Record<string, unknown>>): Record<string, string> {
  const paths = new Set<string>();
  for (const s of samples) for (const [p, v] of leafPaths(s)) if (v !== null && typeof v !== 'object') paths.add(p);
  const out: Record<string, string> = {};
  for (const [col, names] of Object.entries(WELL_KNOWN)) {
    const p = pick(paths, names);
    if (p) out[col] = p;
  }
  return out;
}

/** Params from a user map override detection. */
function applyUserMap(params: Record<string, unknown>, map: UserMap | null): Record<string, unknown> {
  if (!map) return params;
  return { ...params, timeField: map.time, timeKind: map.time_format ? 'format' : (params['timeKind'] ?? 'iso'), columns: { ...(params['columns'] as object), ...map.columns } };
}

function timeColumns(tv: string, params: Record<string, unknown>, ctx: MapContext): { time: string; inferred: string } {
  const tz = ctx.userMap?.timezone ?? ctx.caseTimezone;
  if (ctx.userMap?.time_format) {
    const fmt = lit(ctx.userMap.time_format);
    const hasTz = /%z|%Z/.test(ctx.userMap.time_format);
    return {
      time: hasTz ? `try_strptime(${tv}, ${fmt})::TIMESTAMPTZ` : `timezone(${lit(tz)}, try_strptime(${tv}, ${fmt})::TIMESTAMP)`,
      inferred: hasTz || tz === 'UTC' ? 'NULL' : lit(`no UTC offset: read as local time in ${tz}`),
    };
  }
  const kind = (params['timeKind'] as TimeKind | undefined) ?? 'iso';
  return { time: timeExpr(tv, kind, tz), inferred: naiveNote(tv, kind, tz) };
}

function noTimeReason(ctx: MapContext): string {
  return ctx.params['timeField'] ? 'NULL' : lit('no time field detected in this member (name one with --map)');
}

export function genericJsonMapping(ctx: MapContext): Mapping {
  const params = applyUserMap(ctx.params, ctx.userMap);
  const cols = (params['columns'] as Record<string, string> | undefined) ?? {};
  const tf = params['timeField'] as string | undefined;
  const tv = tf ? `json_extract_string(obj, ${lit(jsonPath(tf))})` : 'NULL';
  const { time, inferred } = timeColumns('tv', params, ctx);
  const get = (c: string) => (cols[c] ? `json_extract_string(obj, ${lit(jsonPath(cols[c]!))})` : 'NULL');
  return {
    steps: [{ ok: 'json_valid(s.raw)' }, { obj: `CASE WHEN ok AND json_type(s.raw) = 'OBJECT' THEN s.raw END` }, { tv }],
    columns: {
      time_raw: 'tv',
      time,
      time_inferred: inferred,
      source_family: lit(ctx.userMap?.source_family ?? 'generic'),
      ...Object.fromEntries(MAPPABLE_COLUMNS.filter((c) => cols[c]).map((c) => [c, get(c)])),
      fields: `try(CAST(obj::JSON AS MAP(VARCHAR, VARCHAR)))`,
    },
    reject: `CASE WHEN NOT ok THEN 'invalid JSON' WHEN obj IS NULL THEN 'not a JSON object' WHEN tv IS NULL THEN ${noTimeReason(ctx) === 'NULL' ? lit(`time field "${String(tf)}" missing or null`) : noTimeReason(ctx)} END`,
  };
}

function jsonParams(samples: unknown[]): Record<string, unknown> {
  const objs = samples.filter(isObj);
  const t = detectTimeField(objs);
  return { timeField: t?.field ?? null, timeKind: t?.kind ?? null, columns: wellKnown(objs) };
}

export const jsonLines: FormatModule = {
  name: 'jsonl',
  family: 'generic',
  description: 'JSON Lines (one JSON object per line)',
  defaultFraming: { kind: 'lines' },
  sniff(s: SniffSample) {
    if (s.text === null) return null;
    const shape = sniffJsonShape(s.text, s.complete);
    if (!shape || shape.kind !== 'jsonl') return null;
    return { confidence: 0.5, framing: { kind: 'lines' }, params: jsonParams(shape.samples) };
  },
  mapping: genericJsonMapping,
};

export const jsonDocument: FormatModule = {
  name: 'json',
  family: 'generic',
  description: 'JSON array of records, or one or more JSON documents (each top-level value is a record)',
  defaultFraming: { kind: 'json', layout: 'concat' },
  sniff(s: SniffSample) {
    if (s.text === null) return null;
    const shape = sniffJsonShape(s.text, s.complete);
    if (!shape || shape.kind !== 'json') return null;
    // A {"Records": [...]} document that is not CloudTrail: its records are the array's elements.
    const layout = shape.layout;
    return {
      confidence: 0.45,
      framing: layout === 'records' ? { kind: 'json', layout, recordsKey: shape.recordsKey } : { kind: 'json', layout },
      params: jsonParams(shape.samples),
    };
  },
  mapping: genericJsonMapping,
};

/** Delimiter of a delimited text sample: the candidate with the same non-zero count on the first lines. */
export function detectDelimiter(lines: string[]): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const d of [',', '\t', ';', '|']) {
    const counts = lines.slice(0, 10).map((l) => splitCsvRecord(l, d)?.length ?? -1);
    if (counts.length === 0 || counts[0]! < 2) continue;
    const consistent = counts.filter((c) => c === counts[0]).length >= Math.max(1, counts.length - 1);
    if (consistent && counts[0]! > bestCount) {
      best = d;
      bestCount = counts[0]!;
    }
  }
  return best;
}

export function genericCsvMapping(ctx: MapContext): Mapping {
  const header = (ctx.params['header'] as string[] | undefined) ?? [];
  const params = applyUserMap(ctx.params, ctx.userMap);
  const cols = (params['columns'] as Record<string, string> | undefined) ?? {};
  const idx = (name: string | undefined) => (name === undefined ? -1 : header.indexOf(name));
  const tf = params['timeField'] as string | undefined;
  const ti = idx(tf);
  const tv = ti >= 0 ? `nullif(f[${ti + 1}], '')` : 'NULL';
  const { time, inferred } = timeColumns('tv', params, ctx);
  const get = (c: string) => (idx(cols[c]) >= 0 ? `nullif(f[${idx(cols[c]) + 1}], '')` : 'NULL');
  return {
    steps: [{ f: `from_json(s.parsed, '["VARCHAR"]')` }, { tv }],
    columns: {
      time_raw: 'tv',
      time,
      time_inferred: inferred,
      source_family: lit(ctx.userMap?.source_family ?? 'generic'),
      source_format: lit(ctx.params['delimiter'] === '\t' ? 'tsv' : 'csv'),
      ...Object.fromEntries(MAPPABLE_COLUMNS.filter((c) => idx(cols[c]) >= 0).map((c) => [c, get(c)])),
      fields: csvFieldsMap(header),
    },
    reject: `CASE WHEN tv IS NULL THEN ${ti >= 0 ? lit(`time column "${String(tf)}" empty`) : noTimeReason(ctx)} END`,
  };
}

export const csv: FormatModule = {
  name: 'csv',
  family: 'generic',
  description: 'Delimited text with a header line: CSV, TSV, semicolon- or pipe-separated',
  defaultFraming: { kind: 'csv', delimiter: ',' },
  sniff(s: SniffSample) {
    if (s.text === null) return null;
    const lead = s.text.trimStart()[0];
    if (lead === '{' || lead === '[' || lead === '<') return null;
    const lines = s.text.split(/\r?\n/).filter((l) => l.length > 0);
    if (!s.complete) lines.pop();
    if (lines.length === 0) return null;
    const first = lines[0]!.trimStart();
    if (first.startsWith('{') || first.startsWith('[') || first.startsWith('<')) return null;
    const delimiter = detectDelimiter(lines);
    if (!delimiter) return null;
    const header = splitCsvRecord(lines[0]!, delimiter)!;
    const rows = lines.slice(1, 21).map((l) => splitCsvRecord(l, delimiter)).filter((r): r is string[] => r !== null && r.length === header.length);
    const objs = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    const t = detectTimeField(objs);
    const fileHint = /\.(csv|tsv|tab)$/i.test(s.path) ? 0.1 : 0;
    return {
      confidence: 0.4 + fileHint,
      framing: { kind: 'csv', delimiter },
      params: { delimiter, header, timeField: t?.field ?? null, timeKind: t?.kind ?? null, columns: wellKnown(objs) },
    };
  },
  mapping: genericCsvMapping,
};

export const parquet: FormatModule = {
  name: 'parquet',
  family: 'generic',
  description: 'Apache Parquet (each row is a record; read by DuckDB directly)',
  defaultFraming: { kind: 'parquet' },
  sniff(s: SniffSample) {
    if (s.head.subarray(0, 4).toString('latin1') === 'PAR1') return { confidence: 0.99, framing: { kind: 'parquet' }, params: {} };
    return null;
  },
  mapping: genericJsonMapping,
};

export { jsonParams as genericJsonParams };
