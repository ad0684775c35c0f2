/**
 * Test helper: a fresh case in a temp folder, driven in-process through the same API the CLI and app use.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApi } from '../../electron/engine/api.js';
import type { CallInput } from '../../shared/contract.js';
import type { IngestReport } from '../../shared/ingest.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../..');
/** The shared corpus beside the repository (read-only; never bundled). */
export const CORPUS = path.resolve(REPO, '../shared/corpus');

export function tmpDir(prefix = 'ewb-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestCase {
  dir: string;
  ingest(paths: string[], extra?: Partial<CallInput<'ingest.run'>>): Promise<IngestReport>;
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  one<T = unknown>(sql: string): Promise<T>;
}

export async function newCase(opts: { periodStart?: string; periodEnd?: string; timezone?: string } = {}): Promise<TestCase> {
  const api = createApi();
  const dir = path.join(tmpDir(), 'case');
  await api.invoke('case.create', {
    dir,
    name: 'Test case',
    org: 'Test org',
    periodStart: opts.periodStart ?? '2019-01-01',
    periodEnd: opts.periodEnd ?? '2024-12-31',
    timezone: opts.timezone ?? 'UTC',
  });
  const rows = async <T,>(sql: string): Promise<T[]> => {
    const r = await api.invoke('sql.run', { dir, sql, maxRows: 1_000_000 });
    return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]]))) as T[];
  };
  return {
    dir,
    ingest: (paths, extra = {}) => api.invoke('ingest.run', { dir, paths, ...extra }),
    rows,
    async one<T>(sql: string) {
      const r = await rows<Record<string, unknown>>(sql);
      return Object.values(r[0] ?? {})[0] as T;
    },
  };
}

/** A path or value as one single-quoted shell word, for the commands given to `sh`. */
export const shellQuote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

/** Runs a shell command (an independent tool: jq, unzip, python3, wc) and returns stdout. */
export function sh(cmd: string): string {
  return execSync(cmd, { encoding: 'utf8', shell: '/bin/bash', maxBuffer: 1 << 28 });
}
