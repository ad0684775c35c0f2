/**
 * The SQL that every Windows format shares: one set of normalization rules (channel case, activity names, actor,
 * target, status, source address, process, command line, `fields`) applied after a format-specific "shape" step has
 * read the record into a fixed set of `w_*` values. Also the SQL readers of Windows Event XML (System elements,
 * EventData/UserData leaves, XML entity decoding), used by the XML format and by collector rows that carry EventData
 * as an XML string (Sentinel). Rules are documented in docs/schema.md (its family section). Layer: engine (format module).
 */
import type { Mapping } from './types.js';
import { lit } from './sql.js';
import { CANONICAL_CHANNELS, FAILURE_EVENTS, KNOWN_EVENTS, PROVIDER_CHANNEL, STATUS_EVENTS, type KnownEvent } from './windows-events.js';

/**
 * What a shape's last step must name (each a SQL expression; NULL when the source has no such value):
 * w_eid (EventID text), w_chan (channel as written), w_prov (provider), w_host (Computer), w_rec (EventRecordID),
 * w_traw (time as written), w_time (TIMESTAMPTZ), w_tinf (time_inferred note), w_level, w_task, w_opcode,
 * w_kw (keywords as a number: hex or decimal text), w_kwtext (keywords / audit outcome as text), w_pid, w_tid,
 * w_uid (System/Security/@UserID), w_uname/w_udom (that user resolved to a name by a collector), w_ed (EventData and
 * UserData fields, MAP(VARCHAR, VARCHAR)) and w_sysx (further system values for `fields`, a LIST of {k, v}).
 */
export const W_NAMES = [
  'w_eid',
  'w_chan',
  'w_prov',
  'w_host',
  'w_rec',
  'w_traw',
  'w_time',
  'w_tinf',
  'w_level',
  'w_task',
  'w_opcode',
  'w_kw',
  'w_kwtext',
  'w_pid',
  'w_tid',
  'w_uid',
  'w_uname',
  'w_udom',
  'w_ed',
  'w_sysx',
] as const;

export type WValues = Record<(typeof W_NAMES)[number], string>;

/** An empty w_sysx. */
export const NO_SYSX = `[]::STRUCT(k VARCHAR, v VARCHAR)[]`;

/** `{k, v}` entries for w_sysx from name → SQL expression pairs. */
export function sysx(entries: Array<[string, string]>): string {
  if (entries.length === 0) return NO_SYSX;
  return `[${entries.map(([k, v]) => `{'k': ${lit(k)}, 'v': (${v})::VARCHAR}`).join(', ')}]`;
}

export interface ShapeSql {
  /** Steps that read the record; the last one must define every name in W_NAMES. */
  steps: Array<Record<string, string>>;
  /** Reason the shape cannot read the record (invalid JSON, no <System> …), NULL when it can. */
  reject: string;
  /** Reject reason when there is no EventID, naming where it was looked for. */
  noEventId: string;
  /** Reject reason when there is no time value at all, naming where it was looked for. */
  noTime: string;
  /** `source_format` (SQL expression). */
  sourceFormat: string;
  /**
   * The `fields` MAP when the shape has it ready (EVTX: merged by the reader); else system values and w_ed are
   * merged here, which is the costliest expression of the mapping.
   */
  fields?: string;
}

// -----------------------------------------------------------------------------------------------------------------
// Small SQL helpers

/** An EventData/UserData field, NULL when absent, empty or `-` (Windows writes `-` for "no value"). */
export function ed(name: string): string {
  return `nullif(nullif(w_ed[${lit(name)}], ''), '-')`;
}

/** DOMAIN\name, or the name alone when there is no domain or the name is already user@domain. */
function acct(domain: string, user: string): string {
  return `CASE WHEN ${user} IS NULL THEN NULL WHEN ${domain} IS NOT NULL AND NOT contains(${user}, '@') THEN ${domain} || '\\' || ${user} ELSE ${user} END`;
}

function inList(expr: string, items: string[]): string {
  return `${expr} IN (${items.map(lit).join(', ')})`;
}

/**
 * Decodes XML character data: the five predefined entities, decimal and hex character references (one pass, so
 * `&amp;lt;` stays `&lt;`) and CDATA sections. A reference to a character that cannot exist (beyond U+10FFFF, a
 * surrogate) is kept as written rather than dropped.
 */
export function xmlDecode(v: string): string {
  const tok = String.raw`<!\[CDATA\[(?s:.*?)\]\]>|&(?:#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,10}|lt|gt|amp|quot|apos);|[^&<]+|[&<]`;
  return `CASE WHEN ${v} IS NULL THEN NULL WHEN NOT contains(${v}, '&') AND NOT contains(${v}, '<![CDATA[') THEN ${v}
    ELSE array_to_string(list_transform(regexp_extract_all(${v}, ${lit(tok)}), lambda t: CASE
      WHEN starts_with(t, '<![CDATA[') THEN t[10:-4]
      WHEN t = '&lt;' THEN '<' WHEN t = '&gt;' THEN '>' WHEN t = '&amp;' THEN '&' WHEN t = '&quot;' THEN '"' WHEN t = '&apos;' THEN ''''
      WHEN starts_with(t, '&#x') OR starts_with(t, '&#X') THEN coalesce(try(chr(('0x' || t[4:-2])::INTEGER)), t)
      WHEN starts_with(t, '&#') THEN coalesce(try(chr(t[3:-2]::INTEGER)), t)
      ELSE t END), '') END`;
}

/**
 * A leaf element (text or CDATA only, or self-closing): 1 = name, 2 = attributes, 3 = content. Because the content
 * holds no `<` outside CDATA, the next tag is necessarily the element's own end tag, so no back-reference is needed.
 */
const LEAF = String.raw`(?s)<([A-Za-z_][\w.:-]*)((?:\s[^>]*?)?)(?:/>|>((?:[^<]|<!\[CDATA\[.*?\]\]>)*)</[^>]*>)`;

/**
 * The key of an EventData leaf: its `Name` attribute for a `Data` element (`Data` when it has none), else the element
 * name. `a` is the leaf's attribute text. One small regex per Data element; the presence test runs only when the
 * attribute is empty or missing.
 */
function dataKey(n: string, a: string): string {
  const re = String.raw`(?:^|\s)Name\s*=\s*(?:"([^"]*)"|'([^']*)')`;
  const v = `nullif(regexp_extract(${a}, ${lit(re)}, 1), '')`;
  return `CASE WHEN ${n} <> 'Data' THEN ${n}
    ELSE coalesce(${xmlDecode(`coalesce(${v}, nullif(regexp_extract(${a}, ${lit(re)}, 2), ''))`)},
      CASE WHEN regexp_matches(${a}, ${lit(String.raw`(?:^|\s)Name\s*=`)}) THEN '' ELSE 'Data' END) END`;
}

/**
 * EventData and UserData of an XML text as a MAP, flattened by the rule of the EVTX reader (render.ts): EventData
 * `Data` elements by their `Name` attribute (`Data` when unnamed), other EventData leaves and every UserData leaf by
 * element name; a repeated key gets the count of its earlier uses as a suffix (`Data`, `Data1`, `Data2`).
 * `edx`/`udx` are the inner texts of <EventData> and <UserData> (NULL or empty when absent).
 */
export function xmlFieldsMap(edx: string, udx: string): string {
  const e = `coalesce(${edx}, '')`;
  const u = `coalesce(${udx}, '')`;
  const en = `regexp_extract_all(${e}, ${lit(LEAF)}, 1)`;
  const ea = `regexp_extract_all(${e}, ${lit(LEAF)}, 2)`;
  const ec = `regexp_extract_all(${e}, ${lit(LEAF)}, 3)`;
  const un = `regexp_extract_all(${u}, ${lit(LEAF)}, 1)`;
  const uc = `regexp_extract_all(${u}, ${lit(LEAF)}, 3)`;
  // Keys: EventData leaves (Data by Name), then UserData leaves by element name; values decoded.
  const keys = `list_transform(xen, lambda n, i: ${dataKey('n', 'xea[i]')}) || xun`;
  const vals = `list_transform(xec || xuc, lambda v: coalesce(${xmlDecode('v')}, ''))`;
  // Repeated keys (classic events: unnamed Data elements) get the count of earlier uses as a suffix. The quadratic
  // work is done only for records that have a repeat.
  const suffixed = `CASE WHEN len(list_distinct(xk)) = len(xk) THEN xk ELSE list_transform(xk, lambda k, i: CASE WHEN len(list_filter(xk[1:i - 1], lambda x: x = k)) = 0 THEN k ELSE k || len(list_filter(xk[1:i - 1], lambda x: x = k))::VARCHAR END) END`;
  // A suffixed key can still collide with a real one (`Data`, `Data`, `Data1`): then every later duplicate is made
  // unique with its position (`Data1#3`), so no value is lost and the MAP stays valid.
  const unique = `CASE WHEN len(list_distinct(xs)) = len(xs) THEN xs ELSE list_transform(xs, lambda k, i: CASE WHEN list_position(xs, k) = i THEN k ELSE k || '#' || i::VARCHAR END) END`;
  return `(SELECT map(${unique}, xv) FROM (SELECT ${suffixed} AS xs, xv FROM (SELECT ${keys} AS xk, ${vals} AS xv FROM (SELECT ${en} AS xen, ${ea} AS xea, ${ec} AS xec, ${un} AS xun, ${uc} AS xuc))))`;
}

/**
 * The sections of an <Event> in one regex pass: `sys`, `ed`, `ud`, `ri` = the inner texts of <System>, <EventData>,
 * <UserData> and <RenderingInfo> ('' when absent; <EventData/> is '' too). Windows writes them in this order.
 */
export function xmlSections(xml: string): string {
  const re = String.raw`(?s)<System\b[^>]*>(.*?)</System\s*>(?:.*?<EventData\b[^>]*?(?:/>|>(.*?)</EventData\s*>))?(?:.*?<UserData\b[^>]*>(.*)</UserData\s*>)?(?:.*?<RenderingInfo\b[^>]*>(.*?)</RenderingInfo\s*>)?`;
  return `regexp_extract(${xml}, ${lit(re)}, ['sys', 'ed', 'ud', 'ri'])`;
}

/** Inner text of the first <name …>…</name> in `xml` (NULL when absent; empty for <name/>). */
export function xmlSection(xml: string, name: string, greedy = false): string {
  const re = String.raw`(?s)<${name}\b[^>]*?(?:/>|>(.${greedy ? '*' : '*?'})</${name}\s*>)`;
  return `CASE WHEN contains(${xml}, ${lit(`<${name}`)}) THEN regexp_extract(${xml}, ${lit(re)}, 1) END`;
}

/** Text of element `name` inside `xml` (decoded), NULL when absent or empty. */
export function xmlElement(xml: string, name: string): string {
  return xmlDecode(`nullif(trim(regexp_extract(${xml}, ${lit(String.raw`<${name}\b[^>]*>([^<]*)</${name}\s*>`)}, 1)), '')`);
}

/** Attribute `attr` of the first element `name` inside `xml` (decoded), NULL when absent or empty. */
export function xmlAttr(xml: string, name: string, attr: string): string {
  const re = String.raw`<${name}\b[^>]*?\s${attr}\s*=\s*(?:"([^"]*)"|'([^']*)')`;
  return xmlDecode(`nullif(coalesce(nullif(regexp_extract(${xml}, ${lit(re)}, 1), ''), regexp_extract(${xml}, ${lit(re)}, 2)), '')`);
}

// -----------------------------------------------------------------------------------------------------------------
// Time

const OFFSET_RE = String.raw`(?i)(z|[+-]\d{2}:?\d{2})$`;

/** True when an ISO-like time text carries a UTC offset (Z, +hh:mm, +hhmm, " +0000"). */
export function hasOffset(v: string): string {
  return `regexp_matches(trim(${v}), ${lit(OFFSET_RE)})`;
}

/**
 * ISO 8601 / RFC 3339 text (T or space, any fraction: 7 digits from Windows are cut to microseconds, never rounded up),
 * with an offset, or without one (read in `tz`). A space before the offset (`2024-01-15 10:30:45 +0000`) is allowed.
 */
export function isoTime(v: string, tz: string): string {
  const norm = `regexp_replace(trim(${v}), ${lit(String.raw`\s*([+-]\d{2}):?(\d{2})$`)}, ${lit(String.raw`\1:\2`)})`;
  return `CASE WHEN ${v} IS NULL THEN NULL WHEN ${hasOffset(v)} THEN try_cast(${norm} AS TIMESTAMPTZ) ELSE timezone(${lit(tz)}, try_cast(trim(${v}) AS TIMESTAMP)) END`;
}

/** time_inferred for an ISO time: NULL with an offset, else what was assumed. */
export function isoNote(v: string, tz: string, what: string): string {
  return `CASE WHEN ${v} IS NOT NULL AND NOT ${hasOffset(v)} THEN ${lit(`${what} has no UTC offset: read as local time in ${tz}`)} END`;
}

// -----------------------------------------------------------------------------------------------------------------
// The shared normalization

function knownCase(pick: (k: KnownEvent) => string | undefined): string {
  const whens = Object.entries(KNOWN_EVENTS)
    .map(([key, k]) => [key, pick(k)] as const)
    .filter((e): e is readonly [string, string] => e[1] !== undefined)
    .map(([key, v]) => `WHEN ${lit(key)} THEN ${lit(v)}`);
  return `CASE ek ${whens.join(' ')} END`;
}

/** Canonical channel case: the known spelling for a known channel, else the channel as written. */
function canonicalChannel(v: string): string {
  return `CASE lower(${v}) ${CANONICAL_CHANNELS.map((c) => `WHEN ${lit(c.toLowerCase())} THEN ${lit(c)}`).join(' ')} ELSE ${v} END`;
}

const AUDIT_FAILURE_BIT = '4503599627370496'; // 0x0010000000000000
const AUDIT_SUCCESS_BIT = '9007199254740992'; // 0x0020000000000000

function keywordBit(bit: string): string {
  return `coalesce((try_cast(w_kw AS UBIGINT) & ${bit}::UBIGINT) <> 0, (try_cast(w_kw AS BIGINT) & ${bit}) <> 0, false)`;
}

/**
 * Builds the complete mapping from a shape. With `channelFromProvider`, a record without a channel (Event Viewer CSV)
 * takes the channel of its provider when the provider writes to one only.
 */
export function windowsMapping(shape: ShapeSql, opts: { channelFromProvider?: boolean } = {}): Mapping {
  const chan = opts.channelFromProvider ? 'coalesce(w_chan, pchan)' : 'w_chan';
  const zeroStatus = (v: string) => `lower(${v}) IN ('0x0', '0', '0x00000000')`;
  // System values by their XML names. Where an EventData/UserData field has the same name (104's UserData `Channel`
  // is the log that was cleared; 5156's `ProcessID` is the application's), the field keeps the name and a different
  // System value is kept as `System.<name>`.
  const sysEntries = `list_transform(list_filter([
      {'k': 'Provider', 'v': w_prov::VARCHAR}, {'k': 'Channel', 'v': w_chan::VARCHAR}, {'k': 'EventID', 'v': w_eid::VARCHAR},
      {'k': 'EventRecordID', 'v': w_rec::VARCHAR}, {'k': 'Computer', 'v': w_host::VARCHAR}, {'k': 'Level', 'v': w_level::VARCHAR},
      {'k': 'Task', 'v': w_task::VARCHAR}, {'k': 'Opcode', 'v': w_opcode::VARCHAR}, {'k': 'Keywords', 'v': w_kw::VARCHAR},
      {'k': 'ProcessID', 'v': w_pid::VARCHAR}, {'k': 'ThreadID', 'v': w_tid::VARCHAR}, {'k': 'UserID', 'v': w_uid::VARCHAR}
    ] || w_sysx, lambda x: x.v IS NOT NULL AND w_ed[x.k] IS DISTINCT FROM x.v),
    lambda x: {'k': CASE WHEN w_ed[x.k] IS NULL THEN x.k ELSE 'System.' || x.k END, 'v': x.v})`;
  // One MAP built from the two key lists (map_concat costs twice as much). A JSON object with a repeated key makes
  // w_ed hold it twice and map() refuse: then map_concat, which keeps the last value, builds it instead.
  const fieldsExpr = `coalesce(
      try(map(list_transform(f_sys, lambda x: x.k) || map_keys(w_ed), list_transform(f_sys, lambda x: x.v) || map_values(w_ed))),
      map_concat(map_from_entries(f_sys), w_ed))`;
  // DOMAIN\name as written in a `User` / `UserName` field: the name after the last backslash, the domain before it.
  const nameOf = (v: string) => String.raw`nullif(regexp_extract(${v}, '([^\\]*)$', 1), '')`;
  const domainOf = (v: string) => String.raw`nullif(regexp_extract(${v}, '^(.*)\\', 1), '')`;
  return {
    steps: [
      ...shape.steps,
      // The provider's own channel when it writes to one only (windows-events.ts PROVIDER_CHANNEL), else NULL.
      { pchan: `CASE w_prov::VARCHAR ${Object.entries(PROVIDER_CHANNEL).map(([p, c]) => `WHEN ${lit(p)} THEN ${lit(c)}`).join(' ')} END` },
      {
        svc: canonicalChannel(chan),
        eid: `nullif(trim(w_eid::VARCHAR), '')`,
      },
      {
        // The channel whose event table applies: the provider's own channel when the provider writes to one only
        // (a Security event forwarded into ForwardedEvents, or exported without its channel, is still a Security
        // event), else the channel as written.
        rchan: 'coalesce(pchan, svc)',
      },
      { ek: `rchan || ':' || eid` },
      {
        known_act: knownCase((k) => k.activity),
        known_cat: knownCase((k) => k.category),
        cls: `coalesce(${knownCase((k) => k.cls)}, 'subject')`,
        tgt_field: knownCase((k) => k.target),
        kw_fail: `${keywordBit(AUDIT_FAILURE_BIT)} OR regexp_matches(coalesce(w_kwtext, ''), '(?i)audit[ _]?failure|failure[ _]?audit|^failure$')`,
        kw_ok: `${keywordBit(AUDIT_SUCCESS_BIT)} OR regexp_matches(coalesce(w_kwtext, ''), '(?i)audit[ _]?success|success[ _]?audit|^success$')`,
      },
      {
        su_name: ed('SubjectUserName'),
        uf: `CASE WHEN cls = 'user_field' THEN ${ed('User')} ELSE coalesce(${ed('User')}, ${ed('UserName')}) END`,
        // Collector-resolved System/Security/@UserID; never for Sysmon, whose records all carry the Sysmon service's SID.
        use_sys: `rchan IS DISTINCT FROM 'Microsoft-Windows-Sysmon/Operational'`,
      },
      {
        // Actor, by event class (see windows-events.ts EventClass and the schema fragment).
        a_user: `CASE cls
          WHEN 'logon' THEN ${ed('TargetUserName')}
          WHEN 'account' THEN ${ed('AccountName')}
          WHEN 'user_field' THEN ${nameOf('uf')}
          WHEN 'rdp_auth' THEN ${ed('Param1')}
          ELSE CASE WHEN su_name IS NOT NULL THEN su_name WHEN uf IS NOT NULL THEN ${nameOf('uf')} WHEN use_sys THEN nullif(w_uname, '') END END`,
        a_dom: `CASE cls
          WHEN 'logon' THEN ${ed('TargetDomainName')}
          WHEN 'account' THEN ${ed('AccountDomain')}
          WHEN 'user_field' THEN ${domainOf('uf')}
          WHEN 'rdp_auth' THEN ${ed('Param2')}
          ELSE CASE WHEN su_name IS NOT NULL THEN ${ed('SubjectDomainName')} WHEN uf IS NOT NULL THEN ${domainOf('uf')} WHEN use_sys THEN nullif(w_udom, '') END END`,
        a_id: `CASE cls
          WHEN 'logon' THEN coalesce(${ed('TargetUserSid')}, ${ed('TargetSid')})
          WHEN 'subject' THEN coalesce(${ed('SubjectUserSid')}, CASE WHEN use_sys THEN nullif(w_uid, '') END)
          END`,
        t_spec: `nullif(nullif(w_ed[tgt_field], ''), '-')`,
        f_sys: shape.fields ? 'NULL' : sysEntries,
      },
    ],
    columns: {
      time: 'w_time',
      time_raw: 'w_traw',
      time_inferred: 'w_tinf',
      source_format: shape.sourceFormat,
      activity: `coalesce(known_act, 'event_' || eid)`,
      event_code: 'eid',
      category: 'known_cat',
      service: 'svc',
      status: `CASE
        WHEN kw_fail THEN 'failure'
        WHEN ${inList('ek', FAILURE_EVENTS)} THEN 'failure'
        WHEN ${inList('ek', STATUS_EVENTS)} AND ${ed('Status')} IS NOT NULL THEN CASE WHEN ${zeroStatus(ed('Status'))} THEN 'success' ELSE 'failure' END
        WHEN kw_ok THEN 'success'
        END`,
      error_code: `CASE
        WHEN ek = 'Security:4625' THEN coalesce(CASE WHEN NOT ${zeroStatus(ed('SubStatus'))} THEN ${ed('SubStatus')} END, ${ed('Status')})
        WHEN ${inList('ek', [...STATUS_EVENTS, 'Security:4771'])} AND NOT ${zeroStatus(ed('Status'))} THEN ${ed('Status')}
        END`,
      actor_user: 'a_user',
      actor_domain: 'a_dom',
      actor_id: 'a_id',
      actor_type: `CASE
        WHEN a_id IN ('S-1-5-18', 'S-1-5-19', 'S-1-5-20') THEN 'system'
        WHEN upper(a_user) IN ('SYSTEM', 'LOCAL SERVICE', 'NETWORK SERVICE') AND (a_dom IS NULL OR upper(a_dom) = 'NT AUTHORITY') THEN 'system'
        WHEN a_user LIKE '%$' THEN 'computer'
        WHEN a_user IS NOT NULL OR a_id IS NOT NULL THEN 'user'
        END`,
      src_ip: `CASE
        WHEN cls = 'rdp_auth' THEN ${ed('Param3')}
        WHEN rchan = 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational' THEN nullif(${ed('Address')}, 'LOCAL')
        ELSE coalesce(${ed('IpAddress')}, ${ed('SourceAddress')}, ${ed('SourceIp')}, ${ed('ClientAddress')}, ${ed('ClientIPAddress')})
        END`,
      host: 'w_host',
      target: `CASE
        WHEN ek = 'Security:1102' THEN 'Security'
        WHEN cls IN ('logon', 'account', 'rdp_auth', 'user_field') THEN t_spec
        WHEN tgt_field = 'OldTargetUserName' THEN ${acct(ed('TargetDomainName'), 't_spec')}
        ELSE coalesce(t_spec, ${acct(ed('TargetDomainName'), ed('TargetUserName'))}, ${ed('ServiceName')}, ${ed('TaskName')},
          ${ed('ObjectName')}, ${ed('ObjectDN')}, ${ed('TargetObject')}, ${ed('TargetFilename')}, ${ed('ShareName')})
        END`,
      process: `CASE WHEN ek = 'Security:4688' THEN coalesce(${ed('NewProcessName')}, ${ed('ProcessName')})
        ELSE coalesce(${ed('ProcessName')}, ${ed('Image')}, ${ed('SourceImage')}, ${ed('NewProcessName')}, ${ed('CallerProcessName')}, ${ed('Application')}) END`,
      command_line: `coalesce(${ed('CommandLine')}, CASE ek WHEN 'Security:4697' THEN ${ed('ServiceFileName')} WHEN 'System:7045' THEN ${ed('ImagePath')} END)`,
      record_id: 'w_rec::VARCHAR',
      // EventData/UserData by name win over the system values of the same name (see the schema fragment).
      fields: shape.fields ?? fieldsExpr,
    },
    reject: `coalesce((${shape.reject}), CASE
      WHEN eid IS NULL THEN ${shape.noEventId}
      WHEN NOT regexp_full_match(eid, '\\d{1,5}') THEN 'not a Windows event: EventID "' || eid || '" is not a number'
      WHEN w_traw IS NULL THEN ${shape.noTime}
      END)`,
  };
}
