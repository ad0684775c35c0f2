/**
 * EVTX speed: records per second of the bare streaming reader (windows-evtx-reader.ts: decode, XML, JSON for the
 * mapping) and of a whole `ewb ingest` (reader + staging + SQL mapping + commit), on at least 200,000 records.
 *
 * Data: a synthetic EVTX file built from corpus records, laid out like a real busy log: every chunk of the corpus
 * files (evtx-attack-samples, evtx-to-mitre-attack, sigma-regression-data) that reads without damage and holds at
 * least --min-records records, repeated behind a copied file header (chunk count and header CRC recomputed) until
 * --records is reached. Chunks are copied byte for byte, so each keeps its own checksums and record numbers. The
 * file goes to a temp folder and is removed afterwards (--keep to keep it).
 *
 * Run: node --import tsx bench/evtx.bench.ts [--records 200000] [--min-records 20] [--repeat 1] [--keep]
 * (the ingest part needs the CLI: npm run build:node).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { parseEvtxChunk } from '../electron/engine/formats/evtx/index.js';
import { readEvtxMember, type EvtxReadStats } from '../electron/engine/formats/windows-evtx-reader.js';
import type { RecordSink } from '../electron/engine/framing/types.js';
import type { IngestReport } from '../shared/ingest.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const FOLDERS = ['evtx-attack-samples', 'evtx-to-mitre-attack', 'sigma-regression-data'];
const EWB = path.join(ROOT, 'bin', 'ewb.mjs');
const CHUNK = 65536;
const HEADER = 4096;

const { values: argv } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    'min-records': { type: 'string', default: '20' },
    repeat: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const TARGET = Number(argv.records);
const MIN_RECORDS = Number(argv['min-records']);
const REPEAT = Number(argv.repeat);

function listEvtx(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listEvtx(p));
    else if (e.name.endsWith('.evtx')) out.push(p);
  }
  return out.sort();
}

/** Corpus chunks that read cleanly and hold at least `min` records, with their record counts. */
function corpusChunks(min: number): Array<{ bytes: Buffer; records: number }> {
  const chunks: Array<{ bytes: Buffer; records: number }> = [];
  for (const file of FOLDERS.flatMap((f) => listEvtx(path.join(CORPUS, f)))) {
    const b = fs.readFileSync(file);
    for (let off = HEADER; off + CHUNK <= b.length; off += CHUNK) {
      const bytes = b.subarray(off, off + CHUNK);
      if (bytes.subarray(0, 8).toString('latin1') !== 'ElfChnk\0') continue;
      const items = parseEvtxChunk(bytes, 0, HEADER);
      if (items.some((i) => i.kind === 'damage')) continue;
      if (items.length >= min) chunks.push({ bytes: Buffer.from(bytes), records: items.length });
    }
  }
  return chunks;
}

/** Writes the synthetic file; returns its path and record count. */
function buildFile(dir: string): { file: string; records: number; chunks: number } {
  const pool = corpusChunks(MIN_RECORDS);
  if (pool.length === 0) throw new Error(`no corpus chunk holds ${MIN_RECORDS} records; lower --min-records`);
  const headerSource = fs.readFileSync(listEvtx(path.join(CORPUS, FOLDERS[0]!))[0]!).subarray(0, HEADER);
  const parts: Buffer[] = [];
  let records = 0;
  while (records < TARGET) {
    for (const c of pool) {
      parts.push(c.bytes);
      records += c.records;
      if (records >= TARGET) break;
    }
  }
  if (parts.length > 0xffff) throw new Error(`${parts.length} chunks do not fit the header's 16-bit chunk count`);
  const header = Buffer.from(headerSource);
  header.writeBigUInt64LE(0n, 8); // first chunk
  header.writeBigUInt64LE(BigInt(parts.length - 1), 16); // last chunk
  header.writeUInt16LE(parts.length, 42); // chunk count
  header.writeUInt32LE(header.readUInt32LE(120) & ~1, 120); // not dirty
  header.writeUInt32LE(crc32(header.subarray(0, 120)) >>> 0, 124);
  const file = path.join(dir, `synthetic-${records}.evtx`);
  fs.writeFileSync(file, Buffer.concat([header, ...parts]));
  return { file, records, chunks: parts.length };
}

async function bareReader(file: string): Promise<{ ms: number; cpuMs: number; stats: EvtxReadStats }> {
  const stats: EvtxReadStats = { records: 0, rejected: 0, chunks: 0, damage: [] };
  let bytes = 0;
  // The same work per record as an ingest's sink receives: XML as UTF-8 bytes and the JSON for the mapping.
  const sink: RecordSink = {
    record(raw, _line, _offset, parsed) {
      bytes += raw.length + (parsed?.length ?? 0);
    },
    reject() {},
    damage() {},
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await readEvtxMember(fs.createReadStream(file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>, sink, { path: file, size: null }, stats);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (bytes === 0) throw new Error('reader produced nothing');
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, stats };
}

const TIME_BIN = '/usr/bin/time';

/** One `ewb ingest` in a child process; CPU seconds (user + system) measured by GNU time when it is installed. */
function ingest(file: string, work: string, i: number): { ms: number; cpuMs: number | null; report: IngestReport } {
  const kase = path.join(work, `case-${i}`);
  execFileSync(process.execPath, [EWB, 'case', 'create', kase, '--name', 'evtx bench', '--org', 'bench', '--period-start', '2015-01-01', '--period-end', '2026-12-31'], { stdio: 'ignore' });
  const timeFile = path.join(work, `time-${i}.txt`);
  const useTime = fs.existsSync(TIME_BIN);
  const cmd = useTime ? TIME_BIN : process.execPath;
  const args = [...(useTime ? ['-f', '%U %S', '-o', timeFile, process.execPath] : []), EWB, 'ingest', kase, file, '--json', '--reference'];
  const t0 = performance.now();
  let out: string;
  try {
    out = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '');
    if (!out) throw e;
  }
  const ms = performance.now() - t0;
  let cpuMs: number | null = null;
  if (useTime && fs.existsSync(timeFile)) {
    const [u, s] = fs.readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
    if (Number.isFinite(u) && Number.isFinite(s)) cpuMs = (u! + s!) * 1000;
  }
  return { ms, cpuMs, report: JSON.parse(out) as IngestReport };
}

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ewb-evtx-bench-'));
try {
  const built = buildFile(work);
  const size = fs.statSync(built.file).size;
  console.log(`synthetic EVTX: ${built.records.toLocaleString('en-US')} records in ${built.chunks} chunks (${(size / 1048576).toFixed(1)} MiB) at ${built.file}`);
  for (let r = 0; r < REPEAT; r++) {
    const bare = await bareReader(built.file);
    if (bare.stats.records !== built.records || bare.stats.damage.length > 0) {
      throw new Error(`reader read ${bare.stats.records} records (expected ${built.records}), damage: ${bare.stats.damage.join('; ')}`);
    }
    console.log(`bare reader: ${bare.stats.records.toLocaleString('en-US')} records in ${(bare.ms / 1000).toFixed(2)} s -> ${rate(bare.stats.records, bare.ms)} records/s (${rate(bare.stats.records, bare.cpuMs)} per CPU-second)`);
    if (!fs.existsSync(path.join(ROOT, 'out', 'node', 'electron', 'cli', 'main.js'))) {
      console.log('ewb ingest: skipped (build the CLI first: npm run build:node)');
      continue;
    }
    const run = ingest(built.file, work, r);
    const t = run.report.totals;
    if (t.records !== built.records || t.loaded !== built.records || t.rejected !== 0) {
      throw new Error(`ingest accounted ${JSON.stringify(t)}, expected ${built.records} loaded`);
    }
    const cpu = run.cpuMs === null ? '' : ` (${rate(t.loaded, run.cpuMs)} per CPU-second)`;
    console.log(`ewb ingest:  ${t.loaded.toLocaleString('en-US')} records in ${(run.ms / 1000).toFixed(2)} s -> ${rate(t.loaded, run.ms)} records/s${cpu}; case create excluded, --reference (no evidence copy)`);
  }
} finally {
  if (argv.keep) console.log(`kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}
