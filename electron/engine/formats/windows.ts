/**
 * Windows event logs: native EVTX, XML exports, Event Viewer CSV, and JSON as shipped by collectors. Format modules of
 * this family, in order of specificity, with their sniffers and SQL shapes:
 *  - `evtx`: binary .evtx read by the streaming reader `evtx` (windows-evtx-reader.ts); the mapping reads the reader's
 *    compact JSON `{system, fields}` once with json_transform;
 *  - `windows_xml`: Windows Event XML text (`wevtutil qe /f:xml`, Event Viewer "Save as XML", one <Event> per line),
 *    cut by the XML framer and read in SQL with regular expressions (windows-sql.ts);
 *  - `windows_csv`: Event Viewer "Save as CSV" (five named columns plus the message), local times without offset;
 *  - `windows_json`: collector JSON (Winlogbeat 7/8, Winlogbeat 6, NXLog, Logstash-flattened, Sentinel
 *    SecurityEvent/Event rows, Panther Windows.EventLogs, evtx_dump), the shape chosen per member by the sniffer
 *    (params.shape, params.wrapper) and read with one json_transform per record.
 * All four end in the same normalization (windowsMapping). Layer: engine (format module).
 */
import type { FormatModule, Framing, MapContext, Mapping, SniffHit, SniffSample } from './types.js';
import { lit, listLit } from './sql.js';
import { isObj, majority, sniffJsonShape } from './sniff-json.js';
import { registerBinaryReader } from './binary-readers.js';
import { readEvtxMember } from './windows-evtx-reader.js';
import { EVTX_FILE_MAGIC } from './evtx/index.js';
import { EVENT_VIEWER_CSV_FRAMER, MESSAGE_COLUMN, sampleCsvRecords } from './windows-csv-framer.js';
import {
  hasOffset,
  isoNote,
  isoTime,
  NO_SYSX,
  sysx,
  windowsMapping,
  xmlAttr,
  xmlDecode,
  xmlElement,
  xmlFieldsMap,
  xmlSection,
  xmlSections,
  type WValues,
} from './windows-sql.js';

const FAMILY = 'windows';

registerBinaryReader('evtx', readEvtxMember);

const EMPTY_MAP = 'map([]::VARCHAR[], []::VARCHAR[])';

/** Names every w_* value; a shape that lacks one says NULL explicitly. */
function wStep(v: Partial<WValues>): Record<string, string> {
  return {
    w_eid: v.w_eid ?? 'NULL::VARCHAR',
    w_chan: v.w_chan ?? 'NULL::VARCHAR',
    w_prov: v.w_prov ?? 'NULL::VARCHAR',
    w_host: v.w_host ?? 'NULL::VARCHAR',
    w_rec: v.w_rec ?? 'NULL::VARCHAR',
    w_traw: v.w_traw ?? 'NULL::VARCHAR',
    w_time: v.w_time ?? 'NULL::TIMESTAMPTZ',
    w_tinf: v.w_tinf ?? 'NULL::VARCHAR',
    w_level: v.w_level ?? 'NULL::VARCHAR',
    w_task: v.w_task ?? 'NULL::VARCHAR',
    w_opcode: v.w_opcode ?? 'NULL::VARCHAR',
    w_kw: v.w_kw ?? 'NULL::VARCHAR',
    w_kwtext: v.w_kwtext ?? 'NULL::VARCHAR',
    w_pid: v.w_pid ?? 'NULL::VARCHAR',
    w_tid: v.w_tid ?? 'NULL::VARCHAR',
    w_uid: v.w_uid ?? 'NULL::VARCHAR',
    w_uname: v.w_uname ?? 'NULL::VARCHAR',
    w_udom: v.w_udom ?? 'NULL::VARCHAR',
    // Never NULL: the normalization looks fields up in it and builds `fields` from it.
    w_ed: v.w_ed ? `coalesce(${v.w_ed}, ${EMPTY_MAP})` : EMPTY_MAP,
    w_sysx: v.w_sysx ?? NO_SYSX,
  };
}

// =================================================================================================================
// EVTX

const EVTX_MAGIC = Buffer.from(EVTX_FILE_MAGIC, 'latin1');

/** The reader's System fields (render.ts EvtxSystem), all read as text. */
const EVTX_STRUCT = {
  system: Object.fromEntries(
    [
      'provider',
      'providerGuid',
      'eventSourceName',
      'eventId',
      'qualifiers',
      'version',
      'level',
      'task',
      'opcode',
      'keywords',
      'timeCreated',
      'eventRecordId',
      'activityId',
      'relatedActivityId',
      'processId',
      'threadId',
      'channel',
      'computer',
      'userId',
    ].map((k) => [k, 'VARCHAR']),
  ),
  fields: 'MAP(VARCHAR, VARCHAR)',
};

function evtxMapping(ctx: MapContext): Mapping {
  const tz = ctx.caseTimezone;
  const s = 'j.system';
  return windowsMapping({
    steps: [
      { j: `try(json_transform(s.parsed, ${lit(JSON.stringify(EVTX_STRUCT))}))` },
      wStep({
        w_eid: `${s}.eventId`,
        w_chan: `${s}.channel`,
        w_prov: `${s}.provider`,
        w_host: `${s}.computer`,
        w_rec: `${s}.eventRecordId`,
        w_traw: `${s}.timeCreated`,
        w_time: isoTime(`${s}.timeCreated`, tz),
        w_tinf: isoNote(`${s}.timeCreated`, tz, 'TimeCreated'),
        w_level: `${s}.level`,
        w_task: `${s}.task`,
        w_opcode: `${s}.opcode`,
        w_kw: `${s}.keywords`,
        w_pid: `${s}.processId`,
        w_tid: `${s}.threadId`,
        w_uid: `${s}.userId`,
        // EventData/UserData for the rules: in `fields` under their own names (System values merged in by the reader,
        // a clashing one as System.<name>; the rules read no System names).
        w_ed: 'j.fields',
      }),
    ],
    reject: `CASE WHEN j IS NULL THEN 'EVTX record without its decoded fields (the reader''s JSON is missing or invalid)' END`,
    noEventId: lit('not a Windows event: System/EventID missing'),
    noTime: lit('System/TimeCreated/@SystemTime missing'),
    sourceFormat: lit('evtx'),
    fields: 'j.fields',
  });
}

export const evtx: FormatModule = {
  name: 'evtx',
  family: FAMILY,
  description: 'Windows native event log files (.evtx: Security, System, Sysmon, … as copied from winevt\\Logs or saved from Event Viewer)',
  defaultFraming: { kind: 'binary', reader: 'evtx' },
  sniff(s: SniffSample): SniffHit | null {
    if (s.head.length >= 8 && s.head.subarray(0, 8).equals(EVTX_MAGIC)) {
      return { confidence: 0.99, framing: { kind: 'binary', reader: 'evtx' }, params: {} };
    }
    // A binary member named .evtx without the signature: read as EVTX so the report says what was found instead.
    if (s.text === null && /\.evtx$/i.test(s.path)) {
      return { confidence: 0.3, framing: { kind: 'binary', reader: 'evtx' }, params: {} };
    }
    return null;
  },
  mapping: evtxMapping,
};

// =================================================================================================================
// Windows Event XML

const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

function xmlMapping(ctx: MapContext): Mapping {
  const tz = ctx.caseTimezone;
  return windowsMapping({
    steps: [
      { x_sec: xmlSections('s.raw') },
      { x_sys: `nullif(x_sec.sys, '')`, x_ed: 'x_sec.ed', x_ud: 'x_sec.ud', x_ri: `nullif(x_sec.ri, '')` },
      { x_traw: xmlAttr('x_sys', 'TimeCreated', 'SystemTime') },
      wStep({
        w_eid: xmlElement('x_sys', 'EventID'),
        w_chan: xmlElement('x_sys', 'Channel'),
        w_prov: xmlAttr('x_sys', 'Provider', 'Name'),
        w_host: xmlElement('x_sys', 'Computer'),
        w_rec: xmlElement('x_sys', 'EventRecordID'),
        w_traw: 'x_traw',
        w_time: isoTime('x_traw', tz),
        w_tinf: isoNote('x_traw', tz, 'TimeCreated/@SystemTime'),
        w_level: xmlElement('x_sys', 'Level'),
        w_task: xmlElement('x_sys', 'Task'),
        w_opcode: xmlElement('x_sys', 'Opcode'),
        w_kw: xmlElement('x_sys', 'Keywords'),
        // Event Viewer's "Save as XML" adds the rendered keywords (Audit Success / Audit Failure).
        w_kwtext: `nullif(array_to_string(regexp_extract_all(coalesce(x_ri, ''), '<Keyword>([^<]*)</Keyword>', 1), ', '), '')`,
        w_pid: xmlAttr('x_sys', 'Execution', 'ProcessID'),
        w_tid: xmlAttr('x_sys', 'Execution', 'ThreadID'),
        w_uid: xmlAttr('x_sys', 'Security', 'UserID'),
        w_ed: xmlFieldsMap('x_ed', 'x_ud'),
        w_sysx: sysx([
          ['ProviderGuid', xmlAttr('x_sys', 'Provider', 'Guid')],
          ['EventSourceName', xmlAttr('x_sys', 'Provider', 'EventSourceName')],
          ['Qualifiers', xmlAttr('x_sys', 'EventID', 'Qualifiers')],
          ['Version', xmlElement('x_sys', 'Version')],
          ['ActivityID', xmlAttr('x_sys', 'Correlation', 'ActivityID')],
          ['RelatedActivityID', xmlAttr('x_sys', 'Correlation', 'RelatedActivityID')],
          ['Message', xmlDecode(`nullif(regexp_extract(coalesce(x_ri, ''), '(?s)<Message>(.*?)</Message>', 1), '')`)],
        ]),
      }),
    ],
    reject: `CASE WHEN x_sys IS NULL THEN 'not a Windows event: no <System> element' END`,
    noEventId: lit('not a Windows event: <EventID> missing in <System>'),
    noTime: lit('<TimeCreated SystemTime="…"> missing in <System>'),
    sourceFormat: lit('windows_xml'),
  });
}

/** Windows Event XML: a leading `<Events>` / `<Event>` (Event Viewer's pasted view prefixes elements with "- "). */
export function looksLikeEventXml(text: string): boolean {
  const t = text.replace(/^\uFEFF/, '');
  const lead = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:-\s*)?<(Events|Event)[\s>]/.exec(t);
  if (!lead) return false;
  return t.includes(EVENT_NS) || (/<System>/.test(t) && /<EventID[\s>]/.test(t));
}

export const windowsXml: FormatModule = {
  name: 'windows_xml',
  family: FAMILY,
  description: 'Windows Event XML: wevtutil qe /f:xml output, Event Viewer "Save as XML" (<Events><Event>…), one <Event> per line',
  defaultFraming: { kind: 'xml', element: 'Event' },
  sniff(s: SniffSample): SniffHit | null {
    if (s.text === null || !looksLikeEventXml(s.text)) return null;
    return { confidence: 0.95, framing: { kind: 'xml', element: 'Event' }, params: {} };
  },
  mapping: xmlMapping,
};

// =================================================================================================================
// Event Viewer CSV

/** English header of Event Viewer's CSV; other languages are recognised by the shape of their rows. */
const EV_CSV_HEADER = ['level', 'date and time', 'source', 'event id', 'task category'];

interface CsvDate {
  format: string;
  note: string | null;
}

/**
 * The date format of a member, from its sampled "Date and Time" values (the exporting machine's locale decides it).
 * Slashed dates are read in the order under which more sampled values are real dates; when both orders fit every
 * value (no number above 12), the month comes first with AM/PM (en-US) and the day first with a 24-hour clock
 * (en-GB), and that assumption is written into every event's time_inferred. A value that fits neither order is
 * rejected later with its reason.
 */
export function csvDateFormat(values: string[]): CsvDate | null {
  const vs = values.map((v) => v.trim()).filter((v) => v.length > 0);
  if (vs.length === 0) return null;
  const slashed = /^(\d{1,2})\/(\d{1,2})\/\d{4} \d{1,2}:\d{2}:\d{2}( ?[AaPp][Mm])?$/;
  const m = vs.map((v) => slashed.exec(v));
  if (m.filter((x) => x !== null).length >= Math.ceil(vs.length / 2)) {
    const hits = m.filter((x): x is RegExpExecArray => x !== null);
    const ampm = hits.filter((x) => x[3] !== undefined).length >= Math.ceil(hits.length / 2);
    const ok = (mo: number, d: number) => mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
    const md = hits.filter((x) => ok(Number(x[1]), Number(x[2]))).length;
    const dm = hits.filter((x) => ok(Number(x[2]), Number(x[1]))).length;
    const time = ampm ? '%I:%M:%S %p' : '%H:%M:%S';
    if (md > dm) return { format: `%m/%d/%Y ${time}`, note: null };
    if (dm > md) return { format: `%d/%m/%Y ${time}`, note: null };
    return ampm
      ? { format: `%m/%d/%Y ${time}`, note: 'month/day order assumed (12-hour clock, as en-US): no sampled date had a number above 12' }
      : { format: `%d/%m/%Y ${time}`, note: 'day/month order assumed (24-hour clock, as en-GB): no sampled date had a number above 12' };
  }
  const most = (re: RegExp) => vs.filter((v) => re.test(v)).length >= Math.ceil(vs.length / 2);
  if (most(/^\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}:\d{2}:\d{2}$/)) return { format: '%d.%m.%Y %H:%M:%S', note: null };
  if (most(/^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}:\d{2}$/)) return { format: '%Y-%m-%d %H:%M:%S', note: null };
  if (most(/^\d{4}\/\d{1,2}\/\d{1,2} \d{1,2}:\d{2}:\d{2}$/)) return { format: '%Y/%m/%d %H:%M:%S', note: null };
  return null;
}

function csvMapping(ctx: MapContext): Mapping {
  const tz = ctx.caseTimezone;
  const header = ((ctx.params['header'] as string[] | undefined) ?? ['Level', 'Date and Time', 'Source', 'Event ID', 'Task Category']).map((h) => h.trim());
  const keys = [...header, MESSAGE_COLUMN];
  // Header names as keys of `fields`, made unique the same way as EventData keys.
  const seen = new Map<string, number>();
  const uniqueKeys = keys.map((k) => {
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    return n === 0 ? k : `${k}${n}`;
  });
  const fmt = ctx.params['dateFormat'] as string | null | undefined;
  const note = ctx.params['dateNote'] as string | null | undefined;
  const tinf = `Event Viewer CSV has no UTC offset: read as local time in ${tz}${note ? `; ${note}` : ''}`;
  return windowsMapping(
    {
      steps: [
        { f: `try(from_json(s.parsed, '["VARCHAR"]'))` },
        { c_time: `nullif(trim(f[2]), '')` },
        wStep({
          w_eid: `nullif(trim(f[4]), '')`,
          w_prov: `nullif(f[3], '')`,
          w_traw: 'c_time',
          w_time: fmt ? `timezone(${lit(tz)}, try_strptime(c_time, ${lit(fmt)}))` : 'NULL::TIMESTAMPTZ',
          w_tinf: lit(tinf),
          w_level: `nullif(f[1], '')`,
          w_kwtext: `f[1]`,
          w_task: `nullif(f[5], '')`,
          w_ed: `map((${listLit(uniqueKeys)})[1:len(f)], f)`,
        }),
      ],
      reject: `CASE WHEN f IS NULL OR len(f) < 5 THEN 'not an Event Viewer CSV row (expected Level, Date and Time, Source, Event ID, Task Category and the message)'
        WHEN c_time IS NOT NULL AND w_time IS NULL THEN ${
          fmt ? `'Date and Time "' || c_time || '" does not match this file''s date format (${fmt.replaceAll("'", "''")})'` : `'the date format of this file was not recognised: "' || c_time || '"'`
        } END`,
      noEventId: lit('not an Event Viewer CSV row: Event ID column empty'),
      noTime: lit('Date and Time column empty'),
      sourceFormat: lit('windows_csv'),
    },
    { channelFromProvider: true },
  );
}

export const windowsCsv: FormatModule = {
  name: 'windows_csv',
  family: FAMILY,
  description: 'Event Viewer "Save All Events As… → CSV" (Level, Date and Time, Source, Event ID, Task Category, then the message)',
  defaultFraming: { kind: 'custom', framer: EVENT_VIEWER_CSV_FRAMER, options: { delimiter: ',' } },
  defaultParams: { delimiter: ',', header: ['Level', 'Date and Time', 'Source', 'Event ID', 'Task Category'], dateFormat: '%m/%d/%Y %I:%M:%S %p', dateNote: null },
  sniff(s: SniffSample): SniffHit | null {
    if (s.text === null) return null;
    const t = s.text.replace(/^\uFEFF/, '');
    const lead = t.trimStart()[0];
    if (lead === '{' || lead === '[' || lead === '<') return null;
    for (const delimiter of [',', ';', '\t']) {
      const recs = sampleCsvRecords(t, delimiter, s.complete);
      if (recs.length === 0) continue;
      const header = recs[0]!;
      if (header.length !== 5) continue;
      const rows = recs.slice(1);
      const english = header.every((h, i) => h.trim().toLowerCase() === EV_CSV_HEADER[i]);
      // Rows: 5 named columns plus the message; column 4 is a number (the event ID).
      const shaped = rows.filter((r) => (r.length === 6 || r.length === 5) && /^\d{1,5}$/.test(r[3]!.trim()));
      if (!english && (rows.length === 0 || shaped.length < Math.ceil(rows.length * 0.8) || !rows.some((r) => r.length === 6))) continue;
      const date = csvDateFormat(shaped.map((r) => r[1]!));
      if (!english && !date) continue;
      return {
        confidence: english ? 0.97 : 0.75,
        framing: { kind: 'custom', framer: EVENT_VIEWER_CSV_FRAMER, options: { delimiter } },
        params: { delimiter, header, dateFormat: date?.format ?? null, dateNote: date?.note ?? null },
      };
    }
    return null;
  },
  mapping: csvMapping,
};

// =================================================================================================================
// Collector JSON

export type WindowsJsonShape = 'winlogbeat' | 'winlogbeat6' | 'nxlog' | 'logstash' | 'sentinel' | 'panther' | 'evtx_dump';
export type WindowsJsonWrapper = 'none' | '_source';

function bareShape(r: Record<string, unknown>): WindowsJsonShape | null {
  if (isObj(r['Event']) && isObj(r['Event']['System'])) return 'evtx_dump';
  if (isObj(r['winlog']) && ('event_id' in r['winlog'] || 'channel' in r['winlog'])) return 'winlogbeat';
  if ('event_id' in r && ('log_name' in r || 'computer_name' in r)) return 'winlogbeat6';
  if (r['p_log_type'] === 'Windows.EventLogs' || ('ExtraEventData' in r && 'EventID' in r && 'TimeCreated' in r)) return 'panther';
  if ('TimeGenerated' in r && 'EventID' in r && 'Computer' in r && (r['Type'] === 'SecurityEvent' || r['Type'] === 'Event' || typeof r['EventData'] === 'string' || 'Channel' in r || 'EventLog' in r)) {
    return 'sentinel';
  }
  if ('EventID' in r && ('Channel' in r || 'SourceName' in r) && ('Hostname' in r || 'Computer' in r)) {
    if ('EventTime' in r) return 'nxlog';
    if ('TimeCreated' in r || '@timestamp' in r) return 'logstash';
  }
  return null;
}

/** The collector shape of one sampled record (and whether it sits inside an Elasticsearch `_source`). */
export function windowsJsonShape(o: unknown): { shape: WindowsJsonShape; wrapper: WindowsJsonWrapper } | null {
  if (!isObj(o)) return null;
  const bare = bareShape(o);
  if (bare) return { shape: bare, wrapper: 'none' };
  if (isObj(o['_source'])) {
    const inner = bareShape(o['_source']);
    if (inner) return { shape: inner, wrapper: '_source' };
  }
  return null;
}

const V = 'VARCHAR';
const MAPT = 'MAP(VARCHAR, VARCHAR)';
const WLB_STRUCT = {
  '@timestamp': V,
  event: { code: V, provider: V, outcome: V },
  host: { name: V },
  log: { level: V },
  winlog: {
    channel: V,
    computer_name: V,
    event_id: V,
    record_id: V,
    provider_name: V,
    provider_guid: V,
    task: V,
    opcode: V,
    version: V,
    keywords: V,
    time_created: V,
    activity_id: V,
    related_activity_id: V,
    process: { pid: V, thread: { id: V } },
    user: { identifier: V, name: V, domain: V, type: V },
    event_data: MAPT,
    user_data: MAPT,
  },
};
const WLB6_STRUCT = {
  '@timestamp': V,
  event_id: V,
  log_name: V,
  source_name: V,
  computer_name: V,
  record_number: V,
  provider_guid: V,
  keywords: V,
  level: V,
  task: V,
  opcode: V,
  version: V,
  process_id: V,
  thread_id: V,
  activity_id: V,
  user: { identifier: V, name: V, domain: V, type: V },
  event_data: MAPT,
  user_data: MAPT,
};
const PANTHER_STRUCT = {
  EventID: V,
  ProviderName: V,
  ProviderGuid: V,
  TimeCreated: V,
  Computer: V,
  Channel: V,
  EventRecordID: V,
  Level: V,
  Task: V,
  Opcode: V,
  Keywords: V,
  Version: V,
  ProcessID: V,
  ThreadID: V,
  UserID: V,
  ExtraEventData: MAPT,
  EventData: MAPT,
  UserData: MAPT,
  p_event_time: V,
};

const ATTRS = (names: string[]) => ({ '#attributes': Object.fromEntries(names.map((n) => [n, V])) });
/** EVTX rendered as JSON by evtx_dump (omerbenamram/evtx): XML attributes under "#attributes". */
const EVTX_DUMP_STRUCT = {
  Event: {
    System: {
      Provider: ATTRS(['Name', 'Guid', 'EventSourceName']),
      EventID: V,
      Version: V,
      Level: V,
      Task: V,
      Opcode: V,
      Keywords: V,
      TimeCreated: ATTRS(['SystemTime']),
      EventRecordID: V,
      Correlation: ATTRS(['ActivityID', 'RelatedActivityID']),
      Execution: ATTRS(['ProcessID', 'ThreadID']),
      Channel: V,
      Computer: V,
      Security: ATTRS(['UserID']),
    },
    EventData: MAPT,
    UserData: 'MAP(VARCHAR, MAP(VARCHAR, VARCHAR))',
  },
};

/** One json_transform per record; under `_source` the same structure one level down. */
function parseStep(structure: unknown, wrapper: WindowsJsonWrapper): { steps: Array<Record<string, string>>; root: string } {
  const s = wrapper === '_source' ? { _source: structure } : structure;
  return { steps: [{ j: `try(json_transform(s.raw, ${lit(JSON.stringify(s))}))` }], root: wrapper === '_source' ? 'j."_source"' : 'j' };
}

function jsonReject(wrapper: WindowsJsonWrapper, root: string): string {
  // json_transform reads an array as a structure of NULLs: an object is told by its first character, which is cheap.
  return `CASE WHEN j IS NULL THEN CASE WHEN NOT json_valid(s.raw) THEN 'invalid JSON' WHEN json_type(s.raw) <> 'OBJECT' THEN 'not a JSON object' ELSE 'not a Windows event record' END
    WHEN NOT starts_with(ltrim(s.raw), '{') THEN 'not a JSON object'
    ${wrapper === '_source' ? `WHEN ${root} IS NULL THEN 'no "_source" object in the record'` : ''} END`;
}

const noEvent = (where: string) => lit(`not a Windows event: ${where} missing`);

function jsonMapping(ctx: MapContext): Mapping {
  const tz = ctx.caseTimezone;
  const shape = (ctx.params['shape'] as WindowsJsonShape | undefined) ?? 'logstash';
  const wrapper = (ctx.params['wrapper'] as WindowsJsonWrapper | undefined) ?? 'none';
  const fmt = lit(`windows_json_${shape}`);
  switch (shape) {
    case 'winlogbeat': {
      const { steps, root: r } = parseStep(WLB_STRUCT, wrapper);
      const w = `${r}.winlog`;
      return windowsMapping({
        steps: [
          ...steps,
          { b_time: `coalesce(${w}.time_created, ${r}."@timestamp")` },
          wStep({
            w_eid: `coalesce(${w}.event_id, ${r}.event.code)`,
            w_chan: `${w}.channel`,
            w_prov: `coalesce(${w}.provider_name, ${r}.event.provider)`,
            w_host: `coalesce(${w}.computer_name, ${r}.host.name)`,
            w_rec: `${w}.record_id`,
            w_traw: 'b_time',
            w_time: isoTime('b_time', tz),
            w_tinf: isoNote('b_time', tz, '@timestamp'),
            w_level: `${r}.log.level`,
            w_task: `${w}.task`,
            w_opcode: `${w}.opcode`,
            w_kw: `${w}.keywords`,
            w_kwtext: `concat_ws(' ', ${w}.keywords, ${r}.event.outcome)`,
            w_pid: `${w}.process.pid`,
            w_tid: `${w}.process.thread.id`,
            w_uid: `${w}.user.identifier`,
            w_uname: `${w}.user.name`,
            w_udom: `${w}.user.domain`,
            w_ed: `map_concat(coalesce(${w}.event_data, ${EMPTY_MAP}), coalesce(${w}.user_data, ${EMPTY_MAP}))`,
            w_sysx: sysx([
              ['ProviderGuid', `${w}.provider_guid`],
              ['Version', `${w}.version`],
              ['ActivityID', `${w}.activity_id`],
              ['RelatedActivityID', `${w}.related_activity_id`],
            ]),
          }),
        ],
        reject: jsonReject(wrapper, r),
        noEventId: noEvent('winlog.event_id'),
        noTime: lit('@timestamp missing'),
        sourceFormat: fmt,
      });
    }
    case 'winlogbeat6': {
      const { steps, root: r } = parseStep(WLB6_STRUCT, wrapper);
      return windowsMapping({
        steps: [
          ...steps,
          wStep({
            w_eid: `${r}.event_id`,
            w_chan: `${r}.log_name`,
            w_prov: `${r}.source_name`,
            w_host: `${r}.computer_name`,
            w_rec: `${r}.record_number`,
            w_traw: `${r}."@timestamp"`,
            w_time: isoTime(`${r}."@timestamp"`, tz),
            w_tinf: isoNote(`${r}."@timestamp"`, tz, '@timestamp'),
            w_level: `${r}.level`,
            w_task: `${r}.task`,
            w_opcode: `${r}.opcode`,
            w_kw: `${r}.keywords`,
            w_kwtext: `${r}.keywords`,
            w_pid: `${r}.process_id`,
            w_tid: `${r}.thread_id`,
            w_uid: `${r}.user.identifier`,
            w_uname: `${r}.user.name`,
            w_udom: `${r}.user.domain`,
            w_ed: `map_concat(coalesce(${r}.event_data, ${EMPTY_MAP}), coalesce(${r}.user_data, ${EMPTY_MAP}))`,
            w_sysx: sysx([
              ['ProviderGuid', `${r}.provider_guid`],
              ['Version', `${r}.version`],
              ['ActivityID', `${r}.activity_id`],
            ]),
          }),
        ],
        reject: jsonReject(wrapper, r),
        noEventId: noEvent('event_id'),
        noTime: lit('@timestamp missing'),
        sourceFormat: fmt,
      });
    }
    case 'nxlog':
    case 'logstash': {
      const { steps, root: m } = parseStep(MAPT, wrapper);
      // NXLog writes EventTime in its host's local time without an offset. EventReceivedTime is the same clock and
      // zone, and a Logstash @timestamp is (within seconds) the same moment in UTC: their difference, rounded to a
      // quarter hour, is that zone's offset. It is used only when it rounds cleanly (±2 min) and is a real offset.
      return windowsMapping({
        steps: [
          ...steps,
          {
            f_tc: `${m}['TimeCreated']`,
            f_et: `${m}['EventTime']`,
            f_at: `${m}['@timestamp']`,
            f_off_raw: `epoch(try_cast(${m}['@timestamp'] AS TIMESTAMPTZ)) - epoch(try_cast(${m}['EventReceivedTime'] AS TIMESTAMP))`,
          },
          { f_off_q: `round(f_off_raw / 900) * 900` },
          { f_off: `CASE WHEN abs(f_off_raw - f_off_q) <= 120 AND abs(f_off_q) <= 50400 THEN f_off_q END` },
          {
            f_traw: `coalesce(f_tc, f_et, f_at)`,
            f_time: `CASE
              WHEN f_tc IS NOT NULL THEN ${isoTime('f_tc', tz)}
              WHEN f_et IS NOT NULL AND ${hasOffset('f_et')} THEN ${isoTime('f_et', tz)}
              WHEN f_et IS NOT NULL AND f_off IS NOT NULL THEN to_timestamp(epoch(try_cast(f_et AS TIMESTAMP)) + f_off)
              WHEN f_et IS NOT NULL THEN ${isoTime('f_et', tz)}
              ELSE ${isoTime('f_at', tz)} END`,
            f_tinf: `CASE
              WHEN f_tc IS NOT NULL THEN ${isoNote('f_tc', tz, 'TimeCreated')}
              WHEN f_et IS NOT NULL AND ${hasOffset('f_et')} THEN NULL
              WHEN f_et IS NOT NULL AND f_off IS NOT NULL THEN 'EventTime has no UTC offset: UTC' || printf('%s%02d:%02d', CASE WHEN f_off > 0 THEN '-' ELSE '+' END, (abs(f_off) // 3600)::INTEGER, ((abs(f_off) % 3600) // 60)::INTEGER) || ' derived from EventReceivedTime and @timestamp'
              WHEN f_et IS NOT NULL THEN ${lit(`EventTime has no UTC offset: read as local time in ${tz}`)}
              WHEN f_at IS NOT NULL THEN 'TimeCreated missing: @timestamp of the shipper used' || coalesce('; ' || ${isoNote('f_at', tz, '@timestamp')}, '')
              END`,
          },
          wStep({
            w_eid: `${m}['EventID']`,
            w_chan: `${m}['Channel']`,
            w_prov: `coalesce(${m}['SourceName'], ${m}['ProviderName'], ${m}['Provider'])`,
            w_host: `coalesce(${m}['Hostname'], ${m}['Computer'])`,
            w_rec: `coalesce(${m}['RecordNumber'], ${m}['EventRecordID'])`,
            w_traw: 'f_traw',
            w_time: 'f_time',
            w_tinf: 'f_tinf',
            w_level: `${m}['Level']`,
            w_task: `${m}['Task']`,
            w_opcode: `${m}['Opcode']`,
            w_kw: `${m}['Keywords']`,
            w_kwtext: `${m}['EventType']`,
            w_pid: shape === 'nxlog' ? `${m}['ExecutionProcessID']` : undefined,
            w_tid: shape === 'nxlog' ? `${m}['ThreadID']` : undefined,
            w_uid: shape === 'nxlog' ? `${m}['UserID']` : undefined,
            // EventData fields sit at the top level beside the collector's own: all of them are the fields.
            w_ed: m,
          }),
        ],
        reject: jsonReject(wrapper, m),
        noEventId: noEvent('EventID'),
        noTime: lit(shape === 'nxlog' ? 'EventTime and @timestamp missing' : 'TimeCreated and @timestamp missing'),
        sourceFormat: fmt,
      });
    }
    case 'sentinel': {
      const { steps, root: m } = parseStep(MAPT, wrapper);
      return windowsMapping({
        steps: [
          ...steps,
          { g_xml: `${m}['EventData']` },
          { g_ed: xmlSection('g_xml', 'EventData'), g_ud: xmlSection('g_xml', 'UserData', true) },
          wStep({
            w_eid: `${m}['EventID']`,
            w_chan: `coalesce(${m}['Channel'], ${m}['EventLog'])`,
            w_prov: `coalesce(${m}['EventSourceName'], ${m}['Source'])`,
            w_host: `${m}['Computer']`,
            w_rec: `${m}['EventRecordId']`,
            w_traw: `${m}['TimeGenerated']`,
            w_time: isoTime(`${m}['TimeGenerated']`, tz),
            w_tinf: isoNote(`${m}['TimeGenerated']`, tz, 'TimeGenerated'),
            w_level: `coalesce(${m}['Level'], ${m}['EventLevel'])`,
            w_task: `${m}['Task']`,
            w_kw: `${m}['Keywords']`,
            w_kwtext: `${m}['EventLevelName']`,
            // The row's columns (Account, SubjectUserName, … parsed by Log Analytics) and then the EventData XML,
            // which wins where both name the same field; the XML string itself is not repeated in `fields`.
            w_ed: `map_concat(
              map_from_entries(list_filter(map_entries(map_concat(${EMPTY_MAP}, ${m})), lambda e: e.key <> 'EventData')),
              CASE WHEN g_ed IS NOT NULL OR g_ud IS NOT NULL THEN ${xmlFieldsMap('g_ed', 'g_ud')} ELSE ${EMPTY_MAP} END)`,
          }),
        ],
        reject: jsonReject(wrapper, m),
        noEventId: noEvent('EventID'),
        noTime: lit('TimeGenerated missing'),
        sourceFormat: fmt,
      });
    }
    case 'evtx_dump': {
      const { steps, root: r } = parseStep(EVTX_DUMP_STRUCT, wrapper);
      const y = `${r}."Event"."System"`;
      const noAttrs = (mp: string) => `map_from_entries(list_filter(map_entries(map_concat(${EMPTY_MAP}, ${mp})), lambda e: e.key <> '#attributes'))`;
      return windowsMapping({
        steps: [
          ...steps,
          // An EventID with Qualifiers is an object: {"#attributes": {"Qualifiers": …}, "#text": 7036}.
          { d_eid: `${y}."EventID"`, d_time: `${y}."TimeCreated"."#attributes"."SystemTime"` },
          wStep({
            w_eid: `CASE WHEN starts_with(d_eid, '{') THEN json_extract_string(d_eid, '$."#text"') ELSE d_eid END`,
            w_chan: `${y}."Channel"`,
            w_prov: `${y}."Provider"."#attributes"."Name"`,
            w_host: `${y}."Computer"`,
            w_rec: `${y}."EventRecordID"`,
            w_traw: 'd_time',
            w_time: isoTime('d_time', tz),
            w_tinf: isoNote('d_time', tz, 'TimeCreated/@SystemTime'),
            w_level: `${y}."Level"`,
            w_task: `${y}."Task"`,
            w_opcode: `${y}."Opcode"`,
            w_kw: `${y}."Keywords"`,
            w_pid: `${y}."Execution"."#attributes"."ProcessID"`,
            w_tid: `${y}."Execution"."#attributes"."ThreadID"`,
            w_uid: `${y}."Security"."#attributes"."UserID"`,
            // UserData holds one element whose children are the fields: its leaves, like the EVTX rule.
            w_ed: `map_concat(${noAttrs(`coalesce(${r}."Event"."EventData", ${EMPTY_MAP})`)},
              ${noAttrs(`list_reduce(list_filter(map_values(coalesce(${r}."Event"."UserData", MAP([]::VARCHAR[], []::MAP(VARCHAR, VARCHAR)[]))), lambda x: x IS NOT NULL), lambda a, b: map_concat(a, b), ${EMPTY_MAP})`)})`,
            w_sysx: sysx([
              ['ProviderGuid', `${y}."Provider"."#attributes"."Guid"`],
              ['EventSourceName', `${y}."Provider"."#attributes"."EventSourceName"`],
              ['Qualifiers', `CASE WHEN starts_with(d_eid, '{') THEN json_extract_string(d_eid, '$."#attributes"."Qualifiers"') END`],
              ['Version', `${y}."Version"`],
              ['ActivityID', `${y}."Correlation"."#attributes"."ActivityID"`],
              ['RelatedActivityID', `${y}."Correlation"."#attributes"."RelatedActivityID"`],
            ]),
          }),
        ],
        reject: jsonReject(wrapper, r),
        noEventId: noEvent('Event.System.EventID'),
        noTime: lit('Event.System.TimeCreated.#attributes.SystemTime missing'),
        sourceFormat: fmt,
      });
    }
    case 'panther': {
      const { steps, root: r } = parseStep(PANTHER_STRUCT, wrapper);
      return windowsMapping({
        steps: [
          ...steps,
          wStep({
            w_eid: `${r}.EventID`,
            w_chan: `${r}.Channel`,
            w_prov: `${r}.ProviderName`,
            w_host: `${r}.Computer`,
            w_rec: `${r}.EventRecordID`,
            w_traw: `coalesce(${r}.TimeCreated, ${r}.p_event_time)`,
            // p_event_time is Panther's normalized event time, in UTC by its definition.
            w_time: `CASE WHEN ${r}.TimeCreated IS NOT NULL THEN ${isoTime(`${r}.TimeCreated`, tz)} ELSE timezone('UTC', try_cast(${r}.p_event_time AS TIMESTAMP)) END`,
            w_tinf: `CASE WHEN ${r}.TimeCreated IS NOT NULL THEN ${isoNote(`${r}.TimeCreated`, tz, 'TimeCreated')} WHEN ${r}.p_event_time IS NOT NULL THEN 'TimeCreated missing: p_event_time (Panther, UTC) used' END`,
            w_level: `${r}.Level`,
            w_task: `${r}.Task`,
            w_opcode: `${r}.Opcode`,
            w_kw: `${r}.Keywords`,
            w_pid: `${r}.ProcessID`,
            w_tid: `${r}.ThreadID`,
            w_uid: `${r}.UserID`,
            w_ed: `map_concat(coalesce(${r}.ExtraEventData, ${EMPTY_MAP}), coalesce(${r}.EventData, ${EMPTY_MAP}), coalesce(${r}.UserData, ${EMPTY_MAP}))`,
            w_sysx: sysx([
              ['ProviderGuid', `${r}.ProviderGuid`],
              ['Version', `${r}.Version`],
            ]),
          }),
        ],
        reject: jsonReject(wrapper, r),
        noEventId: noEvent('EventID'),
        noTime: lit('TimeCreated and p_event_time missing'),
        sourceFormat: fmt,
      });
    }
  }
}

export const windowsJson: FormatModule = {
  name: 'windows_json',
  family: FAMILY,
  description: 'Windows events as JSON from collectors: Winlogbeat 7/8 and 6.x, NXLog, Logstash-flattened, Microsoft Sentinel SecurityEvent/Event rows, Panther Windows.EventLogs, evtx_dump (one per line, as arrays or as documents; bare or in an Elasticsearch _source)',
  defaultFraming: { kind: 'lines' },
  defaultParams: { shape: 'logstash', wrapper: 'none' },
  sniff(s: SniffSample): SniffHit | null {
    if (s.text === null) return null;
    const shape = sniffJsonShape(s.text, s.complete);
    if (!shape) return null;
    const hits = shape.samples.map(windowsJsonShape).filter((h): h is NonNullable<typeof h> => h !== null);
    if (hits.length === 0) return null;
    const key = majority(hits.map((h) => `${h.shape}|${h.wrapper}`))!;
    const [shapeName, wrapper] = key.split('|') as [WindowsJsonShape, WindowsJsonWrapper];
    let framing: Framing;
    if (shape.kind === 'jsonl') framing = { kind: 'lines' };
    else if (shape.layout === 'records') return null; // {"Records": [...]} is another family's wrapper
    else framing = { kind: 'json', layout: shape.layout };
    // A member whose sampled records are at least half Windows events of one shape is claimed outright (its other
    // records are then rejected one by one with their reason, not loaded as generic JSON); below that, the share decides.
    const share = hits.filter((h) => `${h.shape}|${h.wrapper}` === key).length / Math.max(1, shape.samples.length);
    return {
      confidence: share >= 0.5 ? 0.92 : 0.92 * share,
      framing,
      params: { shape: shapeName, wrapper },
      note: wrapper === '_source' ? `Windows events (${shapeName}) inside "_source"` : undefined,
    };
  },
  mapping: jsonMapping,
};

export const windowsFormats: FormatModule[] = [evtx, windowsXml, windowsCsv, windowsJson];
