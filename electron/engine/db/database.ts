/**
 * Opening a case's DuckDB file: one place that fixes the settings every connection relies on (UTC session time
 * zone, no extension downloads, memory limit with spilling inside the case folder) and creates the schema.
 * Layer: engine.
 */
import fs from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DDL, SCHEMA_VERSION } from './schema.js';

export interface OpenOptions {
  readOnly?: boolean;
  /** Where DuckDB spills when a query exceeds the memory limit. */
  tempDir?: string;
}

export interface CaseDb {
  instance: DuckDBInstance;
  con: DuckDBConnection;
  close(): void;
}

export const DEFAULT_MEMORY_LIMIT = process.env.EWB_MEMORY_LIMIT ?? '1500MB';

export async function openDb(file: string, opts: OpenOptions = {}): Promise<CaseDb> {
  const config: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'true',
    memory_limit: DEFAULT_MEMORY_LIMIT,
  };
  if (opts.readOnly) config.access_mode = 'READ_ONLY';
  if (opts.tempDir) {
    fs.mkdirSync(opts.tempDir, { recursive: true });
    config.temp_directory = opts.tempDir;
  }
  const instance = await DuckDBInstance.create(file, config);
  const con = await instance.connect();
  // Session time zone UTC (set per connection, after ICU is loaded): casts of times without an offset then mean UTC,
  // never the laptop's local zone.
  await con.run("SET TimeZone = 'UTC'");
  return {
    instance,
    con,
    close() {
      con.closeSync();
      instance.closeSync();
    },
  };
}

/** Creates the tables when missing and checks the schema version of an existing case. */
export async function ensureSchema(con: DuckDBConnection): Promise<void> {
  await con.run(DDL);
  const r = await con.runAndReadAll('SELECT version FROM schema_info');
  const rows = r.getRows();
  if (rows.length === 0) {
    await con.run('INSERT INTO schema_info VALUES ($1, now())', [SCHEMA_VERSION]);
  } else if (Number(rows[0]![0]) !== SCHEMA_VERSION) {
    throw new Error(`case database has schema version ${String(rows[0]![0])}; this tool reads version ${SCHEMA_VERSION}`);
  }
}

/** Runs a query and returns plain JSON-safe row objects (BIGINT and timestamps as strings). */
export async function queryRows<T = Record<string, unknown>>(
  con: DuckDBConnection,
  sql: string,
  params?: unknown[] | Record<string, unknown>,
): Promise<T[]> {
  const reader = await con.runAndReadAll(sql, params as never);
  return reader.getRowObjectsJson() as T[];
}

/** Quotes a string as a SQL literal. Used only for values DuckDB cannot take as parameters (table functions' file lists). */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
