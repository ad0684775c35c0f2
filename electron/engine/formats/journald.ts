/**
 * systemd journal exports: `journalctl -o json` (one object per line), `-o json-pretty` (indented objects one after
 * another), `-o json-seq` (RFC 7464: each object after an RS byte) and `-o export` (the binary-safe Journal Export
 * Format, cut by the `journal-export` framer). Every variant is mapped by one SQL mapping over the entry's fields:
 * the JSON object itself, or the framer's JSON rendering of an export entry, which follows journalctl's JSON
 * conventions: a value is a string, an array of byte values (data that is not UTF-8 text) or an array of values
 * for a field written more than once.
 *
 * The time is `_SOURCE_REALTIME_TIMESTAMP` when present (the sender's clock, what journalctl displays), else
 * `__REALTIME_TIMESTAMP` (when journald received it); both are microseconds since the epoch, UTC. MESSAGE is
 * normalized by the Linux authentication rules shared with syslog (linux-auth-messages.ts); host, program,
 * executable, command line, uid and sequence number come from the trusted fields; every field is kept in `fields`
 * under its journal name. Layer: engine (format module).
 */
import type { FormatModule, Mapping, MapContext, SniffSample } from './types.js';
import { isObj, parseJson, sniffJsonShape } from './sniff-json.js';
import { lit } from './sql.js';
import { AUTH_ACTIVITY, AUTH_COLUMNS, AUTH_EXTRACTS, AUTH_FIELD_ENTRIES, OLD_PAM } from './linux-auth-messages.js';
import { registerFramer } from '../framing/custom.js';
import { JournalExportFramer } from './journald-export-framer.js';

registerFramer('journal-export', (sink, limits, startOffset) => new JournalExportFramer(sink, limits, startOffset));

export type JournalVariant = 'json' | 'json-seq' | 'export';

/** Bytes (a JSON array of numbers) as text when they are UTF-8, else NULL. */
function bytesText(a: string): string {
  return `try(decode(unhex(array_to_string(list_transform(from_json(${a}, '["UTINYINT"]'), b -> lpad(hex(b), 2, '0')), ''))))`;
}

/** Whether a JSON array holds bytes (journalctl's form of a value that is not text) rather than repeated values. */
function isBytes(a: string): string {
  return `(json_type(${a}, '$[0]') IN ('UBIGINT', 'BIGINT'))`;
}

/** A JSON array value as text: bytes decoded when UTF-8; a repeated field's first value. */
function arrayText(a: string): string {
  return `CASE WHEN ${isBytes(a)} THEN ${bytesText(a)}
      WHEN json_type(${a}, '$[0]') = 'ARRAY' THEN ${bytesText(`json_extract(${a}, '$[0]')`)}
      ELSE json_extract_string(${a}, '$[0]') END`;
}

/**
 * A field's text from the map of the entry's values (`m`, from one json_transform to MAP(VARCHAR, VARCHAR)): strings
 * are already text there. An array (bytes, or a repeated field) comes as its JSON text, which a string could also
 * look like, so only a value starting with "[" is looked up again in the entry to learn its real type.
 */
function valueText(v: string, src: string, key: string): string {
  return `CASE WHEN starts_with(${v}, '[') THEN CASE WHEN json_type(${src}, ${key}) = 'ARRAY'
      THEN ${arrayText(`json_extract(${src}, ${key})`)} ELSE ${v} END ELSE ${v} END`;
}

const DUPLICATE = lit('not a journal entry: a field name occurs twice in the JSON object');

const jsonKey = (name: string) => lit(`$."${name}"`);

export function journaldMapping(ctx: MapContext): Mapping {
  const variant = (ctx.params['variant'] as JournalVariant | undefined) ?? 'json';
  const src = variant === 'export' ? 's.parsed' : variant === 'json-seq' ? `ltrim(s.raw, chr(30))` : 's.raw';
  const f = (name: string) => valueText(`m[${lit(name)}]`, src, jsonKey(name));
  const entryKey = `'$."' || replace(e.key, '"', '\\"') || '"'`;
  const entryArray = `json_extract(${src}, ${entryKey})`;
  return {
    steps: [
      // One parse per entry: every field as (name, text); arrays as JSON text, resolved in valueText.
      { m: `try(json_transform(${src}, '"MAP(VARCHAR, VARCHAR)"'))` },
      {
        msg: f('MESSAGE'),
        ident: f('SYSLOG_IDENTIFIER'),
        comm: f('_COMM'),
        ts_raw: `coalesce(${f('_SOURCE_REALTIME_TIMESTAMP')}, ${f('__REALTIME_TIMESTAMP')})`,
        cursor: f('__CURSOR'),
        seqnum: f('__SEQNUM'),
        unique_keys: `len(list_distinct(map_keys(m))) = cardinality(m)`,
      },
      {
        prog: 'coalesce(ident, comm)',
        ts_us: 'try_cast(ts_raw AS BIGINT)',
        // journalctl before systemd 254 writes no __SEQNUM: the cursor's "i=" part is the same number in hex.
        seq: String.raw`coalesce(seqnum, try_cast(try_cast('0x' || nullif(regexp_extract(cursor, '(?:^|;)i=([0-9a-fA-F]+)', 1), '') AS UBIGINT) AS VARCHAR))`,
      },
      { old_pam: OLD_PAM, ...AUTH_EXTRACTS },
      { act: AUTH_ACTIVITY },
    ],
    columns: {
      time_raw: 'ts_raw',
      // try(): an absurd number is a rejected record, not a failed batch.
      time: 'try(make_timestamptz(ts_us))',
      activity: 'act',
      event_code: f('MESSAGE_ID'),
      category: AUTH_COLUMNS.category,
      service: 'prog',
      status: AUTH_COLUMNS.status,
      error_code: AUTH_COLUMNS.error_code,
      actor_user: AUTH_COLUMNS.actor_user,
      actor_id: f('_UID'),
      actor_type: AUTH_COLUMNS.actor_type,
      src_ip: AUTH_COLUMNS.src_ip,
      host: f('_HOSTNAME'),
      process: f('_EXE'),
      command_line: `coalesce(${f('_CMDLINE')}, ${AUTH_COLUMNS.command_line})`,
      target: AUTH_COLUMNS.target,
      record_id: 'seq',
      // Every journal field by name (bytes that are not UTF-8 as hex under "<NAME>:hex", ":" being impossible in a
      // field name; a repeated field as a JSON array of its values), plus what the message rules found under
      // lower-case names journald never uses.
      fields: `CASE WHEN unique_keys THEN map_from_entries(list_concat(
        list_transform(map_entries(m), e -> CASE
          WHEN NOT starts_with(e.value, '[') OR json_type(${src}, ${entryKey}) <> 'ARRAY' THEN {'k': e.key, 'v': e.value}
          WHEN ${isBytes(entryArray)} AND ${bytesText(entryArray)} IS NULL
            THEN {'k': e.key || ':hex', 'v': array_to_string(list_transform(from_json(${entryArray}, '["UTINYINT"]'), b -> lpad(lower(hex(b)), 2, '0')), '')}
          WHEN ${isBytes(entryArray)} THEN {'k': e.key, 'v': ${bytesText(entryArray)}}
          ELSE {'k': e.key, 'v': to_json(list_transform(from_json(${entryArray}, '["JSON"]'), x -> CASE WHEN json_type(x) = 'ARRAY' THEN ${bytesText('x')} ELSE json_extract_string(x, '$') END))::VARCHAR} END),
        list_filter([
          {'k': 'raw_form', 'v': ${variant === 'export' ? `CASE WHEN starts_with(s.raw, '{') THEN 'json: the entry has binary fields; its exact bytes are in the evidence copy at byte_offset' END` : 'NULL'}},
          ${AUTH_FIELD_ENTRIES.join(',\n          ')}
        ], x -> x.v IS NOT NULL AND NOT map_contains(m, x.k)))) END`,
    },
    // A repeated key: DuckDB builds such a map without error in a batch, but not row by row (which try() falls back
    // to when another row of the batch fails), so it shows as a NULL map or as a map with a repeated key.
    reject: `CASE
      WHEN m IS NULL THEN CASE WHEN NOT json_valid(${src}) THEN 'invalid JSON' WHEN json_type(${src}) <> 'OBJECT' THEN 'not a JSON object'
        WHEN len(list_distinct(json_keys(${src}))) < len(json_keys(${src})) THEN ${DUPLICATE}
        ELSE 'not a journal entry: its fields could not be read' END
      WHEN NOT unique_keys THEN ${DUPLICATE}
      WHEN ts_raw IS NULL THEN 'not a journal entry: __REALTIME_TIMESTAMP missing'
      END`,
  };
}

const JOURNAL_KEYS = ['__REALTIME_TIMESTAMP', '__CURSOR'];

function isJournalEntry(o: unknown): boolean {
  return isObj(o) && JOURNAL_KEYS.some((k) => typeof o[k] === 'string');
}

export const journaldJson: FormatModule = {
  name: 'journald_json',
  family: 'linux',
  description: 'systemd journal as JSON: journalctl -o json (one entry per line), -o json-pretty, -o json-seq',
  defaultFraming: { kind: 'lines' },
  defaultParams: { variant: 'json' },
  sniff(s: SniffSample) {
    if (s.text === null) return null;
    const t = s.text.trimStart();
    if (t.startsWith('\x1e')) {
      // json-seq: RS, a JSON text, LF. The last record of a partial sample may be cut: only whole ones count.
      const recs = t.split('\x1e').slice(1, 21).map((r) => r.trim()).filter((r) => r.length > 0);
      const samples = recs.map(parseJson);
      const hits = samples.filter(isJournalEntry).length;
      if (hits === 0) return null;
      return { confidence: 0.97 * (hits / Math.max(1, samples.filter((x) => x !== undefined).length)), framing: { kind: 'lines' }, params: { variant: 'json-seq' }, note: 'journalctl -o json-seq' };
    }
    const shape = sniffJsonShape(s.text, s.complete);
    if (!shape || shape.samples.length === 0) return null;
    const hits = shape.samples.filter(isJournalEntry).length;
    if (hits === 0) return null;
    const confidence = 0.97 * (hits / shape.samples.length);
    if (shape.kind === 'jsonl') return { confidence, framing: { kind: 'lines' }, params: { variant: 'json' } };
    if (shape.layout === 'records') return null;
    return { confidence, framing: { kind: 'json', layout: shape.layout }, params: { variant: 'json' }, note: shape.layout === 'concat' ? 'journalctl -o json-pretty' : 'JSON array of journal entries' };
  },
  mapping: journaldMapping,
};

/** Whether the first lines of a sample read as an export entry: KEY=value lines with the journal's address fields. */
export function looksLikeJournalExport(head: Buffer): boolean {
  const text = head.subarray(0, 16 * 1024).toString('latin1').replace(/^\n+/, '');
  const lines = text.split('\n');
  let keyLines = 0;
  let addressField = false;
  for (const line of lines.slice(0, 60)) {
    if (line === '') break; // end of the first entry
    const m = /^([A-Za-z0-9_]+)(=|$)/.exec(line);
    if (!m) return false;
    if (m[2] === '') break; // a binary field: its length and bytes follow; the lines before it decided
    keyLines++;
    if (m[1] === '__REALTIME_TIMESTAMP' || m[1] === '__CURSOR') addressField = true;
  }
  return keyLines >= 2 && addressField;
}

export const journaldExport: FormatModule = {
  name: 'journald_export',
  family: 'linux',
  description: 'systemd journal export format (journalctl -o export): KEY=value lines and binary-safe fields, entries separated by an empty line',
  defaultFraming: { kind: 'custom', framer: 'journal-export' },
  defaultParams: { variant: 'export' },
  sniff(s: SniffSample) {
    if (!looksLikeJournalExport(s.head)) return null;
    return { confidence: 0.97, framing: { kind: 'custom', framer: 'journal-export' }, params: { variant: 'export' } };
  },
  mapping: journaldMapping,
};

export const journaldFormats: FormatModule[] = [journaldExport, journaldJson];
