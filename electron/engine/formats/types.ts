/**
 * The format layer's contract. A format module says how to recognise a member (sniff), how to cut it into records
 * (framing) and how to turn each staged record into a normalized event (a SQL mapping run by DuckDB over a whole
 * batch). Adding a log family = one module implementing `FormatModule` plus fixtures. Layer: engine.
 */
import type { JsonLayout } from '../framing/json-framer.js';

/** Event columns a format fills (provenance columns are filled by the pipeline). */
export type MappedColumn =
  | 'time'
  | 'time_raw'
  | 'time_inferred'
  | 'source_family'
  | 'source_format'
  | 'activity'
  | 'event_code'
  | 'category'
  | 'service'
  | 'status'
  | 'error_code'
  | 'actor_user'
  | 'actor_domain'
  | 'actor_id'
  | 'actor_type'
  | 'src_ip'
  | 'user_agent'
  | 'host'
  | 'cloud_account'
  | 'region'
  | 'target'
  | 'process'
  | 'command_line'
  | 'record_id'
  | 'fields';

export const MAPPED_COLUMNS: MappedColumn[] = [
  'time',
  'time_raw',
  'time_inferred',
  'source_family',
  'source_format',
  'activity',
  'event_code',
  'category',
  'service',
  'status',
  'error_code',
  'actor_user',
  'actor_domain',
  'actor_id',
  'actor_type',
  'src_ip',
  'user_agent',
  'host',
  'cloud_account',
  'region',
  'target',
  'process',
  'command_line',
  'record_id',
  'fields',
];

/**
 * A SQL mapping over one staged record `s` with columns: member_id, record_index, line, byte_offset, raw (VARCHAR,
 * the record's text), parsed (VARCHAR: JSON a framer produced, e.g. CSV fields as an array; else NULL),
 * params (JSON: per-member parameters), archive_sha256, member_path.
 */
export interface Mapping {
  /** Named SQL expressions computed in order; each step may use the names of earlier steps. */
  steps: Array<Record<string, string>>;
  /** Event columns; `time` must be a TIMESTAMPTZ expression. Unset columns are NULL. */
  columns: Partial<Record<MappedColumn, string>> & Record<string, string | undefined>;
  /** A reject reason (VARCHAR) or NULL when the record maps; may use step names and `e_<column>`. A NULL time is always a reject. */
  reject?: string;
}

export type Framing =
  | { kind: 'lines' }
  | { kind: 'json'; layout: JsonLayout; recordsKey?: string }
  | { kind: 'csv'; delimiter: string }
  | { kind: 'xml'; element: string }
  | { kind: 'parquet' }
  /** A binary format read by a registered reader (BINARY_READERS in ingest/member.ts), e.g. EVTX. */
  | { kind: 'binary'; reader: string }
  /** A text framing of a format's own (CUSTOM_FRAMERS in framing/custom.ts), e.g. auditd lines grouped by serial. */
  | { kind: 'custom'; framer: string; options?: Record<string, unknown> };

/** What a sniffer sees: the first bytes of the member (decoded to UTF-8 text when it is text) and its path. */
export interface SniffSample {
  path: string;
  /** First bytes of the member as stored (after any gzip layer). */
  head: Buffer;
  /** The same bytes as text when the member is text (BOM removed), else null. */
  text: string | null;
  /** Whether `head` is the whole member. */
  complete: boolean;
}

export interface SniffHit {
  /** 0..1; the highest wins, ties go to the more specific (earlier registered) module. */
  confidence: number;
  framing: Framing;
  /** Parameters that shape the SQL mapping (members with equal params share one batch). */
  params: Record<string, unknown>;
  /** A note for the member report, e.g. which wrapper was found. */
  note?: string;
}

/** Context handed to a mapping: lane parameters and the case settings it may need. */
export interface MapContext {
  params: Record<string, unknown>;
  caseTimezone: string;
  periodStart: string;
  periodEnd: string;
  /** Mapping file contents, when the user gave one (`--map`). */
  userMap: UserMap | null;
}

/** `--map` file: tells the generic formats which fields hold what. Keys are event columns, values field names/paths. */
export interface UserMap {
  time: string;
  /** strptime format when the time is not ISO 8601 or epoch numbers. */
  time_format?: string;
  /** Time zone for times without an offset; defaults to the case time zone. */
  timezone?: string;
  columns: Partial<Record<Exclude<MappedColumn, 'time' | 'time_raw' | 'fields'>, string>>;
  source_family?: string;
}

export interface FormatModule {
  /** Stable name used by `--format`, the members table and docs/formats.md. */
  name: string;
  family: string;
  description: string;
  /** Returns a hit when the sample looks like this format. */
  sniff(sample: SniffSample): SniffHit | null;
  /** Framing for a forced `--format` (no sniff hit). */
  defaultFraming: Framing;
  defaultParams?: Record<string, unknown>;
  mapping(ctx: MapContext): Mapping;
  /** The mapping needs all of a member's records in one batch (e.g. window functions over the file's lines). */
  wholeMember?: boolean;
  /** Where mapped records go; `cloudtrail_digests` for digest files. Default `events`. */
  target?: 'events' | 'cloudtrail_digests';
}
