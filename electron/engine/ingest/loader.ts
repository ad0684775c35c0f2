/**
 * Moves framed records into DuckDB in large batches and keeps the books. Records of members that share a format and
 * mapping parameters go to one "lane": staged as a delimited text file that DuckDB's parallel CSV reader takes back
 * (records with bytes the staging format cannot carry go through an appender instead), then one INSERT ... SELECT
 * runs the format's SQL mapping over the batch. Every batch is checked: rows staged = events inserted + rejects
 * inserted, or the import fails. All database work runs on one serial queue so framing can continue while DuckDB
 * works. Layer: engine.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DamageError } from './streams.js';
import { sqlString } from '../db/database.js';
import { MAPPED_COLUMNS, type FormatModule, type MapContext, type Mapping } from '../formats/types.js';

const SEP = 0x1f; // ASCII unit separator: never present in staged raw text (checked per record)
const LF = 0x0a;
const CR = 0x0d;
const WRITE_BUFFER = 8 * 1024 * 1024;
const FILE_BYTES = 64 * 1024 * 1024;
/**
 * A lane is flushed into DuckDB when this many bytes are staged; by default only at the end of the input. One INSERT
 * per lane and input keeps DuckDB's row groups whole: several INSERTs into the same table in one transaction make the
 * next checkpoint rewrite them, which cost more than the whole load (measured; see BENCHMARKS.md). Staging lives on
 * disk in the case's tmp folder, so memory stays bounded. EWB_FLUSH_BYTES overrides it (tests, tuning).
 */
const LANE_FLUSH_BYTES = Number(process.env.EWB_FLUSH_BYTES) > 0 ? Number(process.env.EWB_FLUSH_BYTES) : Number.MAX_SAFE_INTEGER;
const MAX_QUEUED = 2;
/**
 * Records larger than this, or holding a line break or the separator, are staged base64-encoded in separate files
 * (the plain files' reader sizes its buffer from the max line size, and a line break would end the row).
 */
const STAGE_MAX_RECORD = 1024 * 1024;

export interface BatchMember {
  memberId: number;
  archiveSha256: string;
  memberPath: string;
  params: Record<string, unknown>;
}

export interface FramingReject {
  archiveSha256: string;
  memberId: number;
  memberPath: string;
  recordIndex: number;
  line: number | null;
  offset: number | null;
  reason: string;
  raw: Buffer;
}

/** Builds the SELECT that maps a staged relation into event columns plus `reject_reason`. */
export function mappingSelect(stageRel: string, m: Mapping, defaults: { family: string; format: string }): string {
  // Every CTE re-aliases its input as `s`, so expressions may use `s.raw` and earlier step names at any step.
  const ctes: string[] = [`t_stage AS (${stageRel})`];
  let prev = 't_stage';
  m.steps.forEach((step, i) => {
    const exprs = Object.entries(step).map(([k, v]) => `(${v}) AS ${k}`);
    ctes.push(`t${i} AS (SELECT s.*, ${exprs.join(', ')} FROM ${prev} s)`);
    prev = `t${i}`;
  });
  const cols: Record<string, string | undefined> = { source_family: sqlString(defaults.family), source_format: sqlString(defaults.format), ...m.columns };
  const colExprs = Object.entries(cols)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `(${v}) AS e_${k}`);
  ctes.push(`tc AS (SELECT s.*, ${colExprs.join(', ')} FROM ${prev} s)`);
  // The format's own reason first, then a missing time (coalesce: each expression is written once).
  const reasons: string[] = [];
  if (m.reject) reasons.push(`(${m.reject})`);
  if (cols['time'] !== undefined) {
    reasons.push(`CASE WHEN e_time IS NULL THEN 'unparseable or missing timestamp: ' || coalesce('"' || e_time_raw || '"', 'no time value') END`);
  }
  const reason = reasons.length === 0 ? 'NULL::VARCHAR' : reasons.length === 1 ? reasons[0]! : `coalesce(${reasons.join(', ')})`;
  return `WITH ${ctes.join(',\n')}
SELECT s.*, ${reason} AS reject_reason FROM tc s`;
}

/**
 * The stable id of a member's records: 20 hex characters of SHA-256(archive SHA-256 | member path). An event id is
 * `<member key>-<record index>`: derived from the archive's hash, the member path and the record's ordinal, so the
 * same archive gives the same ids in any case, and cheap enough to compute for every record.
 */
export function memberKey(archiveSha256: string, memberPath: string): string {
  return createHash('sha256').update(`${archiveSha256}|${memberPath}`).digest('hex').slice(0, 20);
}

function eventInsert(mapped: string, columns: string[], ingestId: number): string {
  const list = columns.map((c) => `e_${c} AS ${c}`).join(', ');
  const part = (c: string) => (columns.includes(c) ? `e_${c}` : 'NULL');
  const stream = `ewb_stream(${['source_family', 'cloud_account', 'region', 'host', 'service'].map(part).join(', ')})`;
  // Rows are written grouped by what the canned queries filter on (family, event code, activity), then in time order:
  // each query then reads the few row groups whose min/max statistics can hold its events instead of every row group
  // (measured: selective queries over 10M events went from ~0.3-0.5 s to a few ms; see BENCHMARKS.md).
  const order = ['source_family', 'event_code', 'activity', 'time'].filter((c) => columns.includes(c)).map((c) => `e_${c} NULLS FIRST`).join(', ');
  return `INSERT INTO events BY NAME
SELECT member_key || '-' || record_index::VARCHAR AS event_id,
       ${list}, ${stream} AS stream, archive_sha256, member_id, member_path, record_index, line, byte_offset, raw, ${ingestId} AS ingest_id
FROM (${mapped}) WHERE reject_reason IS NULL
ORDER BY ${order ? `${order}, ` : ''}member_id, record_index`;
}

function rejectInsert(mapped: string, ingestId: number): string {
  return `INSERT INTO rejects
SELECT archive_sha256, member_id, member_path, record_index, line, byte_offset, reject_reason, encode(raw), ${ingestId}
FROM (${mapped}) WHERE reject_reason IS NOT NULL`;
}

function digestInsert(mapped: string, columns: string[], ingestId: number): string {
  const list = columns.filter((c) => c !== 'time' && c !== 'time_raw').map((c) => `e_${c} AS ${c}`).join(', ');
  return `INSERT INTO cloudtrail_digests BY NAME
SELECT ${list}, archive_sha256, member_id, member_path, raw, ${ingestId} AS ingest_id
FROM (${mapped}) WHERE reject_reason IS NULL`;
}

/** Writes a non-negative integer's decimal digits at `pos`; returns the position after them. */
function writeInt(b: Buffer, pos: number, n: number): number {
  if (n < 10) {
    b[pos] = 48 + n;
    return pos + 1;
  }
  let digits = 0;
  for (let x = n; x > 0; x = Math.floor(x / 10)) digits++;
  let end = pos + digits;
  for (let x = n; x > 0; x = Math.floor(x / 10)) b[--end] = 48 + (x % 10);
  return pos + digits;
}

interface StagedBatch {
  files: string[];
  oddFiles: string[];
  oddMaxLine: number;
  staged: number;
}

class Lane {
  readonly id: number;
  private files: string[] = [];
  private fd = -1;
  private fileBytes = 0;
  private buf = Buffer.allocUnsafe(WRITE_BUFFER);
  private pos = 0;
  staged = 0;
  stagedBytes = 0;
  private fileNo = 0;
  /** Base64 staging of the records the plain files cannot carry (see STAGE_MAX_RECORD). */
  private oddFiles: string[] = [];
  private oddFd = -1;
  private oddFileBytes = 0;
  private oddMaxLine = 0;

  constructor(
    readonly loader: Loader,
    readonly format: FormatModule,
    readonly ctx: MapContext,
    id: number,
  ) {
    this.id = id;
  }

  add(memberId: number, recordIndex: number, line: number | null, offset: number | null, raw: Buffer, parsed: string | null): void {
    this.staged++;
    this.stagedBytes += raw.length + 32;
    if (raw.length > STAGE_MAX_RECORD || raw.indexOf(SEP) >= 0 || raw.indexOf(LF) >= 0 || raw.indexOf(CR) >= 0 || (parsed !== null && parsed.includes('\x1f'))) {
      this.addOdd(memberId, recordIndex, line, offset, raw, parsed);
    } else {
      // member \x1f record \x1f line \x1f offset \x1f parsed \x1f raw \n, written straight into the buffer (no
      // per-record strings: this runs once per record).
      const parsedLen = parsed === null ? 0 : Buffer.byteLength(parsed);
      const need = 4 * 21 + parsedLen + raw.length + 1;
      if (this.pos + need > this.buf.length) this.drain();
      if (need > this.buf.length) this.buf = Buffer.allocUnsafe(need * 2);
      const b = this.buf;
      let p = writeInt(b, this.pos, memberId);
      b[p++] = SEP;
      p = writeInt(b, p, recordIndex);
      b[p++] = SEP;
      if (line !== null) p = writeInt(b, p, line);
      b[p++] = SEP;
      if (offset !== null) p = writeInt(b, p, offset);
      b[p++] = SEP;
      if (parsed !== null) p += b.write(parsed, p);
      b[p++] = SEP;
      p += raw.copy(b, p);
      b[p++] = LF;
      this.pos = p;
    }
    if (!this.format.wholeMember && this.stagedBytes >= LANE_FLUSH_BYTES) this.loader.scheduleFlush(this);
  }

  /** One base64 line: member, record, line, offset, parsed, raw (both as valid UTF-8, as the plain path requires). */
  private addOdd(memberId: number, recordIndex: number, line: number | null, offset: number | null, raw: Buffer, parsed: string | null): void {
    const text = (x: string) => Buffer.from(x, 'utf8').toString('base64');
    const row = `${memberId}\x1f${recordIndex}\x1f${line ?? ''}\x1f${offset ?? ''}\x1f${parsed === null ? '' : text(parsed)}\x1f${text(raw.toString('utf8'))}\n`;
    if (this.oddFd < 0) {
      const file = path.join(this.loader.tmpDir, `stage-${this.id}-${this.fileNo++}.b64`);
      this.oddFd = fs.openSync(file, 'w');
      this.oddFiles.push(file);
      this.oddFileBytes = 0;
    }
    const n = fs.writeSync(this.oddFd, row);
    this.oddFileBytes += n;
    this.oddMaxLine = Math.max(this.oddMaxLine, n);
    if (this.oddFileBytes >= FILE_BYTES) {
      fs.closeSync(this.oddFd);
      this.oddFd = -1;
    }
  }

  private openFile(): void {
    const file = path.join(this.loader.tmpDir, `stage-${this.id}-${this.fileNo++}.txt`);
    this.fd = fs.openSync(file, 'w');
    this.files.push(file);
    this.fileBytes = 0;
  }

  private writeOut(b: Buffer): void {
    if (this.fd < 0) this.openFile();
    fs.writeSync(this.fd, b);
    this.fileBytes += b.length;
    if (this.fileBytes >= FILE_BYTES) {
      fs.closeSync(this.fd);
      this.fd = -1;
    }
  }

  private drain(): void {
    if (this.pos === 0) return;
    this.writeOut(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  /** Hands the staged batch over (files, odd rows, count) and starts a new one. */
  take(): StagedBatch | null {
    this.drain();
    if (this.fd >= 0) {
      fs.closeSync(this.fd);
      this.fd = -1;
    }
    if (this.oddFd >= 0) {
      fs.closeSync(this.oddFd);
      this.oddFd = -1;
    }
    if (this.staged === 0) return null;
    const batch = { files: this.files, oddFiles: this.oddFiles, oddMaxLine: this.oddMaxLine, staged: this.staged };
    this.files = [];
    this.oddFiles = [];
    this.oddMaxLine = 0;
    this.staged = 0;
    this.stagedBytes = 0;
    return batch;
  }
}

export class Loader {
  private lanes = new Map<string, Lane>();
  private nextLane = 1;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private failure: Error | null = null;
  private pendingMembers: BatchMember[] = [];
  private pendingRejects: FramingReject[] = [];

  constructor(
    readonly instance: DuckDBInstance,
    readonly con: DuckDBConnection,
    readonly tmpDir: string,
    readonly ingestId: number,
  ) {}

  /** Creates the connection-local staging tables. Call once per connection. */
  async init(): Promise<void> {
    await this.con.run(`CREATE OR REPLACE TEMP TABLE batch_members (member_id INTEGER, archive_sha256 VARCHAR, member_path VARCHAR, member_key VARCHAR, params JSON);`);
  }

  lane(format: FormatModule, ctx: MapContext): Lane {
    const key = `${format.name}|${JSON.stringify(ctx.params)}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = new Lane(this, format, ctx, this.nextLane++);
      this.lanes.set(key, lane);
    }
    return lane;
  }

  addMember(m: BatchMember): void {
    this.pendingMembers.push(m);
  }

  addReject(r: FramingReject): void {
    this.pendingRejects.push(r);
    if (this.pendingRejects.length >= 10_000) this.enqueue(() => this.writeRejects());
  }

  scheduleFlush(lane: Lane): void {
    const batch = lane.take();
    if (!batch) return;
    this.enqueue(() => this.runBatch(lane, batch));
  }

  /** Resolves when the queue has room; framing awaits this between input chunks. */
  async backpressure(): Promise<void> {
    while (this.queued >= MAX_QUEUED) await this.queue;
    if (this.failure) throw this.failure;
  }

  /** Flushes every lane and waits for all database work. */
  async flushAll(): Promise<void> {
    for (const lane of this.lanes.values()) this.scheduleFlush(lane);
    this.enqueue(() => this.writeRejects());
    await this.queue;
    if (this.failure) throw this.failure;
  }

  /** Runs `fn` on the queue after everything already queued. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn);
    this.queue = p.then(
      () => undefined,
      (e: unknown) => {
        this.failure ??= e as Error;
      },
    );
    return p;
  }

  private enqueue(fn: () => Promise<void>): void {
    this.queued++;
    this.queue = this.queue.then(async () => {
      try {
        if (!this.failure) await fn();
      } catch (e) {
        this.failure ??= e as Error;
      } finally {
        this.queued--;
      }
    });
  }

  private async writeMembers(): Promise<void> {
    if (this.pendingMembers.length === 0) return;
    const members = this.pendingMembers;
    this.pendingMembers = [];
    const ap = await this.con.createAppender('batch_members', 'main', 'temp');
    for (const m of members) {
      ap.appendInteger(m.memberId);
      ap.appendVarchar(m.archiveSha256);
      ap.appendVarchar(m.memberPath);
      ap.appendVarchar(memberKey(m.archiveSha256, m.memberPath));
      ap.appendVarchar(JSON.stringify(m.params));
      ap.endRow();
    }
    ap.flushSync();
    ap.closeSync();
  }

  private async writeRejects(): Promise<void> {
    if (this.pendingRejects.length === 0) return;
    const rows = this.pendingRejects;
    this.pendingRejects = [];
    const ap = await this.con.createAppender('rejects');
    for (const r of rows) {
      ap.appendVarchar(r.archiveSha256);
      ap.appendInteger(r.memberId);
      ap.appendVarchar(r.memberPath);
      ap.appendBigInt(BigInt(r.recordIndex));
      if (r.line === null) ap.appendNull();
      else ap.appendBigInt(BigInt(r.line));
      if (r.offset === null) ap.appendNull();
      else ap.appendBigInt(BigInt(r.offset));
      ap.appendVarchar(r.reason);
      ap.appendBlob(new Uint8Array(r.raw.buffer, r.raw.byteOffset, r.raw.byteLength));
      ap.appendInteger(this.ingestId);
      ap.endRow();
    }
    ap.flushSync();
    ap.closeSync();
  }

  private async runBatch(lane: Lane, batch: StagedBatch): Promise<void> {
    await this.writeMembers();
    const columns = `columns={'member_id':'INTEGER','record_index':'BIGINT','line':'BIGINT','byte_offset':'BIGINT','parsed':'VARCHAR','raw':'VARCHAR'},
        header=false, delim='\x1f', quote='', escape='', new_line='\\n', auto_detect=false, strict_mode=true, null_padding=false, parallel=true`;
    const sources: string[] = [];
    if (batch.files.length > 0) {
      sources.push(`SELECT member_id, record_index, line, byte_offset, parsed, raw FROM read_csv([${batch.files.map(sqlString).join(', ')}],
        ${columns}, max_line_size=${STAGE_MAX_RECORD + 4096})`);
    }
    if (batch.oddFiles.length > 0) {
      const maxLine = batch.oddMaxLine + 4096;
      sources.push(`SELECT member_id, record_index, line, byte_offset, decode(from_base64(parsed)) AS parsed, decode(from_base64(raw)) AS raw
        FROM read_csv([${batch.oddFiles.map(sqlString).join(', ')}], ${columns}, max_line_size=${maxLine}, buffer_size=${Math.max(maxLine * 2, 16 * 1024 * 1024)})`);
    }
    const stageRel = `SELECT u.*, bm.archive_sha256, bm.member_path, bm.member_key, bm.params FROM (${sources.join(' UNION ALL ')}) u JOIN batch_members bm USING (member_id)`;
    await this.insertMapped(lane.format, lane.ctx, stageRel, batch.staged);
    for (const f of [...batch.files, ...batch.oddFiles]) fs.rmSync(f, { force: true });
  }

  /** Maps a staged relation into its target table and checks that every staged row landed somewhere. */
  private async insertMapped(format: FormatModule, ctx: MapContext, stageRel: string, staged: number): Promise<void> {
    const mapping = format.mapping(ctx);
    const mapped = mappingSelect(stageRel, mapping, { family: format.family, format: format.name });
    const target = format.target ?? 'events';
    const mappedCols = ['source_family', 'source_format', ...Object.keys(mapping.columns).filter((c) => mapping.columns[c] !== undefined)];
    const insertSql =
      target === 'events'
        ? eventInsert(mapped, [...new Set(mappedCols)].filter((c) => (MAPPED_COLUMNS as string[]).includes(c)), this.ingestId)
        : digestInsert(mapped, Object.keys(mapping.columns), this.ingestId);
    const t0 = Date.now();
    const loaded = Number((await this.con.run(insertSql)).rowsChanged);
    if (process.env.EWB_TRACE) process.stderr.write(`[trace] insert ${format.name}: ${staged} staged, ${loaded} loaded in ${Date.now() - t0} ms\n`);
    let rejected = 0;
    if (loaded < staged) rejected = Number((await this.con.run(rejectInsert(mapped, this.ingestId))).rowsChanged);
    if (loaded + rejected !== staged) {
      throw new Error(
        `accounting check failed for a ${format.name} batch: ${staged} records staged, ${loaded} loaded + ${rejected} rejected; nothing from this archive is committed`,
      );
    }
  }

  /** A member has been read to its end: formats that need whole members may flush now. */
  memberDone(lane: Lane): void {
    if (lane.stagedBytes >= LANE_FLUSH_BYTES) this.scheduleFlush(lane);
  }

  /**
   * Loads a Parquet member (already spooled to `file`). The file is first probed on a separate connection outside
   * the archive's transaction, so an unreadable file is reported as damage instead of aborting the transaction.
   */
  async loadParquet(
    actx: { archiveSha256: string; loader: Loader },
    m: { memberId: number; path: string; records: number; params: Record<string, unknown> },
    format: FormatModule,
    file: string,
    paramsFrom: (samples: unknown[]) => Record<string, unknown>,
    ctxFor: (params: Record<string, unknown>) => MapContext,
  ): Promise<void> {
    const probe = await this.probeCon();
    let count = 0;
    let samples: unknown[] = [];
    try {
      const c = await probe.runAndReadAll(`SELECT count(*)::BIGINT FROM read_parquet(${sqlString(file)})`);
      count = Number(c.getRows()[0]![0]);
      const r = await probe.runAndReadAll(`SELECT to_json(p)::VARCHAR FROM read_parquet(${sqlString(file)}) p LIMIT 20`);
      samples = r.getRows().map((row) => JSON.parse(String(row[0])));
    } catch (e) {
      throw new DamageError(`Parquet file could not be read: ${(e as Error).message.split('\n')[0]}`);
    }
    const params = paramsFrom(samples);
    m.params = { ...m.params, ...params };
    m.records = count;
    await this.run(async () => {
      await this.writeMembers();
      const stageRel = `SELECT ${m.memberId}::INTEGER AS member_id, row_number() OVER () AS record_index, NULL::BIGINT AS line, NULL::BIGINT AS byte_offset,
          NULL::VARCHAR AS parsed, to_json(p)::VARCHAR AS raw, ${sqlString(actx.archiveSha256)} AS archive_sha256, ${sqlString(m.path)} AS member_path, ${sqlString(memberKey(actx.archiveSha256, m.path))} AS member_key,
          ${sqlString(JSON.stringify(m.params))}::JSON AS params
        FROM read_parquet(${sqlString(file)}) p`;
      await this.insertMapped(format, ctxFor(params), stageRel, count);
    });
  }

  private probe: DuckDBConnection | null = null;
  private async probeCon(): Promise<DuckDBConnection> {
    this.probe ??= await this.instance.connect();
    return this.probe;
  }

  /** Drops staging state after an archive (committed or rolled back). */
  async reset(): Promise<void> {
    for (const lane of this.lanes.values()) {
      const b = lane.take();
      for (const f of [...(b?.files ?? []), ...(b?.oddFiles ?? [])]) fs.rmSync(f, { force: true });
    }
    this.lanes.clear();
    this.pendingMembers = [];
    this.pendingRejects = [];
    this.failure = null;
    await this.queue;
    await this.con.run('DELETE FROM batch_members');
  }
}
