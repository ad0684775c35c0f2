/** Text and CSV renderings for the CLI. Layer: cli. */
import type { IngestReport } from '../../shared/ingest.js';
import type { CaseInfo, CaseVerifyReport } from '../../shared/case.js';
import type { SqlResult } from '../../shared/query.js';
import type { QueryDetail, QuerySummary, RunAllResult } from '../../shared/queries.js';
import type { DigestReport } from '../../shared/digests.js';

export function queryListText(list: QuerySummary[]): string {
  const out = list.map((q) => `${q.id.padEnd(46)} ${q.pack.padEnd(10)} ${q.severity.padEnd(8)} ${q.title}`);
  out.push(`(${list.length} queries)`);
  return out.join('\n') + '\n';
}

export function queryShowText(q: QueryDetail): string {
  const controls = Object.entries(q.controls).map(([fw, ids]) => `${fw} ${(ids ?? []).join(', ')}`).join('; ');
  return [
    `${q.id} v${q.version} — ${q.title}`,
    `pack ${q.pack}, severity ${q.severity}, category ${q.category}, families ${q.families.join(', ')}`,
    `controls: ${controls}`,
    `detects: ${q.detects}`,
    `why: ${q.why}`,
    `parameters: ${q.params.length ? q.params.map((p) => `${p.name} (${p.type}, default ${String(p.default)}): ${p.description}`).join('; ') : 'none'}`,
    `false positives: ${q.false_positives.join('; ')}`,
    `columns: ${q.columns.join(', ')}`,
    `sql sha256: ${q.sqlSha256}`,
    '',
    q.sql,
    '',
  ].join('\n');
}

export function runAllText(r: RunAllResult): string {
  const out = [`batch ${r.batchId}: ${r.runs.length} queries run over ${r.streams} log streams`, ''];
  for (const run of r.runs.filter((x) => x.rowCount > 0)) out.push(`  ${String(run.rowCount).padStart(7)}  ${run.queryId}  (run ${run.runId})`);
  out.push(`  ${r.runs.filter((x) => x.rowCount === 0).length} queries found nothing`, '', 'per control:');
  for (const c of r.controls) out.push(`  ${c.framework.padEnd(9)} ${c.control.padEnd(12)} ${String(c.queries).padStart(3)} queries ${String(c.findings).padStart(7)} findings`);
  return out.join('\n') + '\n';
}

export function digestText(r: DigestReport): string {
  const t = r.totals;
  const out = [
    `check ${r.checkId}: ${t.digests} digest files (${t.digestsVerified} signatures verified with ${r.publicKeys} public keys supplied)`,
    `log files: ${t.verified} verified, ${t.mismatched} MISMATCHED, ${t.missing} MISSING, ${t.unlisted} not listed in any digest`,
  ];
  for (const d of r.digests.filter((x) => x.chain === 'mismatch' || x.chain === 'previous-missing' || x.signature === 'invalid')) {
    out.push(`  digest ${d.s3Object}: chain ${d.chain}, signature ${d.signature}`);
  }
  for (const f of r.logFiles.filter((x) => x.status !== 'verified')) out.push(`  ${f.status.toUpperCase().padEnd(10)} ${f.s3Object}`);
  for (const g of r.gaps) out.push(`  GAP ${g.account ?? '-'} ${g.region ?? '-'} ${g.from} → ${g.to}: ${g.reason}`);
  return out.join('\n') + '\n';
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

const n = (x: number) => x.toLocaleString('en-US');

export function ingestText(r: IngestReport): string {
  const out: string[] = [];
  for (const a of r.archives) {
    const recs = a.members.reduce((s, m) => s + m.records, 0);
    const loaded = a.members.reduce((s, m) => s + m.loaded, 0);
    const rej = a.members.reduce((s, m) => s + m.rejected, 0);
    out.push(`${a.status.toUpperCase().padEnd(14)} ${a.path}`);
    if (a.sha256) out.push(`  sha256 ${a.sha256}`);
    if (a.reason) out.push(`  ${a.reason}`);
    if (a.members.length > 0) out.push(`  ${n(a.members.length)} members, ${n(recs)} records: ${n(loaded)} loaded, ${n(rej)} rejected`);
    const issues = a.members.filter((m) => m.status !== 'loaded' && m.status !== 'container');
    for (const m of issues.slice(0, 50)) {
      out.push(`  - ${m.status.padEnd(11)} ${m.path}${m.format ? ` [${m.format}]` : ''}: ${m.records > 0 ? `${n(m.loaded)}/${n(m.records)} loaded; ` : ''}${m.reason ?? ''}`);
    }
    if (issues.length > 50) out.push(`  … and ${issues.length - 50} more members with issues (use --json for all)`);
  }
  out.push(`TOTAL ${n(r.totals.records)} records: ${n(r.totals.loaded)} loaded, ${n(r.totals.rejected)} rejected`);
  return out.join('\n') + '\n';
}

export function caseInfoText(c: CaseInfo): string {
  const out: string[] = [];
  out.push(`Case      ${c.meta.name} (${c.meta.org})`);
  out.push(`Folder    ${c.dir}`);
  out.push(`Period    ${c.meta.periodStart} – ${c.meta.periodEnd} (${c.meta.timezone})`);
  out.push(`Events    ${n(c.totals.events)}${c.totals.firstTime ? `  ${c.totals.firstTime} → ${c.totals.lastTime}` : ''}`);
  out.push(`Rejects   ${n(c.totals.rejects)}`);
  out.push('');
  out.push(`Archives (${c.archives.length})`);
  for (const a of c.archives) {
    out.push(`  ${a.status.padEnd(8)} ${a.path}`);
    out.push(`           sha256 ${a.sha256}  ${a.kind}, ${formatBytes(a.size)}, ${a.storedAs}, imported ${a.importedAt}`);
    out.push(`           ${n(a.members)} members, ${n(a.records)} records, ${n(a.loaded)} loaded, ${n(a.rejected)} rejected`);
  }
  out.push('');
  out.push('Sources');
  for (const s of c.sources) out.push(`  ${`${s.sourceFamily}/${s.sourceFormat}`.padEnd(34)} ${n(s.events).padStart(12)}  ${s.firstTime ?? ''} → ${s.lastTime ?? ''}`);
  if (c.rejectReasons.length > 0) {
    out.push('');
    out.push('Reject reasons');
    for (const r of c.rejectReasons) out.push(`  ${n(r.count).padStart(10)}  ${r.reason}`);
  }
  return out.join('\n') + '\n';
}

export function verifyText(v: CaseVerifyReport): string {
  const out = v.items.map((i) => `${i.result.toUpperCase().padEnd(9)} ${i.sha256}  ${i.path}${i.result === 'mismatch' ? ` (now ${i.actualSha256})` : ''}`);
  const inputsOk = v.items.every((i) => i.result === 'ok');
  out.push(inputsOk ? `All ${v.items.length} inputs match their recorded SHA-256.` : 'SOME INPUTS DO NOT MATCH their recorded SHA-256.');
  for (const c of v.checks) out.push(`${(c.ok ? 'OK' : 'FAILED').padEnd(9)} ${c.name}: ${c.detail}`);
  return out.join('\n') + '\n';
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function csvOf(r: SqlResult): string {
  const esc = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  return [r.columns.map(esc).join(','), ...r.rows.map((row) => row.map((v) => esc(cell(v))).join(','))].join('\n') + '\n';
}

export function tableOf(r: SqlResult): string {
  const maxW = 60;
  const clip = (s: string) => (s.length > maxW ? s.slice(0, maxW - 1) + '…' : s).replace(/[\r\n\t]/g, ' ');
  const rows = r.rows.map((row) => row.map((v) => clip(cell(v))));
  const widths = r.columns.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(r.columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  out.push(`(${r.rowCount} row${r.rowCount === 1 ? '' : 's'}${r.truncated ? ', truncated: raise --max-rows' : ''})`);
  return out.join('\n') + '\n';
}
