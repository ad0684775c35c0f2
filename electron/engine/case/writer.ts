/**
 * The one way a call writes to a case database: holding the case's writer lock (lock.ts), on a read-write connection
 * whose schema is ensured and whose DuckDB spills go to the case's tmp folder; closed and released whatever happens.
 * (Ingest opens its connection itself: it also empties the tmp folder around it.) Layer: engine.
 */
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CaseMeta } from '../../../shared/case.js';
import { ensureSchema, openDb } from '../db/database.js';
import { acquireCaseLock } from './lock.js';
import { readCaseMeta } from './workspace.js';

export async function withCaseWriter<T>(dir: string, command: string, fn: (con: DuckDBConnection, meta: CaseMeta) => Promise<T>): Promise<T> {
  const { paths, meta } = readCaseMeta(dir);
  const lock = acquireCaseLock(paths.dir, command);
  try {
    const db = await openDb(paths.db, { tempDir: path.join(paths.tmp, 'duckdb') });
    try {
      await ensureSchema(db.con);
      return await fn(db.con, meta);
    } finally {
      db.close();
    }
  } finally {
    lock.release();
  }
}
