/** Ad-hoc SQL and export results. Layer: shared. */

export interface SqlResult {
  columns: string[];
  types: string[];
  /** Values are JSON-safe: BIGINT and timestamps as strings. */
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

export interface ExportReport {
  out: string;
  files: number;
  rows: number;
  partitions: Array<{ sourceFamily: string; eventDate: string; rows: number }>;
}
