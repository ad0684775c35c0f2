/**
 * `export.parquet`: the case's events as Hive-partitioned Parquet (`source_family=…/event_date=YYYY-MM-DD/…`, dates
 * in UTC), the layout DuckDB, Spark, Trino and Athena read as a table. The output folder must be new or empty.
 * Layer: engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CallParsed } from '../../../shared/contract.js';
import type { ExportReport } from '../../../shared/query.js';
import { EngineError } from '../errors.js';
import { readCaseMeta } from '../case/workspace.js';
import { openReadOnly } from '../case/case-service.js';
import { queryRows, sqlString } from '../db/database.js';

function countFiles(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countFiles(path.join(dir, e.name));
    else if (e.name.endsWith('.parquet')) n++;
  }
  return n;
}

export async function exportParquet(input: CallParsed<'export.parquet'>): Promise<ExportReport> {
  const { paths } = readCaseMeta(input.dir);
  const out = path.resolve(input.out);
  if (out === paths.dir || out.startsWith(paths.dir + path.sep)) throw new EngineError('invalid-input', 'export into a folder outside the case');
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new EngineError('conflict', `${out} exists and is not empty; export into a new folder`);
  fs.mkdirSync(out, { recursive: true });
  const db = await openReadOnly(paths);
  try {
    const partitions = await queryRows<{ source_family: string; event_date: string; n: string }>(
      db.con,
      `SELECT source_family, strftime(time, '%Y-%m-%d') AS event_date, count(*)::BIGINT AS n FROM events GROUP BY ALL ORDER BY ALL`,
    );
    await db.con.run(`COPY (SELECT * EXCLUDE (fields), fields, strftime(time, '%Y-%m-%d') AS event_date FROM events)
      TO ${sqlString(out)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (source_family, event_date), OVERWRITE_OR_IGNORE false)`);
    return {
      out,
      files: countFiles(out),
      rows: partitions.reduce((a, p) => a + Number(p.n), 0),
      partitions: partitions.map((p) => ({ sourceFamily: p.source_family, eventDate: p.event_date, rows: Number(p.n) })),
    };
  } finally {
    db.close();
  }
}
