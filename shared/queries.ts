/**
 * Canned queries: their metadata (validated from the query files), runs and results as every host sees them.
 * Layer: shared.
 */
import { z } from 'zod';

export const PACKS = ['privileged', 'gaps', 'coverage'] as const;
export type Pack = (typeof PACKS)[number];

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

/**
 * Detection categories (../shared/docs/controls.md §2): PG privilege grant, CC credential creation, LT logging
 * tampering, PC policy change, KM key management, NE network exposure, AL account lifecycle, BG break-glass/root use,
 * FP failed privileged attempt, SO system-level object; plus GAP logging gap, CLK clock anomaly, COV coverage.
 */
export const CATEGORIES = ['PG', 'CC', 'LT', 'PC', 'KM', 'NE', 'AL', 'BG', 'FP', 'SO', 'GAP', 'CLK', 'COV'] as const;

/** Control frameworks a query cites, with the clause ids used in ../shared/docs/controls.md §1.8. */
export const FRAMEWORKS = ['iso27001', 'iso27017', 'soc2', 'pci', 'nist', 'cis'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

const ParamSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'parameter names are lower_snake_case'),
    type: z.enum(['integer', 'number', 'string', 'boolean', 'timestamp']),
    default: z.union([z.string(), z.number(), z.boolean()]),
    description: z.string().min(10),
  })
  .strict();
export type QueryParam = z.infer<typeof ParamSchema>;

export const QueryMetaSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(\.[a-z0-9_]+)+$/, 'ids look like family.topic_name'),
    version: z.number().int().positive(),
    title: z.string().min(5).max(100),
    pack: z.enum(PACKS),
    families: z.array(z.string().min(2)).min(1),
    severity: z.enum(SEVERITIES),
    category: z.enum(CATEGORIES),
    detects: z.string().min(20),
    why: z.string().min(20),
    controls: z
      .object({
        iso27001: z.array(z.string().regex(/^A\.\d+\.\d+$/)).optional(),
        iso27017: z.array(z.string().regex(/^(CLD\.)?\d+\.\d+\.\d+$/)).optional(),
        soc2: z.array(z.string().regex(/^CC\d\.\d$/)).optional(),
        pci: z.array(z.string().regex(/^10(\.\d+){1,3}$/)).optional(),
        nist: z.array(z.string().regex(/^[A-Z]{2}-\d+(\(\d+\))?$/)).optional(),
        cis: z.array(z.string().regex(/^\d+\.\d+$/)).optional(),
      })
      .strict()
      .refine((c) => Object.values(c).some((v) => v && v.length > 0), 'at least one control reference'),
    params: z.array(ParamSchema).default([]),
    false_positives: z.array(z.string().min(5)).min(1),
    columns: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)).min(2),
    references: z.array(z.string()).default([]),
  })
  .strict()
  .refine((q) => q.columns.includes('event_id'), 'columns must include event_id, so every finding traces to its raw record');
export type QueryMeta = z.infer<typeof QueryMetaSchema>;

export interface QuerySummary extends QueryMeta {
  /** SHA-256 of the exact SQL text that runs. */
  sqlSha256: string;
  file: string;
}

export interface QueryDetail extends QuerySummary {
  sql: string;
}

export interface QueryRunRecord {
  runId: number;
  queryId: string;
  queryVersion: number;
  sqlSha256: string;
  params: Record<string, unknown>;
  startedAt: string;
  finishedAt: string;
  rowCount: number;
  batchId: number | null;
}

export interface QueryRunResult extends QueryRunRecord {
  columns: string[];
  rows: unknown[][];
}

export interface ControlSummary {
  framework: Framework;
  control: string;
  queries: number;
  findings: number;
  queryIds: string[];
}

export interface RunAllResult {
  batchId: number;
  runs: QueryRunRecord[];
  controls: ControlSummary[];
  /** Streams (family/account/location/channel) present in the case: what the gap and coverage queries looked at. */
  streams: number;
}
