/**
 * Running canned queries against a case and keeping each run as evidence (query_runs, query_results): the exact SQL
 * and its SHA-256, the parameters, start and end time, the row count and every row. The case is written (runs are
 * stored), so the writer lock is taken; the query text itself comes from the library and must be a single SELECT.
 * Layer: engine.
 */
import { DuckDBTimestampTZValue, StatementType, type DuckDBConnection, BOOLEAN, DOUBLE, INTEGER, TIMESTAMPTZ, VARCHAR, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { CaseMeta } from '../../../shared/case.js';
import { FRAMEWORKS, type ControlSummary, type QueryDetail, type QueryRunRecord, type QueryRunResult, type RunAllResult } from '../../../shared/queries.js';
import { EngineError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { queryRows } from '../db/database.js';
import { isoFromMicros, plainObjects, plainTable } from '../db/values.js';

/** Case-derived parameters every query may use: the audit period as UTC instants (end exclusive). */
export function builtinParams(meta: CaseMeta): Record<string, Date> {
  return { period_start: zonedMidnight(meta.periodStart, meta.timezone), period_end: zonedMidnight(addDays(meta.periodEnd, 1), meta.timezone) };
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The UTC instant of local midnight of `day` in `tz`. */
export function zonedMidnight(day: string, tz: string): Date {
  const guess = Date.parse(`${day}T00:00:00Z`);
  // The zone's offset at that instant, from the formatted local time; two passes settle DST edges.
  let t = guess;
  for (let i = 0; i < 2; i++) {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(t));
    const g = (k: string) => Number(parts.find((p) => p.type === k)!.value);
    const local = Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second'));
    t = guess - (local - t);
  }
  return new Date(t);
}

function coerce(q: QueryDetail, name: string, raw: unknown): { value: DuckDBValue; type: DuckDBType } {
  const p = q.params.find((x) => x.name === name);
  if (!p) throw new EngineError('invalid-input', `query ${q.id} has no parameter "${name}" (it takes: ${q.params.map((x) => x.name).join(', ') || 'none'})`);
  const s = String(raw);
  switch (p.type) {
    case 'integer': {
      if (!/^-?\d+$/.test(s)) throw new EngineError('invalid-input', `parameter ${name} of ${q.id} must be an integer, got "${s}"`);
      return { value: Number(s), type: INTEGER };
    }
    case 'number': {
      const n = Number(s);
      if (!Number.isFinite(n)) throw new EngineError('invalid-input', `parameter ${name} of ${q.id} must be a number, got "${s}"`);
      return { value: n, type: DOUBLE };
    }
    case 'boolean':
      if (!['true', 'false'].includes(s)) throw new EngineError('invalid-input', `parameter ${name} of ${q.id} must be true or false, got "${s}"`);
      return { value: s === 'true', type: BOOLEAN };
    case 'timestamp': {
      const t = Date.parse(s);
      if (Number.isNaN(t)) throw new EngineError('invalid-input', `parameter ${name} of ${q.id} must be an ISO 8601 time, got "${s}"`);
      return { value: new DuckDBTimestampTZValue(BigInt(t) * 1000n), type: TIMESTAMPTZ };
    }
    default:
      return { value: s, type: VARCHAR };
  }
}

/** Binds the declared parameters (defaults overridden by `given`) and the built-ins the SQL uses. */
export function bindings(q: QueryDetail, meta: CaseMeta, given: Record<string, unknown>): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType>; shown: Record<string, unknown> } {
  for (const k of Object.keys(given)) if (!q.params.some((p) => p.name === k)) coerce(q, k, given[k]);
  const values: Record<string, DuckDBValue> = {};
  const types: Record<string, DuckDBType> = {};
  const shown: Record<string, unknown> = {};
  for (const p of q.params) {
    const v = given[p.name] ?? p.default;
    const c = coerce(q, p.name, v);
    values[p.name] = c.value;
    types[p.name] = c.type;
    shown[p.name] = v;
  }
  for (const [k, d] of Object.entries(builtinParams(meta))) {
    if (new RegExp(`\\$${k}\\b`).test(q.sql)) {
      values[k] = new DuckDBTimestampTZValue(BigInt(d.getTime()) * 1000n);
      types[k] = TIMESTAMPTZ;
      shown[k] = isoOf(d);
    }
  }
  if (/\$case_tz\b/.test(q.sql)) {
    values['case_tz'] = meta.timezone;
    types['case_tz'] = VARCHAR;
    shown['case_tz'] = meta.timezone;
  }
  return { values, types, shown };
}

/** Runs one query on `con` (a writer connection) and stores the run. */
export async function runQuery(con: DuckDBConnection, q: QueryDetail, meta: CaseMeta, given: Record<string, unknown>, batchId: number | null): Promise<QueryRunRecord> {
  const { values, types, shown } = bindings(q, meta, given);
  const runId = Number((await queryRows<{ n: number }>(con, `SELECT nextval('run_seq')::INTEGER AS n`))[0]!.n);
  const startedAt = new Date();
  // Materialize first (insertion order = the query's ORDER BY), then keep every row with its event_id.
  const ps = await con.prepare(`CREATE OR REPLACE TEMP TABLE ewb_run_result AS ${q.sql}`);
  try {
    ps.bind(values, types);
    await ps.run();
  } catch (e) {
    throw new EngineError('failed', `query ${q.id} failed: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    ps.destroySync();
  }
  const tQuery = Date.now();
  const described = await queryRows<{ column_name: string; column_type: string }>(con, 'DESCRIBE ewb_run_result');
  const cols = described.map((d) => d.column_name);
  for (const c of q.columns) {
    if (!cols.includes(c)) throw new EngineError('failed', `query ${q.id} declares column ${c} but returned ${cols.join(', ')}`);
  }
  // Rows are kept as JSON; instants are written as everywhere else in the tool (ISO 8601 UTC, see db/values.ts).
  const row = described
    .map((d) => {
      const c = `"${d.column_name.replaceAll('"', '""')}"`;
      return `'${d.column_name.replaceAll("'", "''")}': ${d.column_type === 'TIMESTAMP WITH TIME ZONE' ? `ewb_iso(${c})` : c}`;
    })
    .join(', ');
  // rowid of the fresh temp table follows insertion order, i.e. the query's ORDER BY (inside a transaction it starts
  // at a large offset, hence the subtraction).
  const inserted = await con.run(
    `INSERT INTO query_results SELECT ${runId}, (rowid - (SELECT min(rowid) FROM ewb_run_result) + 1)::INTEGER, event_id::VARCHAR, to_json({${row}}) FROM ewb_run_result`,
  );
  const rowCount = Number(inserted.rowsChanged);
  const finishedAt = new Date();
  if (process.env.EWB_TRACE) process.stderr.write(`[trace] ${q.id}: ${rowCount} rows, query ${tQuery - startedAt.getTime()} ms, store ${finishedAt.getTime() - tQuery} ms\n`);
  await con.run(`INSERT INTO query_runs VALUES ($1, $2, $3, $4, $5, $6, $7, $8::TIMESTAMPTZ, $9::TIMESTAMPTZ, $10, $11, $12)`, [
    runId,
    batchId,
    q.id,
    q.version,
    q.sqlSha256,
    q.sql,
    JSON.stringify(shown),
    isoOf(startedAt),
    isoOf(finishedAt),
    rowCount,
    JSON.stringify(cols),
    TOOL_VERSION,
  ] as never);
  await con.run('DROP TABLE ewb_run_result');
  return { runId, queryId: q.id, queryVersion: q.version, sqlSha256: q.sqlSha256, params: shown, startedAt: isoOf(startedAt), finishedAt: isoOf(finishedAt), rowCount, batchId };
}

/** Reads a stored run back (rows in their original order). */
export async function readRun(con: DuckDBConnection, runId: number, maxRows = 100_000): Promise<QueryRunResult> {
  const runs = plainObjects(await con.runAndReadAll(`SELECT * FROM query_runs WHERE run_id = ${runId}`));
  if (runs.length === 0) throw new EngineError('not-found', `no query run ${runId} in this case`);
  const r = runs[0]!;
  const columns = JSON.parse(String(r['columns'])) as string[];
  const rows = plainTable(await con.runAndReadAll(`SELECT row FROM query_results WHERE run_id = ${runId} ORDER BY row_index LIMIT ${maxRows}`)).rows.map((x) => {
    const o = JSON.parse(String(x[0])) as Record<string, unknown>;
    return columns.map((c) => o[c] ?? null);
  });
  return { ...runRecord(r), columns, rows };
}

/** A `query_runs` row (read through plainObjects) as the contract's run record. */
export function runRecord(r: Record<string, unknown>): QueryRunRecord {
  return {
    runId: Number(r['run_id']),
    queryId: String(r['query_id']),
    queryVersion: Number(r['query_version']),
    sqlSha256: String(r['sql_sha256']),
    params: JSON.parse(String(r['params'])) as Record<string, unknown>,
    startedAt: String(r['started_at']),
    finishedAt: String(r['finished_at']),
    rowCount: Number(r['row_count']),
    batchId: r['batch_id'] === null ? null : Number(r['batch_id']),
  };
}

/** An instant in the tool's one text form (db/values.ts), as every later read of the same run shows it. */
function isoOf(d: Date): string {
  return isoFromMicros(BigInt(d.getTime()) * 1000n);
}

export function controlSummary(queries: QueryDetail[], runs: QueryRunRecord[]): ControlSummary[] {
  const out = new Map<string, ControlSummary>();
  for (const run of runs) {
    const q = queries.find((x) => x.id === run.queryId)!;
    for (const fw of FRAMEWORKS) {
      for (const control of q.controls[fw] ?? []) {
        const key = `${fw}|${control}`;
        const s = out.get(key) ?? { framework: fw, control, queries: 0, findings: 0, queryIds: [] };
        s.queries++;
        s.findings += run.rowCount;
        s.queryIds.push(q.id);
        out.set(key, s);
      }
    }
  }
  return [...out.values()].sort((a, b) => (a.framework === b.framework ? a.control.localeCompare(b.control, 'en', { numeric: true }) : FRAMEWORKS.indexOf(a.framework) - FRAMEWORKS.indexOf(b.framework)));
}

/** Runs `queries` as one batch. The batch is stored whole or not at all (one transaction): a batch that stopped
 * half-way never looks like a complete set of runs. */
export async function runBatch(con: DuckDBConnection, queries: QueryDetail[], meta: CaseMeta, packs: string[]): Promise<RunAllResult> {
  const runs: QueryRunRecord[] = [];
  let batchId = 0;
  await con.run('BEGIN TRANSACTION');
  try {
    batchId = Number((await queryRows<{ n: number }>(con, `SELECT nextval('batch_seq')::INTEGER AS n`))[0]!.n);
    await con.run(`INSERT INTO query_batches VALUES ($1, $4::TIMESTAMPTZ, NULL, $2, $3)`, [batchId, JSON.stringify(packs), TOOL_VERSION, new Date().toISOString()] as never);
    for (const q of queries) runs.push(await runQuery(con, q, meta, {}, batchId));
    // now() would be the transaction's start: the finish time comes from the clock.
    await con.run(`UPDATE query_batches SET finished_at = $2::TIMESTAMPTZ WHERE batch_id = $1`, [batchId, new Date().toISOString()] as never);
    const tc = Date.now();
    await con.run('COMMIT');
    if (process.env.EWB_TRACE) process.stderr.write(`[trace] batch commit in ${Date.now() - tc} ms\n`);
  } catch (e) {
    await con.run('ROLLBACK');
    throw e;
  }
  const streams = Number((await queryRows<{ n: number }>(con, `SELECT count(DISTINCT stream)::INTEGER AS n FROM event_buckets`))[0]!.n);
  return { batchId, runs, controls: controlSummary(queries, runs), streams };
}

/** Checks that a library query is one SELECT (used by tests and at load in the app). */
export async function assertSelect(con: DuckDBConnection, q: QueryDetail): Promise<void> {
  const ex = await con.extractStatements(q.sql);
  if (ex.count !== 1) throw new EngineError('failed', `${q.file}: a query is exactly one statement`);
  const ps = await ex.prepare(0);
  try {
    if (ps.statementType !== StatementType.SELECT) throw new EngineError('failed', `${q.file}: a query must be a SELECT`);
  } finally {
    ps.destroySync();
  }
}
