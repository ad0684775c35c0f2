/**
 * `ingest.run`: takes files and folders into a case, one input at a time, each in its own transaction. For every
 * input: hash (and copy into the evidence store), skip it when the same hash is already loaded, walk it to its
 * members, load records through the format mappings, then check the books member by member (records seen = loaded +
 * rejected) before committing. A failure anywhere rolls the input back completely; rerunning completes it.
 * Layer: engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CallHooks, CallParsed, ProgressEvent } from '../../../shared/contract.js';
import type { ArchiveReport, ArchiveStatus, IngestReport, MemberReport, MemberStatus } from '../../../shared/ingest.js';
import type { CaseMeta } from '../../../shared/case.js';
import { acquireCaseLock } from '../case/lock.js';
import { readCaseMeta, resetTmp, type CasePaths } from '../case/workspace.js';
import { ensureSchema, openDb, queryRows } from '../db/database.js';
import { eventBucketsInsert, memberStoredCounts } from '../db/schema.js';
import { EngineError } from '../errors.js';
import { formatByName } from '../formats/registry.js';
import type { FormatModule, UserMap } from '../formats/types.js';
import { TOOL_VERSION } from '../version.js';
import { ArchiveContext, type MemberEntry } from './context.js';
import { manifestHash, storeFile, writeManifest, type ManifestEntry } from './evidence-store.js';
import { Loader } from './loader.js';
import { readUserMap } from './user-map.js';
import { walkFile } from './walker.js';

type IngestInput = CallParsed<'ingest.run'>;

const T0 = Date.now();
/** EWB_TRACE=1 prints phase timings on stderr (for benchmarks and profiling). */
function trace(what: string): void {
  if (process.env.EWB_TRACE) process.stderr.write(`[trace] +${Date.now() - T0} ms ${what}\n`);
}

interface FolderFile {
  rel: string;
  abs: string;
  mtime: Date;
}

/** Lists a folder's files in a stable order; links and special files are noted, never followed. */
function listFolder(root: string): { files: FolderFile[]; refused: Array<{ rel: string; reason: string }> } {
  const files: FolderFile[] = [];
  const refused: Array<{ rel: string; reason: string }> = [];
  const walk = (dir: string) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (e.isSymbolicLink()) refused.push({ rel, reason: 'symbolic link in the input folder; links are never followed' });
      else if (e.isDirectory()) walk(abs);
      else if (e.isFile()) files.push({ rel, abs, mtime: fs.statSync(abs).mtime });
      else refused.push({ rel, reason: 'special file (device, FIFO or socket); not read' });
    }
  };
  walk(root);
  return { files, refused };
}

function memberReport(m: MemberEntry, loaded: number, rejected: number): MemberReport {
  let status: MemberStatus;
  let reason = m.reason;
  if (m.status) status = m.status;
  else if (m.damage) {
    status = 'partial';
    reason = m.damage;
  } else if (rejected > 0) {
    status = 'rejects';
    reason = `${rejected} of ${m.records} records rejected (see the rejects table)`;
  } else status = 'loaded';
  if (m.note && status !== 'partial') reason = reason ? `${reason}; ${m.note}` : m.note;
  return { path: m.path, sha256: m.sha256, format: m.format, records: m.records, loaded, rejected, status, reason };
}

function failed(pathArg: string, sha256: string | null, reason: string): ArchiveReport {
  return { path: pathArg, sha256, status: 'failed', reason, members: [] };
}

class Progress {
  private last = 0;
  private readonly t0 = Date.now();
  bytes = 0;
  members = 0;
  constructor(
    private readonly onProgress: CallHooks['onProgress'],
    readonly archive: string,
    readonly total: number | null,
    private readonly records: () => number,
  ) {}
  tick(delta: { bytes?: number; members?: number; member?: string }, phase: ProgressEvent['phase'] = 'read', force = false): void {
    this.bytes += delta.bytes ?? 0;
    this.members += delta.members ?? 0;
    if (!this.onProgress) return;
    const now = Date.now();
    if (!force && now - this.last < 200) return;
    this.last = now;
    this.onProgress({
      phase,
      archive: this.archive,
      member: delta.member,
      bytesRead: this.bytes,
      bytesTotal: this.total,
      members: this.members,
      records: this.records(),
      loaded: 0,
      rejected: 0,
      elapsedMs: now - this.t0,
    });
  }
}

/** Records the case holds per member of one archive (see memberStoredCounts). */
async function storedByMember(con: DuckDBConnection, sha: string): Promise<Map<number, { loaded: number; rejected: number }>> {
  const rows = await queryRows<{ member_id: number; loaded: string; rejected: string }>(con, memberStoredCounts('archive_sha256 = $1'), [sha]);
  return new Map(rows.map((r) => [Number(r.member_id), { loaded: Number(r.loaded), rejected: Number(r.rejected) }]));
}

async function insertMembers(con: DuckDBConnection, sha: string, ingestId: number, members: Array<{ m: MemberEntry; r: MemberReport }>): Promise<void> {
  const ap = await con.createAppender('members');
  for (const { m, r } of members) {
    ap.appendInteger(m.memberId);
    ap.appendVarchar(sha);
    ap.appendVarchar(m.path);
    ap.appendInteger(m.depth);
    if (m.sha256) ap.appendVarchar(m.sha256);
    else ap.appendNull();
    ap.appendBigInt(BigInt(m.size));
    if (m.compressedSize === null) ap.appendNull();
    else ap.appendBigInt(BigInt(m.compressedSize));
    if (m.compression) ap.appendVarchar(m.compression);
    else ap.appendNull();
    if (m.mtime) ap.appendVarchar(m.mtime.toISOString());
    else ap.appendNull();
    if (m.format) ap.appendVarchar(m.format);
    else ap.appendNull();
    if (m.family) ap.appendVarchar(m.family);
    else ap.appendNull();
    if (m.encoding) ap.appendVarchar(m.encoding);
    else ap.appendNull();
    ap.appendBigInt(BigInt(r.records));
    ap.appendBigInt(BigInt(r.loaded));
    ap.appendBigInt(BigInt(r.rejected));
    ap.appendVarchar(r.status);
    if (r.reason) ap.appendVarchar(r.reason);
    else ap.appendNull();
    ap.appendVarchar(JSON.stringify(m.params));
    ap.appendInteger(ingestId);
    ap.endRow();
  }
  ap.flushSync();
  ap.closeSync();
}

interface RunState {
  paths: CasePaths;
  meta: CaseMeta;
  con: DuckDBConnection;
  loader: Loader;
  ingestId: number;
  input: IngestInput;
  userMap: UserMap | null;
  forced: FormatModule | null;
  hooks: CallHooks;
}

async function ingestOne(st: RunState, inputPath: string): Promise<ArchiveReport> {
  const abs = path.resolve(inputPath);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    return failed(inputPath, null, `${inputPath}: no such file or folder`);
  }
  const isFolder = stat.isDirectory();
  if (!isFolder && !stat.isFile()) return failed(inputPath, null, `${inputPath}: not a regular file or folder`);
  if (abs === st.paths.dir || abs.startsWith(st.paths.dir + path.sep)) return failed(inputPath, null, `${inputPath} is inside the case folder; inputs must come from outside it`);

  // 1. Hash (and copy) before anything is read for parsing.
  let sha256: string;
  let size = 0;
  let evidencePath: string | null = null;
  const folderFiles: Array<FolderFile & { readPath: string }> = [];
  let folderRefused: Array<{ rel: string; reason: string }> = [];
  const hashProgress = new Progress(st.hooks.onProgress, inputPath, isFolder ? null : stat.size, () => 0);
  try {
    if (isFolder) {
      const listing = listFolder(abs);
      folderRefused = listing.refused;
      const manifest: ManifestEntry[] = [];
      for (const f of listing.files) {
        const stored = await storeFile(st.paths, f.abs, st.input.reference, (n) => hashProgress.tick({ bytes: n }, 'hash'));
        manifest.push({ path: f.rel, sha256: stored.sha256, size: stored.size });
        folderFiles.push({ ...f, readPath: stored.readPath });
        size += stored.size;
      }
      sha256 = manifestHash(manifest);
      evidencePath = writeManifest(st.paths, sha256, abs, manifest);
    } else {
      const stored = await storeFile(st.paths, abs, st.input.reference, (n) => hashProgress.tick({ bytes: n }, 'hash'));
      sha256 = stored.sha256;
      size = stored.size;
      evidencePath = stored.evidencePath;
      folderFiles.push({ rel: path.basename(abs), abs, mtime: stat.mtime, readPath: stored.readPath });
    }
  } catch (e) {
    return failed(inputPath, null, `${inputPath} could not be read: ${(e as Error).message}`);
  }

  trace(`hashed and stored ${folderFiles.length} file(s), ${size} bytes`);

  // 2. Same content already in the case?
  const existing = await queryRows<{ path: string; imported_at: string }>(st.con, `SELECT path, imported_at::VARCHAR AS imported_at FROM archives WHERE sha256 = $1`, [sha256]);
  if (existing.length > 0 && !st.input.reimport) {
    return {
      path: inputPath,
      sha256,
      status: 'already-loaded',
      reason: `identical content (SHA-256 ${sha256.slice(0, 12)}…) was loaded on ${existing[0]!.imported_at} from ${existing[0]!.path}; nothing added`,
      members: [],
    };
  }

  // 3. Load in one transaction.
  const nextId = Number((await queryRows<{ n: number }>(st.con, 'SELECT coalesce(max(member_id), 0)::INTEGER + 1 AS n FROM members'))[0]!.n);
  let ctx: ArchiveContext | null = null;
  const progress = new Progress(st.hooks.onProgress, inputPath, size, () => ctx?.recordsSeen ?? 0);
  ctx = new ArchiveContext(sha256, st.input.limits, st.loader, st.paths.tmp, st.meta, st.userMap, st.forced, nextId, (d) => progress.tick(d));
  await st.con.run('BEGIN TRANSACTION');
  try {
    if (existing.length > 0) {
      for (const t of ['events', 'event_buckets', 'rejects', 'members', 'cloudtrail_digests', 'archives']) {
        await st.con.run(`DELETE FROM ${t} WHERE ${t === 'archives' ? 'sha256' : 'archive_sha256'} = $1`, [sha256]);
      }
    }
    for (const r of folderRefused) ctx.note(r.rel, 0, 'refused', r.reason);
    for (const f of folderFiles) await walkFile(ctx, f.readPath, f.rel, !isFolder, f.mtime);
    trace(`walked ${ctx.members.length} member(s), ${ctx.recordsSeen} record(s) framed`);
    await st.loader.flushAll();
    trace('loaded');
    if (ctx.refused.size > 0) {
      const ids = [...ctx.refused].join(', ');
      await st.con.run(`DELETE FROM events WHERE member_id IN (${ids}); DELETE FROM rejects WHERE member_id IN (${ids}); DELETE FROM cloudtrail_digests WHERE member_id IN (${ids});`);
      for (const m of ctx.members) if (ctx.refused.has(m.memberId)) {
        if (m.records > 0) m.reason = `${m.reason} (${m.records} records read before the limit were discarded)`;
        m.records = 0;
      }
    }
    await st.con.run(eventBucketsInsert(sha256));
    trace('summarized');
    progress.tick({}, 'commit', true);
    const stored = await storedByMember(st.con, sha256);
    const rows: Array<{ m: MemberEntry; r: MemberReport }> = [];
    for (const m of ctx.members) {
      const l = stored.get(m.memberId)?.loaded ?? 0;
      const j = stored.get(m.memberId)?.rejected ?? 0;
      if (l + j !== m.records) {
        throw new Error(`accounting check failed for member ${m.path}: ${m.records} records seen, ${l} loaded + ${j} rejected`);
      }
      rows.push({ m, r: memberReport(m, l, j) });
    }
    await insertMembers(st.con, sha256, st.ingestId, rows);
    const reports = rows.map((x) => x.r);
    const clean = ctx.containerDamage.length === 0 && reports.every((r) => r.status === 'loaded' || r.status === 'container');
    const status: ArchiveStatus = clean ? 'loaded' : 'issues';
    const reasons = [...ctx.containerDamage, ...(clean ? [] : ['some members were not loaded completely (see members)']), ...ctx.containerNotes];
    const reason = reasons.length > 0 ? reasons.join('; ') : null;
    await st.con.run(
      `INSERT INTO archives VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), $11)`,
      [
        sha256,
        abs,
        isFolder ? 'folder' : 'file',
        size,
        stat.mtime.toISOString(),
        st.input.reference ? 'reference' : 'copy',
        evidencePath,
        status,
        reason,
        st.ingestId,
        isFolder ? JSON.stringify(folderFiles.map((f) => f.rel)) : null,
      ] as never,
    );
    const tc = Date.now();
    await st.con.run('COMMIT');
    if (process.env.EWB_TRACE) {
      const wal = `${st.paths.db}.wal`;
      process.stderr.write(`[trace] commit in ${Date.now() - tc} ms; wal ${fs.existsSync(wal) ? fs.statSync(wal).size : 0} bytes\n`);
    }
    await st.loader.reset();
    progress.tick({}, 'done', true);
    return { path: inputPath, sha256, status, reason, members: reports };
  } catch (e) {
    try {
      await st.con.run('ROLLBACK');
    } catch {
      /* the transaction may already be aborted */
    }
    await st.loader.reset().catch(() => undefined);
    return failed(inputPath, sha256, `nothing from ${inputPath} was committed: ${(e as Error).message}`);
  }
}

export async function runIngest(input: IngestInput, hooks: CallHooks = {}): Promise<IngestReport> {
  const { paths, meta } = readCaseMeta(input.dir);
  const forced = input.format ? formatByName(input.format) ?? null : null;
  if (input.format && !forced) throw new EngineError('invalid-input', `unknown format "${input.format}" (see "ewb formats")`);
  const userMap = input.mapFile ? readUserMap(input.mapFile) : null;
  const lock = acquireCaseLock(paths.dir, `ewb ingest ${input.paths.join(' ')}`);
  let db: Awaited<ReturnType<typeof openDb>> | null = null;
  try {
    resetTmp(paths);
    db = await openDb(paths.db, { tempDir: path.join(paths.tmp, 'duckdb') });
    await ensureSchema(db.con);
    const ingestId = Number((await queryRows<{ n: number }>(db.con, 'SELECT nextval(\'ingest_seq\')::INTEGER AS n'))[0]!.n);
    await db.con.run(`INSERT INTO ingests VALUES ($1, now(), NULL, $2, $3, $4)`, [
      ingestId,
      TOOL_VERSION,
      os.userInfo().username,
      JSON.stringify({ paths: input.paths, format: input.format ?? null, reference: input.reference, mapFile: input.mapFile ?? null, limits: input.limits, reimport: input.reimport }),
    ] as never);
    const loader = new Loader(db.instance, db.con, paths.tmp, ingestId);
    await loader.init();
    const st: RunState = { paths, meta, con: db.con, loader, ingestId, input, userMap, forced, hooks };
    const archives: ArchiveReport[] = [];
    for (const p of input.paths) archives.push(await ingestOne(st, p));
    await db.con.run('UPDATE ingests SET finished_at = now() WHERE ingest_id = $1', [ingestId]);
    if (process.env.EWB_TRACE) {
      const t = Date.now();
      await db.con.run('CHECKPOINT');
      process.stderr.write(`[trace] checkpoint in ${Date.now() - t} ms\n`);
    }
    const totals = { records: 0, loaded: 0, rejected: 0 };
    for (const a of archives)
      for (const m of a.members) {
        totals.records += m.records;
        totals.loaded += m.loaded;
        totals.rejected += m.rejected;
      }
    return { archives, totals };
  } finally {
    const tc = Date.now();
    db?.close();
    if (process.env.EWB_TRACE) process.stderr.write(`[trace] close in ${Date.now() - tc} ms\n`);
    try {
      resetTmp(paths);
    } catch {
      /* best effort */
    }
    lock.release();
  }
}
