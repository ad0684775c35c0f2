/** Case metadata and case summaries as seen by every host. Layer: shared. */

export const CASE_SCHEMA_VERSION = 1;

/** Contents of `case.json`. */
export interface CaseMeta {
  schemaVersion: number;
  name: string;
  org: string;
  /** Audit period, inclusive, `YYYY-MM-DD`, in `timezone`. */
  periodStart: string;
  periodEnd: string;
  /** IANA time zone used for log lines that carry local time without an offset. */
  timezone: string;
  createdAt: string;
  createdBy: string;
  tool: string;
}

export interface SourceCount {
  sourceFamily: string;
  sourceFormat: string;
  events: number;
  /** ISO 8601 UTC, null when the source has no events. */
  firstTime: string | null;
  lastTime: string | null;
}

export interface ArchiveSummary {
  sha256: string;
  path: string;
  kind: 'file' | 'folder';
  size: number;
  storedAs: 'copy' | 'reference';
  status: string;
  importedAt: string;
  members: number;
  records: number;
  loaded: number;
  rejected: number;
}

export interface CaseInfo {
  dir: string;
  meta: CaseMeta;
  archives: ArchiveSummary[];
  sources: SourceCount[];
  totals: { events: number; rejects: number; firstTime: string | null; lastTime: string | null };
  /** Rejects grouped by reason. */
  rejectReasons: Array<{ reason: string; count: number }>;
}

export interface CaseVerifyItem {
  sha256: string;
  path: string;
  storedAs: 'copy' | 'reference';
  location: string;
  result: 'ok' | 'mismatch' | 'missing';
  actualSha256: string | null;
}

/** A consistency check of the case database itself (counts recorded at load time against what is stored). */
export interface CaseDbCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CaseVerifyReport {
  dir: string;
  items: CaseVerifyItem[];
  checks: CaseDbCheck[];
  ok: boolean;
}
