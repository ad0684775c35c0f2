/**
 * Panther rule test events as an oracle for canned queries: each corpus line is one rule's test event with the
 * verdict the rule must give. A query mapped to rules must flag exactly the lines those rules expect true and none
 * they expect false (events whose upstream test mocked a helper are left out: their verdict depends on context that
 * is not in the event).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createApi } from '../../electron/engine/api.js';
import { CORPUS, tmpDir } from './tmp-case.js';

export interface PantherLine {
  line: number;
  rule: string;
  expected: boolean;
  mocks: boolean;
  log: Record<string, unknown>;
}

export function pantherLines(logType: string): PantherLine[] {
  const file = path.join(CORPUS, 'panther-analysis-tests/by_log_type', `${logType}.jsonl`);
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const o = JSON.parse(l) as { rule_id: string; expected_result: boolean; has_mocks: boolean; log: Record<string, unknown> };
      return { line: i + 1, rule: o.rule_id, expected: o.expected_result, mocks: o.has_mocks, log: o.log };
    });
}

/** Writes the events one per line (as a SIEM export would) and returns the file. */
export function writeJsonl(lines: PantherLine[], name: string, transform: (l: Record<string, unknown>) => unknown = (x) => x): string {
  const file = path.join(tmpDir('ewb-panther-'), name);
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(transform(l.log))).join('\n') + '\n');
  return file;
}

export interface OracleOutcome {
  query: string;
  rules: string[];
  /** Lines the rules expect true that the query did not flag. */
  missed: number[];
  /** Lines the rules expect false that the query flagged. */
  falsePositives: number[];
  positives: number;
  negatives: number;
  /** Lines of these rules not loaded (rejected at ingest): listed so the test can assert them. */
  notLoaded: number[];
}

/**
 * Runs `query` on the case and compares the lines it flags (event record_index = line number in the file) with the
 * verdicts of `rules`.
 */
export async function compareWithRules(dir: string, query: string, rules: string[], lines: PantherLine[], loaded: Set<number>): Promise<OracleOutcome> {
  const api = createApi();
  const r = await api.invoke('query.run', { dir, id: query, params: {} });
  const idx = r.columns.indexOf('event_id');
  const flagged = new Set(r.rows.map((row) => Number(String(row[idx]).split('-').pop())));
  const mine = lines.filter((l) => rules.includes(l.rule) && !l.mocks);
  const notLoaded = mine.filter((l) => !loaded.has(l.line)).map((l) => l.line);
  const judged = mine.filter((l) => loaded.has(l.line));
  return {
    query,
    rules,
    missed: judged.filter((l) => l.expected && !flagged.has(l.line)).map((l) => l.line),
    falsePositives: judged.filter((l) => !l.expected && flagged.has(l.line)).map((l) => l.line),
    positives: judged.filter((l) => l.expected).length,
    negatives: judged.filter((l) => !l.expected).length,
    notLoaded,
  };
}
