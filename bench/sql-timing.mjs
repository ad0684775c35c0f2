/**
 * Diagnostic preload for the ingest benchmark (`node --import ./bench/sql-timing.mjs bin/ewb.mjs ...`): times every
 * DuckDB statement and appender flush the engine issues, without touching engine code. At exit it writes JSON to the file named by EWB_BENCH_SQL_TRACE. Plain .mjs because it is
 * loaded into the compiled CLI, which runs without a TypeScript loader.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';

const out = process.env.EWB_BENCH_SQL_TRACE;
/** @type {Array<{ sql: string; start: number; ms: number; rows?: string }>} */
const stmts = [];

/** First words of a statement: enough to tell the batch INSERTs, staging and accounting queries apart. */
function label(sql) {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 90);
}

const run = DuckDBConnection.prototype.run;
DuckDBConnection.prototype.run = async function (sql, values, types) {
  const start = performance.now();
  try {
    const r = await run.call(this, sql, values, types);
    let rows;
    try {
      rows = String(r.rowsChanged);
    } catch {
      /* not a DML result */
    }
    stmts.push({ sql: label(sql), start, ms: performance.now() - start, rows });
    return r;
  } catch (e) {
    stmts.push({ sql: 'FAILED ' + label(sql), start, ms: performance.now() - start });
    throw e;
  }
};

// Appender flushes are synchronous: they block the main thread, so they count as JS time, not DuckDB queue time.
const flush = DuckDBAppender.prototype.flushSync;
DuckDBAppender.prototype.flushSync = function () {
  const start = performance.now();
  try {
    return flush.call(this);
  } finally {
    stmts.push({ sql: 'appender.flushSync', start, ms: performance.now() - start });
  }
};

process.on('exit', () => {
  if (!out) return;
  fs.writeFileSync(out, JSON.stringify({ totalMs: performance.now(), stmts }));
});
