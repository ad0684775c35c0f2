/**
 * Ingest benchmark: how much slower (and hungrier) is `ewb ingest` than the plainest DuckDB load of the same
 * CloudTrail S3 objects? One run generates (or reuses) seeded data in bench/data/, then times, each in a child process
 * with its wall time, CPU time and peak RSS measured from outside:
 *   (a) baseline: a fresh DuckDB file, `CREATE TABLE t AS SELECT unnest(Records) AS raw FROM read_json(...)`;
 *   (b) ewb: `ewb case create` (untimed) then `ewb ingest <case> <datadir> --json` (the data folder as one input).
 * Both must account for every record (N rows; N loaded, 0 rejected) or the run fails. Prints a Markdown table row.
 *
 * Usage: node --import tsx bench/ingest.bench.ts --records 1000000 [--seed 42] [--repeat K]
 *          [--memory-limit 1500MB (EWB_MEMORY_LIMIT for ewb)] [--baseline-memory-limit <size>]
 *          [--reference] [--profile] [--only baseline|ewb] [--keep]
 * Build the CLI first (npm run build:node; `npm run bench:ingest -- ...` does both).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generate, GENERATOR_VERSION, type GenResult } from './gen-cloudtrail.js';
import type { IngestReport } from '../shared/ingest.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EWB = path.join(ROOT, 'bin', 'ewb.mjs');
const CLI_MAIN = path.join(ROOT, 'out', 'node', 'electron', 'cli', 'main.js');
const SQL_HOOK = path.join(ROOT, 'bench', 'sql-timing.mjs');
const TIME_BIN = '/usr/bin/time';

// ---------------------------------------------------------------------------------------------------------------
// Options

const { values: argv } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '42' },
    repeat: { type: 'string', default: '1' },
    start: { type: 'string', default: '2024-01-01' },
    days: { type: 'string', default: '30' },
    'memory-limit': { type: 'string' },
    'baseline-memory-limit': { type: 'string' },
    reference: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: path.join(ROOT, 'bench', 'data') },
    'work-dir': { type: 'string', default: path.join(ROOT, 'bench', 'work') },
  },
});

const N = Number(argv.records);
const SEED = Number(argv.seed);
const REPEAT = Number(argv.repeat);
const DAYS = Number(argv.days);
if (!Number.isInteger(N) || N <= 0) fail('--records must be a positive integer');
if (!Number.isInteger(REPEAT) || REPEAT <= 0) fail('--repeat must be a positive integer');
if (argv.only && argv.only !== 'baseline' && argv.only !== 'ewb') fail('--only takes baseline or ewb');
const DATA_ROOT = path.resolve(argv['data-dir']!);
const WORK = path.resolve(argv['work-dir']!);

function fail(msg: string): never {
  process.stderr.write(`ingest.bench: ${msg}\n`);
  process.exit(1);
}

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting helpers

const fmtInt = (n: number) => n.toLocaleString('en-US');
const fmtS = (ms: number) => (ms / 1000).toFixed(2);
function fmtBytes(b: number): string {
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (b >= 1024 && i < u.length - 1) {
    b /= 1024;
    i++;
  }
  return `${b.toFixed(i === 0 ? 0 : 2)} ${u[i]}`;
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
function dirBytes(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.lstatSync(p);
  if (!st.isDirectory()) return st.size;
  let t = 0;
  for (const e of fs.readdirSync(p)) t += dirBytes(path.join(p, e));
  return t;
}
function loadAvg(): string {
  return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

function machine(): string {
  let cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1]!.trim();
  } catch {
    /* not Linux: os.cpus() is good enough */
  }
  return `${cpu}, ${os.availableParallelism()} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM`;
}

/**
 * Which engine was measured: git commit, whether the tree had local changes, and a hash of the compiled engine and
 * CLI (out/node), since benchmarks are often run against uncommitted work.
 */
function engineFingerprint(): string {
  let git = 'no git';
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'electron', 'shared'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    git = head + (dirty ? '+local changes' : '');
  } catch {
    /* not a checkout */
  }
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) h.update(path.relative(ROOT, p)).update(fs.readFileSync(p));
    }
  };
  for (const d of ['electron/engine', 'electron/cli', 'shared']) if (fs.existsSync(path.join(ROOT, 'out/node', d))) walk(path.join(ROOT, 'out/node', d));
  return `${git}, build ${h.digest('hex').slice(0, 12)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Data

interface DataInfo extends GenResult {
  generatorVersion: number;
  seed: number;
  start: string;
  days: number;
  level: number;
}

/** Generates the data set once per (generator version, N, seed, window); a marker written last makes reuse safe. */
async function ensureData(): Promise<{ dir: string; info: DataInfo }> {
  const name = `cloudtrail-n${N}-s${SEED}`;
  const dir = path.join(DATA_ROOT, name);
  // The marker lives beside the folder, not in it: ewb ingests the folder, and a stray JSON file would be a member.
  const marker = path.join(DATA_ROOT, `${name}.done.json`);
  const want = { generatorVersion: GENERATOR_VERSION, records: N, seed: SEED, start: argv.start!, days: DAYS, level: 6 };
  if (fs.existsSync(marker) && fs.existsSync(dir)) {
    const info = JSON.parse(fs.readFileSync(marker, 'utf8')) as DataInfo;
    if (Object.entries(want).every(([k, v]) => info[k as keyof DataInfo] === v)) {
      log(`reusing ${dir} (${fmtInt(info.files)} objects, ${fmtBytes(info.bytesCompressed)} gz)`);
      return { dir, info };
    }
  }
  fs.rmSync(marker, { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  log(`generating ${fmtInt(N)} records into ${dir}`);
  let last = 0;
  const res = await generate({
    records: N,
    out: dir,
    seed: SEED,
    start: want.start,
    days: DAYS,
    level: want.level,
    onProgress: (d) => {
      if (d - last >= N / 10 || d === N) {
        last = d;
        log(`  ${fmtInt(d)} / ${fmtInt(N)}`);
      }
    },
  });
  const info: DataInfo = { ...want, ...res };
  fs.writeFileSync(marker, JSON.stringify(info, null, 2) + '\n');
  log(`generated ${fmtInt(res.files)} objects, ${fmtBytes(res.bytesCompressed)} gz / ${fmtBytes(res.bytesUncompressed)} JSON in ${fmtS(res.ms)} s`);
  return { dir, info };
}

/** Reads every object once so that neither side pays for a cold page cache the other did not. */
function warmCache(dir: string): void {
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else fs.readFileSync(p);
    }
  };
  walk(dir);
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring a child process

interface Measured {
  wallMs: number;
  userS: number | null;
  sysS: number | null;
  peakRssKb: number;
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  loadBefore: string;
}

const haveTime = fs.existsSync(TIME_BIN);

/**
 * Runs a command and measures it from outside. With GNU time: its rusage (peak RSS, user/system CPU) in a side file,
 * so the child's own stderr stays clean. Without it: /proc/<pid>/status VmHWM polled every 50 ms (the kernel's
 * high-water mark, so a sample late in the run still sees earlier peaks).
 */
function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  const timeFile = path.join(WORK, `time-${process.pid}-${Date.now()}.txt`);
  const [bin, binArgs] = haveTime ? [TIME_BIN, ['-v', '-o', timeFile, cmd, ...args]] : [cmd, args];
  const loadBefore = loadAvg();
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(bin, binArgs, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let hwm = 0;
    const poll = haveTime
      ? null
      : setInterval(() => {
          try {
            const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {
            /* exited between polls */
          }
        }, 50);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - t0;
      if (poll) clearInterval(poll);
      let userS: number | null = null;
      let sysS: number | null = null;
      let childCode = code;
      if (haveTime) {
        const t = fs.existsSync(timeFile) ? fs.readFileSync(timeFile, 'utf8') : '';
        fs.rmSync(timeFile, { force: true });
        const num = (re: RegExp) => {
          const m = re.exec(t);
          return m ? Number(m[1]) : null;
        };
        hwm = num(/Maximum resident set size \(kbytes\): (\d+)/) ?? 0;
        userS = num(/User time \(seconds\): ([\d.]+)/);
        sysS = num(/System time \(seconds\): ([\d.]+)/);
        const sig = /Command terminated by signal (\d+)/.exec(t);
        if (sig) childCode = 128 + Number(sig[1]);
      }
      resolve({ wallMs, userS, sysS, peakRssKb: hwm, code: childCode, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), loadBefore });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// (a) Baseline

/** The baseline child: plain node + @duckdb/node-api, no engine code. Parameters come in through the environment. */
const BASELINE_CHILD = `
import { DuckDBInstance } from '@duckdb/node-api';
const p = JSON.parse(process.env.EWB_BENCH_BASELINE);
const q = (s) => "'" + s.replaceAll("'", "''") + "'";
const t0 = performance.now();
const inst = await DuckDBInstance.create(p.db, p.memoryLimit ? { memory_limit: p.memoryLimit } : {});
const con = await inst.connect();
const t1 = performance.now();
await con.run('CREATE TABLE t AS SELECT unnest(Records) AS raw FROM read_json(' + q(p.glob) + ", columns={Records:'JSON[]'}, maximum_object_size=" + p.maxObjectSize + ')');
const t2 = performance.now();
const rows = Number((await con.runAndReadAll('SELECT count(*)::BIGINT FROM t')).getRows()[0][0]);
const t3 = performance.now();
con.closeSync();
inst.closeSync();
process.stdout.write(JSON.stringify({ rows, openMs: t1 - t0, createMs: t2 - t1, countMs: t3 - t2, closeMs: performance.now() - t3 }));
`;

interface SideResult {
  wallMs: number;
  cpuS: number | null;
  peakRssKb: number;
  dbBytes: number;
  detail: string;
}

async function runBaseline(dir: string, info: DataInfo, k: number): Promise<SideResult> {
  const db = path.join(WORK, `baseline-${k}.duckdb`);
  for (const f of [db, `${db}.wal`]) fs.rmSync(f, { force: true });
  // read_json needs the whole top-level object (one S3 object) to fit: the next power of two above the largest one.
  const maxObjectSize = Math.max(16 * 1024 * 1024, 2 ** Math.ceil(Math.log2(info.maxObjectBytes * 1.05)));
  const params = { db, glob: `${dir}/**/*.json.gz`, maxObjectSize, memoryLimit: argv['baseline-memory-limit'] ?? null };
  const m = await measure(process.execPath, ['--input-type=module', '-e', BASELINE_CHILD], { EWB_BENCH_BASELINE: JSON.stringify(params) });
  if (m.code !== 0) fail(`baseline failed (exit ${m.code ?? m.signal}):\n${m.stderr.slice(-4000)}`);
  const r = JSON.parse(m.stdout) as { rows: number; openMs: number; createMs: number; countMs: number; closeMs: number };
  if (r.rows !== N) fail(`baseline loaded ${fmtInt(r.rows)} rows, expected ${fmtInt(N)}`);
  const dbBytes = dirBytes(db) + dirBytes(`${db}.wal`);
  if (!argv.keep) for (const f of [db, `${db}.wal`]) fs.rmSync(f, { force: true });
  return {
    wallMs: m.wallMs,
    cpuS: m.userS === null ? null : m.userS + (m.sysS ?? 0),
    peakRssKb: m.peakRssKb,
    dbBytes,
    detail: `CREATE TABLE ${fmtS(r.createMs)} s, close/checkpoint ${fmtS(r.closeMs)} s, load avg before ${m.loadBefore}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// (b) ewb

async function createCase(caseDir: string): Promise<void> {
  fs.rmSync(caseDir, { recursive: true, force: true });
  const end = new Date(Date.parse(`${argv.start}T00:00:00Z`) + Math.max(0, DAYS - 1) * 864e5).toISOString().slice(0, 10);
  const c = await measure(process.execPath, [EWB, 'case', 'create', caseDir, '--name', 'ingest benchmark', '--org', 'bench', '--period-start', argv.start!, '--period-end', end]);
  if (c.code !== 0) fail(`ewb case create failed (exit ${c.code}):\n${c.stderr}`);
}

function ewbEnv(): NodeJS.ProcessEnv {
  return argv['memory-limit'] ? { EWB_MEMORY_LIMIT: argv['memory-limit'] } : {};
}

function ingestArgs(caseDir: string, dir: string): string[] {
  return [EWB, 'ingest', caseDir, dir, '--json', ...(argv.reference ? ['--reference'] : [])];
}

/** Checks the books: the report and the events table must both say N loaded, nothing rejected. */
async function checkIngest(m: Measured, caseDir: string): Promise<IngestReport> {
  if (m.code !== 0) fail(`ewb ingest exited ${m.code ?? m.signal} (0 expected):\n${m.stderr.slice(-4000)}\n${m.stdout.slice(0, 2000)}`);
  const report = JSON.parse(m.stdout) as IngestReport;
  const t = report.totals;
  if (t.records !== N || t.loaded !== N || t.rejected !== 0) fail(`ewb ingest report totals ${JSON.stringify(t)}; expected ${fmtInt(N)} records, ${fmtInt(N)} loaded, 0 rejected`);
  const bad = report.archives.filter((a) => a.status !== 'loaded');
  if (bad.length > 0) fail(`ewb archive status ${bad.map((a) => `${a.status}: ${a.reason}`).join('; ')}`);
  const q = await measure(process.execPath, [EWB, 'sql', caseDir, 'SELECT count(*)::BIGINT AS n FROM events', '--json']);
  const n = Number((JSON.parse(q.stdout) as { rows: Array<{ n: string }> }).rows[0]?.n);
  if (n !== N) fail(`events table holds ${fmtInt(n)} rows, expected ${fmtInt(N)}`);
  return report;
}

async function runEwb(dir: string, k: number): Promise<SideResult> {
  const caseDir = path.join(WORK, `case-${k}`);
  await createCase(caseDir);
  const m = await measure(process.execPath, ingestArgs(caseDir, dir), ewbEnv());
  const report = await checkIngest(m, caseDir);
  const dbBytes = dirBytes(path.join(caseDir, 'case.duckdb')) + dirBytes(path.join(caseDir, 'case.duckdb.wal'));
  const evidence = dirBytes(path.join(caseDir, 'evidence'));
  if (!argv.keep) fs.rmSync(caseDir, { recursive: true, force: true });
  return {
    wallMs: m.wallMs,
    cpuS: m.userS === null ? null : m.userS + (m.sysS ?? 0),
    peakRssKb: m.peakRssKb,
    dbBytes,
    detail: `${fmtInt(report.archives[0]!.members.length)} members, evidence store ${fmtBytes(evidence)}, load avg before ${m.loadBefore}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// --profile: one more, instrumented ewb run (not part of the timings): CPU profile of the main thread, every DuckDB
// statement timed by bench/sql-timing.mjs, event-loop utilisation.

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

interface SqlTrace {
  totalMs: number;
  stmts: Array<{ sql: string; start: number; ms: number; rows?: string }>;
}

function topSelf(profile: CpuProfile, limit: number): { lines: string[]; totalMs: number; idleMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]!)!;
    const f = n.callFrame;
    const where = f.url ? `${f.url.replace(/^file:\/\//, '').replace(ROOT, '')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  }
  const idleMs = self.get('(idle)') ?? 0;
  const lines = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([k, ms]) => `| ${fmtS(ms)} | ${((100 * ms) / total).toFixed(1)}% | \`${k}\` |`);
  return { lines, totalMs: total, idleMs };
}

function sqlSummary(trace: SqlTrace): string[] {
  const kinds = new Map<string, { n: number; ms: number; max: number }>();
  const kindOf = (s: string) => {
    if (s.startsWith('INSERT INTO events')) return 'INSERT INTO events (mapped batch)';
    if (s.startsWith('INSERT INTO rejects')) return 'INSERT INTO rejects';
    if (s.startsWith('appender.')) return 'appender flushSync (main thread)';
    if (s.startsWith('COMMIT')) return 'COMMIT';
    if (s.includes('count(*)') && s.includes('GROUP BY member_id')) return 'per-member count checks';
    return 'other (schema, bookkeeping)';
  };
  for (const s of trace.stmts) {
    const k = kindOf(s.sql);
    const e = kinds.get(k) ?? { n: 0, ms: 0, max: 0 };
    e.n++;
    e.ms += s.ms;
    e.max = Math.max(e.max, s.ms);
    kinds.set(k, e);
  }
  const out = ['| statement | count | total s | max s |', '|---|---|---|---|'];
  for (const [k, e] of [...kinds].sort((a, b) => b[1].ms - a[1].ms)) out.push(`| ${k} | ${e.n} | ${fmtS(e.ms)} | ${fmtS(e.max)} |`);
  // Timeline: hashing/copying ends when the engine asks whether the content is already loaded; then BEGIN, framing
  // with batch INSERTs on the queue, accounting, COMMIT.
  const at = (pred: (s: string) => boolean) => trace.stmts.find((s) => pred(s.sql));
  const hashDone = at((s) => s.startsWith('SELECT path, imported_at'));
  const inserts = trace.stmts.filter((s) => s.sql.startsWith('INSERT INTO events'));
  const commit = at((s) => s === 'COMMIT');
  if (hashDone && commit) {
    const firstIns = inserts[0];
    out.push(
      '',
      `timeline (ms since process start): hash+copy inputs until ${hashDone.start.toFixed(0)}; ` +
        `first batch INSERT starts ${firstIns ? firstIns.start.toFixed(0) : '-'}; ` +
        `last INSERT ends ${inserts.length ? (inserts.at(-1)!.start + inserts.at(-1)!.ms).toFixed(0) : '-'}; ` +
        `COMMIT ${commit.start.toFixed(0)}–${(commit.start + commit.ms).toFixed(0)}; process exit ${trace.totalMs.toFixed(0)}`,
    );
  }
  return out;
}

async function profileRun(dir: string): Promise<void> {
  const caseDir = path.join(WORK, 'case-profile');
  const profDir = path.join(WORK, 'prof');
  const traceFile = path.join(WORK, 'sql-trace.json');
  fs.rmSync(profDir, { recursive: true, force: true });
  fs.rmSync(traceFile, { force: true });
  await createCase(caseDir);
  log('profile run (instrumented; not part of the timings)');
  const m = await measure(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profDir, '--import', SQL_HOOK, ...ingestArgs(caseDir, dir)], {
    ...ewbEnv(),
    EWB_BENCH_SQL_TRACE: traceFile,
  });
  await checkIngest(m, caseDir);
  if (!argv.keep) fs.rmSync(caseDir, { recursive: true, force: true });
  const profFile = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  const out: string[] = ['', `### profile of one ewb ingest (${fmtS(m.wallMs)} s wall with profiler; ${profDir})`, ''];
  if (profFile) {
    const p = topSelf(JSON.parse(fs.readFileSync(path.join(profDir, profFile), 'utf8')) as CpuProfile, 25);
    out.push(`main thread: ${fmtS(p.totalMs)} s sampled, ${fmtS(p.idleMs)} s idle (waiting on DuckDB or I/O)`, '', '| self s | % | function |', '|---|---|---|', ...p.lines);
  }
  if (fs.existsSync(traceFile)) out.push('', ...sqlSummary(JSON.parse(fs.readFileSync(traceFile, 'utf8')) as SqlTrace));
  process.stdout.write(out.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!fs.existsSync(CLI_MAIN)) fail('the CLI is not built: run "npm run build:node" first (or "npm run bench:ingest")');
  fs.mkdirSync(WORK, { recursive: true });
  const fingerprint = engineFingerprint();
  const loadAtStart = loadAvg();
  const load = Number(loadAtStart.split(' ')[0]);
  if (load > os.availableParallelism() * 0.25) log(`warning: load average ${loadAvg()} before starting; timings will be noisy`);
  const { dir, info } = await ensureData();
  warmCache(dir);

  const base: SideResult[] = [];
  const ewb: SideResult[] = [];
  for (let k = 0; k < REPEAT; k++) {
    // Alternate the order so that neither side always runs on a warmer (or more loaded) machine.
    const order = k % 2 === 0 ? (['baseline', 'ewb'] as const) : (['ewb', 'baseline'] as const);
    for (const side of order) {
      if (argv.only && argv.only !== side) continue;
      log(`run ${k + 1}/${REPEAT}: ${side}`);
      const r = side === 'baseline' ? await runBaseline(dir, info, k) : await runEwb(dir, k);
      (side === 'baseline' ? base : ewb).push(r);
      log(`  ${fmtS(r.wallMs)} s wall, ${r.cpuS === null ? '?' : r.cpuS.toFixed(2)} s CPU, peak RSS ${fmtBytes(r.peakRssKb * 1024)}, database ${fmtBytes(r.dbBytes)}; ${r.detail}`);
    }
  }

  const med = (rs: SideResult[], f: (r: SideResult) => number) => (rs.length ? median(rs.map(f)) : NaN);
  const best = (rs: SideResult[]) => (rs.length ? `${fmtS(Math.min(...rs.map((r) => r.wallMs)))} s` : '-');
  const bS = med(base, (r) => r.wallMs);
  const eS = med(ewb, (r) => r.wallMs);
  const rss = (rs: SideResult[]) => (rs.length ? fmtBytes(med(rs, (r) => r.peakRssKb) * 1024) : '-');
  const cpu = (rs: SideResult[]) => (rs.length && rs.every((r) => r.cpuS !== null) ? med(rs, (r) => r.cpuS!).toFixed(1) : '-');
  const s = (ms: number) => (Number.isNaN(ms) ? '-' : fmtS(ms));
  const lines = [
    '',
    `## ewb ingest vs plain DuckDB: ${fmtInt(N)} CloudTrail records, ${fmtInt(info.files)} objects, ${fmtBytes(info.bytesCompressed)} gz / ${fmtBytes(info.bytesUncompressed)} JSON (seed ${SEED}, median of ${REPEAT}${argv.reference ? ', ewb --reference' : ''}${argv['memory-limit'] ? `, EWB_MEMORY_LIMIT=${argv['memory-limit']}` : ''})`,
    '',
    '| date | machine | N | baseline s | ewb s | ratio | baseline peak RSS | ewb peak RSS | baseline CPU s | ewb CPU s |',
    '|---|---|---|---|---|---|---|---|---|---|',
    `| ${new Date().toISOString().slice(0, 10)} | ${machine()} | ${fmtInt(N)} | ${s(bS)} | ${s(eS)} | ${Number.isNaN(bS / eS) ? '-' : `${(eS / bS).toFixed(2)}×`} | ${rss(base)} | ${rss(ewb)} | ${cpu(base)} | ${cpu(ewb)} |`,
    '',
    `engine: ${fingerprint}; best wall: baseline ${best(base)}, ewb ${best(ewb)}; load average at start ${loadAtStart}, at end ${loadAvg()}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (argv.profile) await profileRun(dir);
}

await main();
