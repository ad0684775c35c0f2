/**
 * Case-level calls: create a case, summarize it (archives, sources, time range, rejects) and re-check the hashes of
 * everything in its evidence store or referenced by it. Layer: engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CallParsed } from '../../../shared/contract.js';
import type { ArchiveSummary, CaseDbCheck, CaseInfo, CaseVerifyItem, CaseVerifyReport, SourceCount } from '../../../shared/case.js';
import { EngineError } from '../errors.js';
import { openDb, queryRows, type CaseDb } from '../db/database.js';
import { plainObjects } from '../db/values.js';
import { memberStoredCounts } from '../db/schema.js';
import { readLockHolder } from './lock.js';
import { withCaseWriter } from './writer.js';
import { createCaseFolder, readCaseMeta, type CasePaths } from './workspace.js';
import { blobRelPath, hashFile } from '../ingest/evidence-store.js';

export async function createCase(input: CallParsed<'case.create'>): Promise<CaseInfo> {
  const p = createCaseFolder(
    { name: input.name, org: input.org, periodStart: input.periodStart, periodEnd: input.periodEnd, timezone: input.timezone },
    input.dir,
  );
  await withCaseWriter(p.dir, 'ewb case create', async () => undefined); // the schema, under the writer lock
  return caseInfo({ dir: p.dir });
}

/** Opens a case read-only; a database held by a writer gives an error naming the holder. */
export async function openReadOnly(p: CasePaths): Promise<CaseDb> {
  if (!fs.existsSync(p.db)) throw new EngineError('not-found', `${p.db} is missing: the case database was deleted or never created`);
  try {
    return await openDb(p.db, { readOnly: true });
  } catch (e) {
    const msg = (e as Error).message;
    if (/lock/i.test(msg)) {
      // No lock file: another program holds the database.
      const h = readLockHolder(p.dir);
      const holder = h ? ` by pid ${h.pid} (${h.command}, started ${h.startedAt})` : '';
      throw new EngineError('locked', `case ${p.dir} is being written${holder}; try again when it has finished`);
    }
    throw e;
  }
}

export async function caseInfo(input: CallParsed<'case.info'>): Promise<CaseInfo> {
  const { paths, meta } = readCaseMeta(input.dir);
  const db = await openReadOnly(paths);
  try {
    const archives = plainObjects(
      await db.con.runAndReadAll(`SELECT a.sha256, a.path, a.kind, a.size, a.stored_as, a.status, a.imported_at,
          count(m.member_id) AS members, coalesce(sum(m.records), 0) AS records, coalesce(sum(m.loaded), 0) AS loaded, coalesce(sum(m.rejected), 0) AS rejected
        FROM archives a LEFT JOIN members m ON m.archive_sha256 = a.sha256
        GROUP BY ALL ORDER BY a.imported_at, a.path`),
    ).map(
      (r): ArchiveSummary => ({
        sha256: String(r['sha256']),
        path: String(r['path']),
        kind: r['kind'] as 'file' | 'folder',
        size: Number(r['size']),
        storedAs: r['stored_as'] as 'copy' | 'reference',
        status: String(r['status']),
        importedAt: String(r['imported_at']),
        members: Number(r['members']),
        records: Number(r['records']),
        loaded: Number(r['loaded']),
        rejected: Number(r['rejected']),
      }),
    );
    const sources = plainObjects(
      await db.con.runAndReadAll(`SELECT source_family, source_format, count(*) AS events, min(time) AS first_time, max(time) AS last_time
        FROM events GROUP BY ALL ORDER BY source_family, source_format`),
    ).map(
      (r): SourceCount => ({
        sourceFamily: String(r['source_family']),
        sourceFormat: String(r['source_format']),
        events: Number(r['events']),
        firstTime: (r['first_time'] as string | null) ?? null,
        lastTime: (r['last_time'] as string | null) ?? null,
      }),
    );
    const t = plainObjects(await db.con.runAndReadAll(`SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM rejects) AS rejects, (SELECT min(time) FROM events) AS first_time, (SELECT max(time) FROM events) AS last_time`))[0]!;
    const reasons = await queryRows<{ reason: string; n: string }>(
      db.con,
      `SELECT regexp_replace(reason, '"[^"]*"', '"…"', 'g') AS reason, count(*)::BIGINT AS n FROM rejects GROUP BY 1 ORDER BY n DESC, reason LIMIT 50`,
    );
    return {
      dir: paths.dir,
      meta,
      archives,
      sources,
      totals: { events: Number(t['events']), rejects: Number(t['rejects']), firstTime: (t['first_time'] as string | null) ?? null, lastTime: (t['last_time'] as string | null) ?? null },
      rejectReasons: reasons.map((r) => ({ reason: r.reason, count: Number(r.n) })),
    };
  } finally {
    db.close();
  }
}

export async function verifyCase(input: CallParsed<'case.verify'>): Promise<CaseVerifyReport> {
  const { paths } = readCaseMeta(input.dir);
  const db = await openReadOnly(paths);
  let rows: Array<{ sha256: string; path: string; kind: string; stored_as: string; evidence_path: string | null }>;
  let checks: CaseDbCheck[];
  try {
    rows = await queryRows(db.con, `SELECT sha256, path, kind, stored_as, evidence_path FROM archives ORDER BY imported_at, path`);
    checks = await databaseChecks(db.con);
  } finally {
    db.close();
  }
  const items: CaseVerifyItem[] = [];
  for (const r of rows) {
    const storedAs = r.stored_as as 'copy' | 'reference';
    if (r.kind === 'folder') {
      const manifestFile = path.join(paths.dir, r.evidence_path ?? '');
      let entries: Array<{ path: string; sha256: string }> = [];
      try {
        entries = (JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { entries: Array<{ path: string; sha256: string }> }).entries;
      } catch {
        items.push({ sha256: r.sha256, path: r.path, storedAs, location: manifestFile, result: 'missing', actualSha256: null });
        continue;
      }
      for (const e of entries) {
        const location = storedAs === 'copy' ? path.join(paths.dir, blobRelPath(e.sha256)) : path.join(r.path, e.path);
        const actual = await hashFile(location);
        items.push({ sha256: e.sha256, path: `${r.path}/${e.path}`, storedAs, location, result: actual === null ? 'missing' : actual === e.sha256 ? 'ok' : 'mismatch', actualSha256: actual });
      }
      continue;
    }
    const location = storedAs === 'copy' ? path.join(paths.dir, r.evidence_path ?? blobRelPath(r.sha256)) : r.path;
    const actual = await hashFile(location);
    items.push({ sha256: r.sha256, path: r.path, storedAs, location, result: actual === null ? 'missing' : actual === r.sha256 ? 'ok' : 'mismatch', actualSha256: actual });
  }
  return { dir: paths.dir, items, checks, ok: items.every((i) => i.result === 'ok') && checks.every((c) => c.ok) };
}

/** Counts recorded when members were loaded, and the quarter-hour summary, against the rows actually stored. */
async function databaseChecks(con: DuckDBConnection): Promise<CaseDbCheck[]> {
  const out: CaseDbCheck[] = [];
  const members = await queryRows<{ path: string; loaded: string; events: string; rejected: string; rejects: string }>(
    con,
    `SELECT m.path, m.loaded, coalesce(s.loaded, 0) AS events, m.rejected, coalesce(s.rejected, 0) AS rejects
     FROM members m LEFT JOIN (${memberStoredCounts()}) s USING (member_id)
     WHERE m.loaded <> coalesce(s.loaded, 0) OR m.rejected <> coalesce(s.rejected, 0)
     ORDER BY m.path LIMIT 20`,
  );
  out.push({
    name: 'member counts',
    ok: members.length === 0,
    detail: members.length === 0 ? 'every member holds exactly the records its load reported' : members.map((m) => `${m.path}: reported ${m.loaded} loaded/${m.rejected} rejected, holds ${m.events}/${m.rejects}`).join('; '),
  });
  const buckets = await queryRows<{ stream: string; bucket: string; summary: string; events: string }>(
    con,
    `WITH s AS (SELECT member_id, stream, bucket, sum(events) AS n, min(first_time) AS t0, max(last_time) AS t1 FROM event_buckets GROUP BY ALL),
          e AS (SELECT member_id, stream, ewb_bucket(time) AS bucket, count(*) AS n, min(time) AS t0, max(time) AS t1 FROM events GROUP BY ALL)
     SELECT coalesce(s.stream, e.stream) AS stream, ewb_iso(coalesce(s.bucket, e.bucket)) AS bucket, coalesce(s.n, 0) AS summary, coalesce(e.n, 0) AS events
     FROM s FULL JOIN e ON s.member_id = e.member_id AND s.stream = e.stream AND s.bucket = e.bucket
     WHERE s.n IS DISTINCT FROM e.n OR s.t0 IS DISTINCT FROM e.t0 OR s.t1 IS DISTINCT FROM e.t1
     ORDER BY 1, 2 LIMIT 20`,
  );
  out.push({
    name: 'quarter-hour summary',
    ok: buckets.length === 0,
    detail: buckets.length === 0 ? 'event_buckets agrees with events for every member, stream and quarter hour' : buckets.map((m) => `${m.stream} at ${m.bucket}: summary ${m.summary}, events ${m.events}`).join('; '),
  });
  return out;
}
