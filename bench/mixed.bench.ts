/**
 * Mixed-family ingest benchmark: one tar.gz holding, side by side, every log family the workbench reads — CloudTrail
 * S3 objects, native EVTX, Windows collector JSON, Okta, GitHub, GCP, Azure/Entra, Microsoft 365, Kubernetes audit,
 * journald, auditd and auth.log — each sample repeated under distinct member names until the archive holds about
 * --records records. Times `ewb ingest` on it (wall, CPU and peak RSS from /usr/bin/time) and prints a Markdown table
 * of records per family plus the totals, after checking that every record was loaded or rejected.
 *
 * Samples come from the repository's fixtures and, when present, from ../shared/corpus (read by path at run time,
 * never copied into the repository). Run: npm run build:node, then
 *   node --import tsx bench/mixed.bench.ts [--records 300000] [--keep]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { IngestReport } from '../shared/ingest.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const EWB = path.join(ROOT, 'bin', 'ewb.mjs');
const { values: argv } = parseArgs({ options: { records: { type: 'string', default: '300000' }, keep: { type: 'boolean', default: false } } });
const TARGET = Number(argv.records);

/** Sample files by family: [path, approximate records] (counted below by the ingest itself, not trusted here). */
function samples(): string[] {
  const fx = (p: string) => path.join(ROOT, 'test/fixtures', p);
  const list = [
    fx('okta/api-logs-page.json'),
    fx('github-queries/audit-log.jsonl'),
    fx('github-queries/audit-log-export.csv'),
    fx('gcp-queries/logentries.jsonl'),
    fx('journald/journal.json'),
    fx('journald/journal.export'),
    fx('auditd/enriched.log'),
    fx('auditd-queries/audit.log'),
  ];
  for (const d of ['azure', 'entra', 'm365', 'kubernetes', 'kubernetes-queries', 'azure-queries', 'entra-queries', 'm365-queries', 'okta-queries']) {
    const dir = fx(d);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) if (!/\.(md|py)$/.test(f)) list.push(path.join(dir, f));
  }
  const demo = path.join(ROOT, 'demo/acme-2024q1-export.zip');
  if (fs.existsSync(demo)) list.push(demo);
  // Corpus: EVTX captures and the OTRF Windows collector exports (zipped JSON).
  const walk = (dir: string, re: RegExp, out: string[]) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, re, out);
      else if (re.test(e.name)) out.push(p);
    }
  };
  walk(path.join(CORPUS, 'evtx-attack-samples'), /\.evtx$/, list);
  walk(path.join(CORPUS, 'evtx-to-mitre-attack'), /\.evtx$/, list);
  const otrf: string[] = [];
  walk(path.join(CORPUS, 'otrf-security-datasets/atomic/windows'), /\.zip$/, otrf);
  list.push(...otrf.slice(0, 6));
  return list.filter((f) => fs.statSync(f).isFile());
}

function ingest(caseDir: string, input: string): { report: IngestReport; wall: number; cpu: number; rssMb: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, EWB, 'ingest', caseDir, input, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 3) throw new Error(`ewb ingest failed (${r.status}): ${r.stderr}`);
  const [wall, user, sys, rss] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number, number];
  return { report: JSON.parse(r.stdout) as IngestReport, wall, cpu: user + sys, rssMb: rss / 1024 };
}

const work = path.join(ROOT, 'bench/work/mixed');
fs.rmSync(work, { recursive: true, force: true });
const stage = path.join(work, 'stage');
fs.mkdirSync(stage, { recursive: true });

// 1. How many records one copy of the samples holds: ingest them once as a folder.
const files = samples();
const oneDir = path.join(work, 'one');
fs.mkdirSync(oneDir);
files.forEach((f, i) => fs.copyFileSync(f, path.join(oneDir, `${String(i).padStart(3, '0')}-${path.basename(f)}`)));
const probeCase = path.join(work, 'probe');
execFileSync(process.execPath, [EWB, 'case', 'create', probeCase, '--name', 'probe', '--org', 'bench', '--period-start', '2010-01-01', '--period-end', '2030-12-31']);
const probe = ingest(probeCase, oneDir);
const perCopy = probe.report.totals.records;
const copies = Math.max(1, Math.round(TARGET / perCopy));

// 2. The archive: `copies` copies of every sample under distinct names, as one tar.gz.
for (let c = 0; c < copies; c++) {
  const d = path.join(stage, `copy-${String(c).padStart(4, '0')}`);
  fs.mkdirSync(d);
  for (const f of fs.readdirSync(oneDir)) fs.linkSync(path.join(oneDir, f), path.join(d, f));
}
const archive = path.join(work, 'mixed.tgz');
execFileSync('tar', ['czf', archive, '--hard-dereference', '-C', stage, '.']);

// 3. The timed ingest.
const caseDir = path.join(work, 'case');
execFileSync(process.execPath, [EWB, 'case', 'create', caseDir, '--name', 'mixed', '--org', 'bench', '--period-start', '2010-01-01', '--period-end', '2030-12-31']);
const run = ingest(caseDir, archive);
const fam = new Map<string, { members: number; records: number; loaded: number; rejected: number }>();
for (const a of run.report.archives) {
  for (const m of a.members) {
    if (m.records === 0) continue; // containers (nested archives) and empty members
    const key = m.format ?? '(none)';
    const f = fam.get(key) ?? { members: 0, records: 0, loaded: 0, rejected: 0 };
    f.members++;
    f.records += m.records;
    f.loaded += m.loaded;
    f.rejected += m.rejected;
    fam.set(key, f);
  }
}
const t = run.report.totals;
if (t.loaded + t.rejected !== t.records) throw new Error(`accounting: ${t.records} records, ${t.loaded} loaded + ${t.rejected} rejected`);
const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1]?.trim().split(' ').slice(0, 2).join(' ') ?? 'CPU';
console.log(`\n## Mixed-family archive: ${copies} copies of ${files.length} samples, ${(fs.statSync(archive).size / 2 ** 20).toFixed(1)} MiB tar.gz\n`);
console.log('| format | members | records | loaded | rejected |');
console.log('|---|---|---|---|---|');
for (const [k, v] of [...fam.entries()].sort((a, b) => b[1].records - a[1].records)) console.log(`| ${k} | ${v.members} | ${v.records.toLocaleString('en-US')} | ${v.loaded.toLocaleString('en-US')} | ${v.rejected.toLocaleString('en-US')} |`);
console.log(`\n| date | machine | records | wall s | CPU s | records/s | peak RSS |`);
console.log('|---|---|---|---|---|---|---|');
console.log(`| ${new Date().toISOString().slice(0, 10)} | ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM | ${t.records.toLocaleString('en-US')} | ${run.wall.toFixed(2)} | ${run.cpu.toFixed(1)} | ${Math.round(t.records / run.wall).toLocaleString('en-US')} | ${(run.rssMb / 1024).toFixed(2)} GB |`);
if (!argv.keep) fs.rmSync(work, { recursive: true, force: true });
