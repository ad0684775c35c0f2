/**
 * `sql.run`: ad-hoc SQL on a case, read-only three times over: the statement must be a query (checked by DuckDB's own
 * parser, not by text matching), the database is opened READ_ONLY, and external access (files, other databases) is
 * switched off and locked before the user's text runs. Layer: engine.
 */
import type { CallParsed } from '../../../shared/contract.js';
import type { SqlResult } from '../../../shared/query.js';
import { DuckDBResultReader, StatementType } from '@duckdb/node-api';
import { EngineError } from '../errors.js';
import { readCaseMeta } from '../case/workspace.js';
import { openReadOnly } from '../case/case-service.js';
import { plainTable } from '../db/values.js';

const ALLOWED = new Set<number>([StatementType.SELECT, StatementType.EXPLAIN]);

export async function runSql(input: CallParsed<'sql.run'>): Promise<SqlResult> {
  const { paths } = readCaseMeta(input.dir);
  const db = await openReadOnly(paths);
  try {
    await db.con.run('SET enable_external_access = false; SET lock_configuration = true;');
    let extracted;
    try {
      extracted = await db.con.extractStatements(input.sql);
    } catch (e) {
      throw new EngineError('invalid-input', `SQL error: ${(e as Error).message}`);
    }
    if (extracted.count !== 1) throw new EngineError('invalid-input', `give exactly one statement (found ${extracted.count})`);
    let prepared;
    try {
      prepared = await extracted.prepare(0);
    } catch (e) {
      const msg = (e as Error).message;
      // Statements that would write files or change settings fail while binding, before their type can be read.
      if (/read-only|read only|external access|disabled by configuration|lock_configuration|locked/i.test(msg)) {
        throw new EngineError('read-only', `the case is read-only here: ${msg.split('\n')[0]}`);
      }
      throw new EngineError('invalid-input', `SQL error: ${msg}`);
    }
    if (!ALLOWED.has(prepared.statementType)) {
      const kind = StatementType[prepared.statementType] ?? String(prepared.statementType);
      throw new EngineError('read-only', `the case is read-only here: this is a ${kind} statement, and only queries (SELECT, EXPLAIN) may run; evidence cannot be changed from the SQL console`);
    }
    let reader;
    try {
      reader = new DuckDBResultReader(await prepared.stream());
      await reader.readUntil(input.maxRows + 1);
    } catch (e) {
      const msg = (e as Error).message;
      if (/read-only|read only/i.test(msg)) throw new EngineError('read-only', `the case is read-only here: ${msg}`);
      throw new EngineError('invalid-input', `SQL error: ${msg}`);
    }
    // One row more than asked for was read, to tell whether the result was cut.
    const t = plainTable(reader);
    const truncated = t.rows.length > input.maxRows;
    const rows = truncated ? t.rows.slice(0, input.maxRows) : t.rows;
    return { ...t, rows, rowCount: rows.length, truncated };
  } finally {
    db.close();
  }
}
