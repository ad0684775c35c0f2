/**
 * What the Microsoft log modules (Azure Activity, Entra, Microsoft 365) share: structs whose top-level keys come in
 * several spellings (camelCase, lower case, Log Analytics names), Microsoft time strings, the record classifier the
 * sniffers use, CSV header helpers, and two framers (consecutive `{"records":[...]}` documents; PowerShell CSV with a
 * `#TYPE` line). Layer: engine (format modules).
 */
import { CsvFramer, splitCsvRecord } from '../framing/csv-framer.js';
import { JsonFramer } from '../framing/json-framer.js';
import { registerFramer } from '../framing/custom.js';
import type { Framer, FramerLimits, RecordSink } from '../framing/types.js';
import { isObj, majority, sampleKeyedRecords, sniffJsonShape } from './sniff-json.js';
import { jsonRecordReason, lit, listLit, timeExpr, wrappedRecordExpr } from './sql.js';
import type { Framing, SniffHit, SniffSample } from './types.js';

// ---------------------------------------------------------------------------------------------------------------
// Structs whose top-level keys may come in several spellings
// ---------------------------------------------------------------------------------------------------------------

export type JType = string | JType[] | { [k: string]: JType };

/** A top-level field read under any of `keys` (exact spellings: json_transform matches keys case-sensitively). */
export interface TopField {
  name: string;
  keys: string[];
  type: JType;
}

/**
 * A field read as written, in camelCase, in lower case (Entra's ServicePrincipalSignInLogs and some forwarders write
 * `calleripaddress`, `operationname`…) and under any extra spellings (snake_case, other names).
 */
export function tf(name: string, type: JType, ...extra: string[]): TopField {
  const camel = name[0]!.toLowerCase() + name.slice(1);
  return { name, keys: [...new Set([name, camel, name.toLowerCase(), ...extra])], type };
}

/** The json_transform structure for a list of top-level fields: every spelling is its own member. */
export function structSpec(fields: TopField[]): string {
  const o: Record<string, JType> = {};
  for (const f of fields) {
    for (const k of f.keys) {
      // packSpec counts members by position: a spelling shared by two fields would shift every later one.
      if (k in o) throw new Error(`key "${k}" spelled by two fields of one struct`);
      o[k] = f.type;
    }
  }
  return lit(JSON.stringify(o));
}

/**
 * Folds the spellings back into one member per field. DuckDB resolves struct member names case-insensitively, so
 * `operationName` and `operationname` cannot be told apart by name: the members are addressed by position.
 */
export function packSpec(fields: TopField[], j: string): string {
  let pos = 0;
  const parts = fields.map((f) => {
    const at = f.keys.map(() => `struct_extract_at(${j}, ${++pos})`);
    return `"${f.name}" := ${at.length === 1 ? at[0] : `coalesce(${at.join(', ')})`}`;
  });
  return `struct_pack(${parts.join(', ')})`;
}

/** Lower-cased top-level keys of a sampled object (sniffing only). */
export function lowerKeys(o: unknown): Record<string, unknown> | null {
  if (!isObj(o)) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!(k.toLowerCase() in out)) out[k.toLowerCase()] = v;
  return out;
}

export const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

// ---------------------------------------------------------------------------------------------------------------
// Microsoft time strings
// ---------------------------------------------------------------------------------------------------------------

export const US_FORMATS = ['%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %I:%M:%S.%f %p', '%m/%d/%Y %I:%M %p', '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M:%S.%f', '%m/%d/%Y %H:%M'];
export const JS_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A Microsoft time string as TIMESTAMPTZ. ISO 8601 with an offset is exact; without one it is read in `naiveTz`
 * (UTC where Microsoft documents the field as UTC). Also read: `/Date(ms)/` (Windows PowerShell 5.1 ConvertTo-Json),
 * US-locale `M/d/yyyy h:mm:ss AM` (Purview and Log Analytics CSV downloads; day-first dates are not guessed: they
 * stay unparsed and the record is rejected with its time text) and the browser's `Tue Mar 07 2023 10:05:12
 * GMT+0100 (…)`. Fractions beyond microseconds (Azure writes 100 ns ticks) are truncated; `time_raw` keeps them.
 */
export function msTime(v: string, naiveTz = 'UTC'): string {
  const js = String.raw`regexp_extract(${v}, '^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{4}) (\d{2}:\d{2}:\d{2}) GMT([+-]\d{2})(\d{2})', ['mon', 'day', 'year', 'hms', 'oh', 'om'])`;
  const monCase = `CASE ${js}.mon ${JS_MONTHS.map((m, i) => `WHEN '${m}' THEN '${String(i + 1).padStart(2, '0')}'`).join(' ')} END`;
  return `CASE
    WHEN ${v} IS NULL THEN NULL
    WHEN regexp_matches(${v}, '^\\d{4}-\\d{2}-\\d{2}[T ]\\d') THEN ${timeExpr(v, 'iso', naiveTz)}
    WHEN regexp_matches(${v}, '^/Date\\(-?\\d+([+-]\\d{4})?\\)/$') THEN make_timestamptz(try_cast(regexp_extract(${v}, '(-?\\d+)', 1) AS BIGINT) * 1000)
    WHEN regexp_matches(${v}, '^\\d{1,2}/\\d{1,2}/\\d{4},? \\d{1,2}:\\d{2}') THEN timezone(${lit(naiveTz)}, try_strptime(replace(${v}, ',', ''), ${listLit(US_FORMATS)}))
    WHEN regexp_matches(${v}, '^[A-Z][a-z]{2} [A-Z][a-z]{2} \\d{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT[+-]\\d{4}') THEN
      try_cast(${js}.year || '-' || ${monCase} || '-' || ${js}.day || 'T' || ${js}.hms || ${js}.oh || ':' || ${js}.om AS TIMESTAMPTZ)
    END`;
}

/** The text carries its zone: an offset, `Z`, a browser `GMT+hhmm` or an epoch `/Date(ms)/`. */
export function zoned(v: string): string {
  return `regexp_matches(${v}, '(?i)(z|[+-]\\d{2}:?\\d{2}|GMT[+-]\\d{4}.*|^/Date\\(.*)$')`;
}

/**
 * `time_inferred` for a time read by `msTime`: NULL when the text carries its zone or its column says UTC (`Date
 * (UTC)`); for a field Microsoft documents as UTC but writes without an offset, that it was read as UTC; otherwise
 * that it was read in the case time zone.
 */
export function msTimeNote(v: string, naiveTz: string, mode: 'stated' | 'documented' | 'local'): string {
  if (mode === 'stated') return 'NULL';
  const note = mode === 'documented' ? 'no UTC offset: read as UTC (documented as UTC by Microsoft)' : `no UTC offset: read as local time in ${naiveTz}`;
  return `CASE WHEN ${v} IS NULL OR ${zoned(v)} THEN NULL ELSE ${lit(note)} END`;
}

/** An IP address without the port Azure appends (`1.2.3.4:5678`, `[2001:db8::1]:443`); other text as written. */
export function ipOnly(v: string): string {
  return `CASE WHEN regexp_matches(${v}, '^\\d{1,3}(\\.\\d{1,3}){3}:\\d+$') THEN regexp_extract(${v}, '^([^:]+):', 1)
    WHEN regexp_matches(${v}, '^\\[[0-9A-Fa-f:.]+\\]:\\d+$') THEN regexp_extract(${v}, '^\\[([^\\]]+)\\]', 1)
    ELSE nullif(trim(${v}), '') END`;
}

/** The domain of a UPN-like text: the part after the last `@`. */
export function upnDomain(v: string): string {
  return `nullif(regexp_extract(${v}, '@([^@]+)$', 1), '')`;
}

// ---------------------------------------------------------------------------------------------------------------
// Record classification (sniffing)
// ---------------------------------------------------------------------------------------------------------------

export type MsFormat = 'azure_activity' | 'entra_audit' | 'entra_signin' | 'm365_audit';
export interface MsKind {
  format: MsFormat;
  variant: string;
}

/** Entra diagnostic-setting categories, by log. */
export const ENTRA_SIGNIN_CATEGORIES = [
  'SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs',
  'MicrosoftServicePrincipalSignInLogs', 'ADFSSignInLogs',
];
export const ENTRA_AUDIT_CATEGORIES = ['AuditLogs', 'ProvisioningLogs'];
/** Log Analytics tables of Entra sign-ins. */
export const SIGNIN_TABLES = ['SigninLogs', 'AADNonInteractiveUserSignInLogs', 'AADServicePrincipalSignInLogs', 'AADManagedIdentitySignInLogs'];
/** AKS control-plane categories: Azure diagnostic records, but Kubernetes audit events (another family reads them). */
export const AKS_CATEGORIES = ['kube-audit', 'kube-audit-admin', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'cluster-autoscaler', 'guard'];

export function lc(v: unknown): string {
  return typeof v === 'string' ? v.toLowerCase() : '';
}

/** Which Microsoft log (and export shape) a parsed record is, or null. */
export function classifyMs(o: unknown): MsKind | null {
  const k = lowerKeys(o);
  if (!k) return null;
  const type = k['type'];
  // Microsoft 365 unified audit log.
  if (type === 'OfficeActivity' || (isStr(k['officeworkload']) && isStr(k['operation']) && 'timegenerated' in k)) return { format: 'm365_audit', variant: 'officeactivity' };
  if (isStr(k['auditdata']) && ('creationdate' in k || 'operations' in k || 'userids' in k)) return { format: 'm365_audit', variant: 'search' };
  if (isStr(k['createddatetime']) && 'auditlogrecordtype' in k && isStr(k['operation'])) return { format: 'm365_audit', variant: 'graph' };
  if (isStr(k['creationtime']) && isStr(k['operation']) && ('workload' in k || 'recordtype' in k) && ('organizationid' in k || 'id' in k)) {
    return { format: 'm365_audit', variant: 'api' };
  }
  // Log Analytics rows.
  if (typeof type === 'string' && SIGNIN_TABLES.includes(type)) return { format: 'entra_signin', variant: 'loganalytics' };
  if (type === 'AuditLogs') return { format: 'entra_audit', variant: 'loganalytics' };
  if (type === 'AzureActivity') return { format: 'azure_activity', variant: 'loganalytics' };
  if ('timegenerated' in k && !('properties' in k)) {
    if ('operationname' in k && 'initiatedby' in k && 'targetresources' in k) return { format: 'entra_audit', variant: 'loganalytics' };
    if ('userprincipalname' in k && 'appdisplayname' in k && ('resulttype' in k || 'status' in k)) return { format: 'entra_signin', variant: 'loganalytics' };
    if ('operationnamevalue' in k || 'activitystatusvalue' in k || 'categoryvalue' in k) return { format: 'azure_activity', variant: 'loganalytics' };
  }
  // Diagnostic-setting records (Event Hub, Storage): the Azure Monitor common schema.
  if (isStr(k['operationname'])) {
    const cat = typeof k['category'] === 'string' ? k['category'] : '';
    const props = k['properties'];
    const aad = lc(k['resourceid']).includes('/providers/microsoft.aadiam');
    if (ENTRA_SIGNIN_CATEGORIES.includes(cat)) return { format: 'entra_signin', variant: 'diagnostic' };
    if (ENTRA_AUDIT_CATEGORIES.includes(cat)) return { format: 'entra_audit', variant: 'diagnostic' };
    if (aad && isObj(props)) {
      const signin = k['operationname'] === 'Sign-in activity' || 'createdDateTime' in props || ('appId' in props && 'userPrincipalName' in props && !('activityDisplayName' in props));
      return { format: signin ? 'entra_signin' : 'entra_audit', variant: 'diagnostic' };
    }
    if (AKS_CATEGORIES.includes(cat)) return null;
    const common = ['resourceid', 'category', 'resulttype', 'calleripaddress', 'correlationid', 'tenantid', 'time'].filter((x) => x in k).length;
    if (common >= 3 || ('time' in k && common >= 2)) return { format: 'azure_activity', variant: 'diagnostic' };
  }
  // `az monitor activity-log list`, the REST API, Get-AzActivityLog (camelCase; older CLIs wrote snake_case).
  const opn = k['operationname'] ?? k['operation_name'];
  if (('eventtimestamp' in k || 'event_timestamp' in k) && isObj(opn) && ('value' in opn || 'Value' in opn)) return { format: 'azure_activity', variant: 'rest' };
  // Graph API objects (also the Entra portal's JSON download).
  if (isStr(k['activitydatetime']) && isStr(k['activitydisplayname']) && ('initiatedby' in k || 'targetresources' in k || 'loggedbyservice' in k)) {
    return { format: 'entra_audit', variant: 'graph' };
  }
  if (isStr(k['createddatetime']) && ('userprincipalname' in k || 'appdisplayname' in k || 'appid' in k) && ('ipaddress' in k || 'status' in k) && !('activitydisplayname' in k)) {
    return { format: 'entra_signin', variant: 'graph' };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON sampling and sniffing shared by the JSON modules
// ---------------------------------------------------------------------------------------------------------------

/** Whether the sample holds a complete first JSON document followed by more text (a second document). */
export function documentsFollow(text: string): boolean {
  let end = -1;
  const stop = new Error('first document');
  const sink: RecordSink = {
    record(raw, _line, offset) {
      end = (offset ?? 0) + raw.length;
      throw stop;
    },
    reject() {},
    damage() {},
  };
  const buf = Buffer.from(text, 'utf8');
  try {
    new JsonFramer(sink, { maxRecordBytes: 64 * 1024 * 1024 }, 'concat').push(buf);
  } catch (e) {
    if (e !== stop) throw e;
  }
  return end >= 0 && buf.subarray(end).toString('utf8').trim().length > 0;
}

export type MsWrapper = 'none' | '_source';

export interface JsonSample {
  samples: unknown[];
  framing: Framing;
  note?: string;
}

/** The records of a JSON member's sample and how to frame the member (my wrapper documents included). */
export function jsonSample(s: SniffSample): JsonSample | null {
  if (s.text === null) return null;
  const shape = sniffJsonShape(s.text, s.complete);
  if (!shape) return null;
  if (shape.kind === 'jsonl') {
    const first = shape.samples[0];
    if (isObj(first) && Array.isArray(first['records'])) {
      // Event Hub messages, one `{"records":[...]}` document per line (how capture tools and forwarders dump them).
      const samples = shape.samples.flatMap((d) => (isObj(d) && Array.isArray(d['records']) ? (d['records'] as unknown[]) : [d])).slice(0, 40);
      return { samples, framing: { kind: 'custom', framer: RECORDS_DOCS_FRAMER, options: { key: 'records' } }, note: 'diagnostic records inside {"records":[...]} documents, one document per line' };
    }
    return { samples: shape.samples, framing: { kind: 'lines' } };
  }
  if (shape.layout === 'array') return { samples: shape.samples, framing: { kind: 'json', layout: 'array' } };
  if (shape.layout === 'records') return null; // {"Records": [...]}: CloudTrail's layout, not a Microsoft one
  // One document: an Event Hub message / Storage blob (`records`) or a Graph / REST response page (`value`); several
  // documents one after another (pretty-printed Event Hub messages) go to the documents framer. A first document
  // longer than the sample is taken to be the only one (if more follow, the member reports the damage).
  for (const key of ['records', 'value']) {
    if (!new RegExp(`"${key}"\\s*:\\s*\\[`).test(s.text)) continue;
    const samples = sampleKeyedRecords(s.text, key);
    if (samples.length === 0) continue;
    if (documentsFollow(s.text)) {
      return { samples, framing: { kind: 'custom', framer: RECORDS_DOCS_FRAMER, options: { key } }, note: `records of the "${key}" arrays of consecutive documents` };
    }
    return { samples, framing: { kind: 'json', layout: 'records', recordsKey: key }, note: `records of the "${key}" array` };
  }
  return { samples: shape.samples, framing: { kind: 'json', layout: 'concat' } };
}

export interface Classified {
  kinds: Array<{ kind: MsKind; wrapper: MsWrapper } | null>;
  sample: JsonSample;
}

let lastSample: SniffSample | null = null;
let lastClassified: Classified | null = null;

/** Classifies every sampled record (bare or inside an Elasticsearch `_source`); cached across the modules' sniffers. */
export function classifySample(s: SniffSample): Classified | null {
  if (s === lastSample) return lastClassified;
  lastSample = s;
  const sample = jsonSample(s);
  lastClassified = sample && {
    sample,
    kinds: sample.samples.map((o) => {
      const bare = classifyMs(o);
      if (bare) return { kind: bare, wrapper: 'none' as const };
      const inner = isObj(o) ? classifyMs(o['_source']) : null;
      return inner ? { kind: inner, wrapper: '_source' as const } : null;
    }),
  };
  return lastClassified;
}

/**
 * A hit for `formats` when most sampled records are of them: the variant and wrapper are the majority's.
 * `claim` picks which of the formats this module is (Entra audit and sign-in records may share a member).
 */
export function msJsonHit(s: SniffSample, formats: MsFormat[], claim: MsFormat): SniffHit | null {
  const c = classifySample(s);
  if (!c || c.sample.samples.length === 0) return null;
  const mine = c.kinds.filter((k): k is NonNullable<typeof k> => k !== null && formats.includes(k.kind.format));
  if (mine.length === 0) return null;
  const counts = formats.map((f) => mine.filter((k) => k.kind.format === f).length);
  const top = formats[counts.indexOf(Math.max(...counts))]!;
  if (top !== claim) return null;
  const variant = majority(mine.map((k) => k.kind.variant))!;
  const wrapper = majority(mine.map((k) => k.wrapper))!;
  const notes = [c.sample.note, wrapper === '_source' ? 'records inside Elasticsearch "_source"' : undefined, `${variant} shape`].filter(Boolean);
  return {
    confidence: 0.93 * (mine.length / c.sample.samples.length),
    framing: c.sample.framing,
    params: { variant, wrapper },
    note: notes.join('; '),
  };
}

/**
 * One parse of a record into `spec` (a struct), NULL unless the text is a JSON object: json_transform would turn an
 * array or a scalar into a struct of NULLs, and the record would pass for an empty event.
 */
export function parseObject(text: string, spec: string): string {
  return `CASE WHEN left(ltrim(${text}, ' ' || chr(9) || chr(10) || chr(13)), 1) = '{' THEN try(json_transform(${text}, ${spec})) END`;
}

/** Reject reasons for a record that did not parse into its struct (not JSON, not an object, no `_source` object). */
export function parseReject(wrapper: MsWrapper): string {
  return jsonRecordReason(wrapper === '_source', wrappedRecordExpr(wrapper), `'no object in "_source" (Elasticsearch wrapper expected)'`, "'not a JSON object'");
}

// ---------------------------------------------------------------------------------------------------------------
// CSV helpers
// ---------------------------------------------------------------------------------------------------------------

/** The header line of a CSV sample: the first line, or the second after a PowerShell `#TYPE …` line. */
export function csvHeader(s: SniffSample): { header: string[]; typeLine: boolean } | null {
  if (s.text === null) return null;
  const lines = s.text.split('\n', 3).map((l) => l.replace(/\r$/, ''));
  const typeLine = /^#TYPE /.test(lines[0] ?? '');
  const line = typeLine ? lines[1] : lines[0];
  if (line === undefined || (lines.length < 2 + (typeLine ? 1 : 0) && !s.complete)) return null;
  const header = splitCsvRecord(line, ',');
  if (!header || header.length < 3) return null;
  return { header, typeLine };
}

/** `f[i]` for a named column, empty text as NULL; NULL when the export has no such column. */
export function csvCol(cols: Record<string, number>, k: string): string {
  return cols[k] === undefined ? 'NULL::VARCHAR' : `nullif(trim(f[${cols[k]}]), '')`;
}

/** Framing for a CSV whose header the sniffer found (after a `#TYPE` line, the custom framer skips that line). */
export function csvFraming(typeLine: boolean): Framing {
  return typeLine ? { kind: 'custom', framer: PS_CSV_FRAMER, options: { delimiter: ',' } } : { kind: 'csv', delimiter: ',' };
}

// ---------------------------------------------------------------------------------------------------------------
// Framers
// ---------------------------------------------------------------------------------------------------------------

export const RECORDS_DOCS_FRAMER = 'ms-records-documents';
export const PS_CSV_FRAMER = 'ms-powershell-csv';

/**
 * JSON documents one after another (typically one per line), each holding its records in an array under `key`
 * (`{"records":[...]}`): each document is cut by a concat framer, then its records by a records framer that starts
 * at the document's offset, so every record keeps its exact bytes, line and offset. A document without the array
 * is one reject; a damaged one rejects what cannot be cut.
 */
export class RecordsDocumentsFramer implements Framer {
  private readonly outer: JsonFramer;

  constructor(
    private readonly sink: RecordSink,
    private readonly limits: FramerLimits,
    private readonly key: string,
    startOffset = 0,
  ) {
    const self = this;
    this.outer = new JsonFramer(
      {
        record(raw, line, offset) {
          self.document(raw, line ?? 1, offset ?? 0);
        },
        reject: (raw, line, offset, reason) => sink.reject(raw, line, offset, reason),
        damage: (reason) => sink.damage(reason),
      },
      limits,
      'concat',
      undefined,
      startOffset,
    );
  }

  private document(raw: Buffer, line: number, offset: number): void {
    let problem: string | null = null;
    let records = 0;
    const sink = this.sink;
    const inner = new JsonFramer(
      {
        record(r, l, o) {
          records++;
          sink.record(r, (l ?? 1) + line - 1, o);
        },
        reject(r, l, o, reason) {
          records++;
          sink.reject(r, (l ?? 1) + line - 1, o, reason);
        },
        damage(reason) {
          problem ??= reason;
        },
      },
      this.limits,
      'records',
      this.key,
      offset,
    );
    inner.push(raw);
    inner.end(false);
    if (problem !== null && records === 0) {
      sink.reject(raw, line, offset, /no ".*" array/.test(problem) ? `document without a "${this.key}" array` : `damaged document: ${problem}`);
    }
  }

  push(chunk: Buffer): void {
    this.outer.push(chunk);
  }

  end(truncated: boolean): void {
    this.outer.end(truncated);
  }
}

/**
 * A CSV written by Windows PowerShell's Export-Csv without -NoTypeInformation: a `#TYPE <class>` line comes before
 * the header. The line is metadata, not a record; the rest is ordinary CSV (line numbers still count it).
 */
export class PowerShellCsvFramer implements Framer {
  private inner: CsvFramer | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly sink: RecordSink,
    private readonly limits: FramerLimits,
    private readonly delimiter: string,
    private readonly startOffset = 0,
  ) {}

  push(chunk: Buffer): void {
    if (this.inner) {
      this.inner.push(chunk);
      return;
    }
    const lf = chunk.indexOf(0x0a);
    if (lf < 0 && this.pendingBytes + chunk.length <= this.limits.maxRecordBytes) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      return;
    }
    const firstLine = Buffer.concat([...this.pending, lf < 0 ? chunk : chunk.subarray(0, lf + 1)]);
    const rest = lf < 0 ? Buffer.alloc(0) : chunk.subarray(lf + 1);
    this.pending = [];
    // Without the #TYPE line (e.g. a member forced to this format) the first line is the header itself.
    const shift = lf >= 0 && firstLine.subarray(0, 6).toString('latin1') === '#TYPE ' ? 1 : 0;
    const sink = this.sink;
    const shifted: RecordSink = {
      record: (raw, line, offset, parsed) => sink.record(raw, line === null ? null : line + shift, offset, parsed),
      reject: (raw, line, offset, reason) => sink.reject(raw, line === null ? null : line + shift, offset, reason),
      damage: (reason) => sink.damage(reason),
    };
    this.inner = new CsvFramer(shifted, this.limits, this.delimiter, () => {}, this.startOffset + (shift ? firstLine.length : 0));
    if (!shift) this.inner.push(firstLine);
    this.inner.push(rest);
  }

  end(truncated: boolean): void {
    if (!this.inner && this.pending.length > 0) {
      // A single line and no more: whatever it is, the CSV framer says so.
      this.inner = new CsvFramer(this.sink, this.limits, this.delimiter, () => {}, this.startOffset);
      this.inner.push(Buffer.concat(this.pending));
    }
    this.inner?.end(truncated);
  }
}

registerFramer(RECORDS_DOCS_FRAMER, (sink, limits, startOffset, options) => new RecordsDocumentsFramer(sink, limits, String(options['key'] ?? 'records'), startOffset));
registerFramer(PS_CSV_FRAMER, (sink, limits, startOffset, options) => new PowerShellCsvFramer(sink, limits, String(options['delimiter'] ?? ','), startOffset));
