/**
 * Throughput check for the EVTX reader: loads every corpus .evtx file
 * (evtx-attack-samples, evtx-to-mitre-attack, sigma-regression-data) into
 * memory, then decodes them repeatedly (records, XML, fields) and prints
 * records/s: for all files, for the files that hold only Security-channel
 * events, and for those files' fuller chunks laid out like a real Security
 * log (see securityLogShape). Records per CPU-second is printed too: on a
 * shared 2-core machine wall-clock figures move with whatever else runs.
 *
 * Run: node --import tsx test/support/evtx-speed.ts [seconds-per-measurement=5]
 */

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEvtx } from '../../electron/engine/formats/evtx/index.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const FOLDERS = ['evtx-attack-samples', 'evtx-to-mitre-attack', 'sigma-regression-data'];

function listEvtx(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listEvtx(p));
    else if (e.name.endsWith('.evtx')) out.push(p);
  }
  return out.sort();
}

interface Pass {
  records: number;
  damage: number;
  xmlChars: number;
}

function pass(buffers: Uint8Array[]): Pass {
  const r: Pass = { records: 0, damage: 0, xmlChars: 0 };
  for (const b of buffers) {
    for (const item of readEvtx(b)) {
      if (item.kind === 'record') {
        r.records++;
        r.xmlChars += item.xml.length; // keep the work observable
      } else r.damage++;
    }
  }
  return r;
}

function measure(label: string, buffers: Uint8Array[], seconds: number): void {
  const once = pass(buffers);
  for (let i = 0; i < 20; i++) pass(buffers); // let the JIT settle before timing
  let records = 0;
  let passes = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < seconds) {
    records += pass(buffers).records;
    passes++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${label}: ${buffers.length} files, ${once.records} records/pass, ${once.damage} damage items; ` +
      `${passes} passes in ${elapsed.toFixed(2)} s -> ${Math.round(records / elapsed)} records/s ` +
      `(${Math.round(records / cpuSeconds)} per CPU-second)`,
  );
}

/**
 * A Security log as Windows writes it: full chunks, each defining its
 * templates once and reusing them. The corpus files are small exports (a few
 * records each, so template decoding weighs far more than in a real log);
 * here every corpus chunk of a Security-only file holding at least 20
 * records is laid end to end, 10 times over, behind a copied file header.
 */
function securityLogShape(securityFiles: Uint8Array[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (const file of securityFiles) {
    for (let off = 4096; off + 65536 <= file.length; off += 65536) {
      const chunk = file.subarray(off, off + 65536);
      const n = [...readEvtx(Uint8Array.from([...file.subarray(0, 4096), ...chunk]))].length;
      if (n >= 20) chunks.push(chunk);
    }
  }
  const parts = [securityFiles[0]!.subarray(0, 4096)];
  for (let i = 0; i < 10; i++) parts.push(...chunks);
  return [new Uint8Array(Buffer.concat(parts))];
}

const seconds = Number(process.argv[2] ?? 5);
const files = FOLDERS.flatMap((f) => listEvtx(join(CORPUS, f)));
const buffers = files.map((p) => new Uint8Array(readFileSync(p)));
const security = buffers.filter((b) => {
  const recs = [...readEvtx(b)].filter((x) => x.kind === 'record');
  return recs.length > 0 && recs.every((x) => x.kind === 'record' && x.system.channel === 'Security');
});

measure('all corpus files', buffers, seconds);
measure('Security-only files', security, seconds);
measure('Security log shape (full chunks)', securityLogShape(security), seconds);
