/**
 * Query calls of the contract: list and show the library, run one query or a whole pack against a case (runs are
 * stored in the case, so the writer lock is taken), and read past runs back. Layer: engine.
 */
import type { CallParsed } from '../../../shared/contract.js';
import { PACKS, type QueryDetail, type QueryRunRecord, type QueryRunResult, type QuerySummary, type RunAllResult } from '../../../shared/queries.js';
import { withCaseWriter } from '../case/writer.js';
import { readCaseMeta } from '../case/workspace.js';
import { openReadOnly } from '../case/case-service.js';
import { plainObjects } from '../db/values.js';
import { findQuery, loadLibrary } from './catalog.js';
import { readRun, runBatch, runQuery, runRecord } from './runner.js';

function summary(q: QueryDetail): QuerySummary {
  const { sql: _sql, ...rest } = q;
  return rest;
}

export function listQueries(input: CallParsed<'query.list'>): QuerySummary[] {
  return loadLibrary()
    .filter((q) => !input.pack || q.pack === input.pack)
    .filter((q) => !input.family || q.families.includes(input.family) || q.families.includes('all'))
    .filter((q) => !input.control || Object.values(q.controls).some((list) => (list ?? []).some((c) => c === input.control || c.startsWith(`${input.control}.`))))
    .map(summary);
}

export function showQuery(input: CallParsed<'query.show'>): QueryDetail {
  return findQuery(input.id);
}

export async function runOne(input: CallParsed<'query.run'>): Promise<QueryRunResult> {
  const q = findQuery(input.id);
  return withCaseWriter(input.dir, `ewb query run ${q.id}`, async (con, meta) => {
    const run = await runQuery(con, q, meta, input.params, null);
    return readRun(con, run.runId, input.maxRows);
  });
}

export async function runAll(input: CallParsed<'query.runAll'>): Promise<RunAllResult> {
  const packs = input.packs.length > 0 ? input.packs : [...PACKS];
  const queries = loadLibrary().filter((q) => packs.includes(q.pack));
  return withCaseWriter(input.dir, `ewb query run-all ${packs.join(',')}`, (con, meta) => runBatch(con, queries, meta, packs));
}

export async function listRuns(input: CallParsed<'query.runs'>): Promise<QueryRunRecord[]> {
  const { paths } = readCaseMeta(input.dir);
  const db = await openReadOnly(paths);
  try {
    return plainObjects(await db.con.runAndReadAll(`SELECT * FROM query_runs ORDER BY run_id`)).map(runRecord);
  } finally {
    db.close();
  }
}

export async function showRun(input: CallParsed<'query.result'>): Promise<QueryRunResult> {
  const { paths } = readCaseMeta(input.dir);
  const db = await openReadOnly(paths);
  try {
    return await readRun(db.con, input.runId, input.maxRows);
  } finally {
    db.close();
  }
}
