/**
 * The API contract: the one table of calls that the CLI, the Electron IPC bridge and the loopback host all go
 * through. Each call has a name (`domain.verb`), a zod schema for its input (validated at every boundary) and a
 * result type. Layer: shared (no Node, no DOM).
 */
import { z } from 'zod';
import type { CaseInfo, CaseVerifyReport } from './case.js';
import type { IngestReport } from './ingest.js';
import type { ExportReport, SqlResult } from './query.js';
import { PACKS, type QueryDetail, type QueryRunRecord, type QueryRunResult, type QuerySummary, type RunAllResult } from './queries.js';
import type { DigestReport } from './digests.js';
import { CALL_NAMES, type CallName } from './call-names.js';

export { CALL_NAMES, type CallName };

/** ISO calendar date `YYYY-MM-DD`. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** Case creation. `periodStart`/`periodEnd` bound the audit period (inclusive, in the case time zone). */
export const CaseCreateInput = z
  .object({
    dir: z.string().min(1),
    name: z.string().min(1),
    org: z.string().min(1),
    periodStart: isoDate,
    periodEnd: isoDate,
    timezone: z.string().min(1).default('UTC'),
  })
  .refine((v) => v.periodStart <= v.periodEnd, { message: 'period start must not be after period end' });

export const CaseRefInput = z.object({ dir: z.string().min(1) });

/** Limits applied while opening archives. Defaults are sized for real exports; raise them with CLI flags. */
export const IngestLimitsInput = z.object({
  /** Largest accepted expansion ratio of any compressed member (decompressed bytes / compressed bytes). */
  maxRatio: z.number().positive().default(250),
  /** Expansion ratio is only judged once a member has expanded beyond this many bytes. */
  ratioFloorBytes: z.number().int().nonnegative().default(64 * 1024 * 1024),
  /** Total decompressed bytes read from one input (archive or folder). */
  maxTotalBytes: z.number().int().positive().default(200 * 1024 ** 3),
  /** Members (files) in one input, counted across all nesting levels. */
  maxMembers: z.number().int().positive().default(1_000_000),
  /** Archives nested inside archives: the input archive is level 1. */
  maxDepth: z.number().int().min(1).max(10).default(3),
  /** Largest single record accepted (bytes); larger records are rejected with their reason. */
  maxRecordBytes: z.number().int().positive().default(64 * 1024 * 1024),
});
export type IngestLimits = z.infer<typeof IngestLimitsInput>;

export const IngestInput = z.object({
  dir: z.string().min(1),
  paths: z.array(z.string().min(1)).min(1),
  /** Force a format for every member instead of content sniffing (see `ewb formats`). */
  format: z.string().optional(),
  /** Keep only path + hash of each input instead of a copy in the case's evidence store. */
  reference: z.boolean().default(false),
  /** Mapping file (YAML/JSON) naming the time column and other columns of generic inputs. */
  mapFile: z.string().optional(),
  /** Remove an already-loaded archive with the same hash and load it again (e.g. after raising a limit). */
  reimport: z.boolean().default(false),
  limits: IngestLimitsInput.default(IngestLimitsInput.parse({})),
});
export type IngestRequest = z.input<typeof IngestInput>;

export const SqlInput = z.object({
  dir: z.string().min(1),
  sql: z.string().min(1),
  /** Rows returned at most; the result says when it was cut. */
  maxRows: z.number().int().positive().default(100_000),
});

export const ExportParquetInput = z.object({ dir: z.string().min(1), out: z.string().min(1) });

export const QueryListInput = z.object({
  pack: z.enum(PACKS).optional(),
  family: z.string().optional(),
  /** A control id in any framework, e.g. `10.2.1.6`, `CC7.2`, `A.8.15`, `AU-9` (prefixes match sub-clauses). */
  control: z.string().optional(),
});
export const QueryShowInput = z.object({ id: z.string().min(1) });
export const QueryRunInput = z.object({
  dir: z.string().min(1),
  id: z.string().min(1),
  /** Parameter values as given (coerced to the declared types). */
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  maxRows: z.number().int().positive().default(100_000),
});
export const QueryRunAllInput = z.object({ dir: z.string().min(1), packs: z.array(z.enum(PACKS)).default([]) });
export const QueryResultInput = z.object({ dir: z.string().min(1), runId: z.number().int().positive(), maxRows: z.number().int().positive().default(100_000) });
export const DigestVerifyInput = z.object({
  dir: z.string().min(1),
  /** `aws cloudtrail list-public-keys` output saved as JSON; without it signatures are reported as unchecked. */
  publicKeysFile: z.string().optional(),
});

/** Progress pushed while a call runs (ingest only, today). */
export interface ProgressEvent {
  phase: 'hash' | 'read' | 'commit' | 'done';
  archive: string;
  member?: string;
  bytesRead: number;
  bytesTotal: number | null;
  members: number;
  records: number;
  loaded: number;
  rejected: number;
  elapsedMs: number;
}

/** The call table. Adding a call means adding its name to call-names.ts, a row here and a handler in the engine's API. */

/** The call table. Adding a call means adding its name to call-names.ts, a row here and a handler in the engine's API. */
export const CALLS = {
  'case.create': CaseCreateInput,
  'case.info': CaseRefInput,
  'case.verify': CaseRefInput,
  'ingest.run': IngestInput,
  'sql.run': SqlInput,
  'export.parquet': ExportParquetInput,
  'query.list': QueryListInput,
  'query.show': QueryShowInput,
  'query.run': QueryRunInput,
  'query.runAll': QueryRunAllInput,
  'query.runs': CaseRefInput,
  'query.result': QueryResultInput,
  'cloudtrail.verifyDigests': DigestVerifyInput,
} satisfies { [C in CallName]: z.ZodType };

export interface CallResults {
  'case.create': CaseInfo;
  'case.info': CaseInfo;
  'case.verify': CaseVerifyReport;
  'ingest.run': IngestReport;
  'sql.run': SqlResult;
  'export.parquet': ExportReport;
  'query.list': QuerySummary[];
  'query.show': QueryDetail;
  'query.run': QueryRunResult;
  'query.runAll': RunAllResult;
  'query.runs': QueryRunRecord[];
  'query.result': QueryRunResult;
  'cloudtrail.verifyDigests': DigestReport;
}

export type CallInput<C extends CallName> = z.input<(typeof CALLS)[C]>;
export type CallParsed<C extends CallName> = z.output<(typeof CALLS)[C]>;

/** Hooks a caller may pass along with a call. */
export interface CallHooks {
  onProgress?: (p: ProgressEvent) => void;
}

/** What every host implements: the CLI and tests in-process, the IPC bridge and loopback host over a wire. */
export interface Api {
  invoke<C extends CallName>(call: C, input: CallInput<C>, hooks?: CallHooks): Promise<CallResults[C]>;
}

/** Errors cross every boundary as `{ code, message }`, never as stack traces. */
export interface ApiErrorShape {
  code: ApiErrorCode;
  message: string;
}
export type ApiErrorCode = 'invalid-input' | 'not-found' | 'locked' | 'read-only' | 'conflict' | 'failed';
