/** The ingest report: the accounting an auditor relies on. Layer: shared. */

/**
 * Member status:
 * - `loaded`: every record loaded.
 * - `rejects`: read completely; some records rejected (see `rejects` table).
 * - `partial`: the member (or its container) is damaged; records before the damage are accounted, the rest unread.
 * - `container`: an archive inside the archive; its own members are listed separately.
 * - `skipped`: deliberately not read (macOS metadata, nesting past the limit, empty).
 * - `refused`: hostile or over a limit (path escape, link, device, expansion ratio, too many members).
 * - `unsupported`: not a format the workbench reads (records not counted: nothing could be framed).
 */
export type MemberStatus = 'loaded' | 'rejects' | 'partial' | 'container' | 'skipped' | 'refused' | 'unsupported';

/** Archive status: `loaded` (clean), `issues` (committed, something in `members` needs reading), `already-loaded`, `failed` (nothing committed). */
export type ArchiveStatus = 'loaded' | 'issues' | 'already-loaded' | 'failed';

export interface MemberReport {
  /** Path inside the input; nested archives are joined with `!/` (e.g. `outer.zip!/inner.tar!/auth.log`). */
  path: string;
  /** SHA-256 of the member's (decompressed) content; null when it was never read. */
  sha256: string | null;
  format: string | null;
  records: number;
  loaded: number;
  rejected: number;
  status: MemberStatus;
  reason: string | null;
}

export interface ArchiveReport {
  path: string;
  sha256: string | null;
  status: ArchiveStatus;
  reason: string | null;
  members: MemberReport[];
}

export interface IngestReport {
  archives: ArchiveReport[];
  totals: { records: number; loaded: number; rejected: number };
}

/** CLI exit status derived from a report: 0 clean, 3 committed with issues, 1 nothing committed. */
export function ingestExitCode(report: IngestReport): 0 | 1 | 3 {
  const committed = report.archives.filter((a) => a.status !== 'failed');
  if (committed.length === 0) return 1;
  const clean = report.archives.every((a) => a.status === 'loaded' || a.status === 'already-loaded');
  return clean ? 0 : 3;
}
