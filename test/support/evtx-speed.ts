/**
 * Throughput check for the EVTX reader: reads every corpus .evtx file
 * (evtx-attack-samples, evtx-to-mitre-attack, sigma-regression-data) into
 * memory, then decodes all of them repeatedly and prints records/s.
 *
 * Run: node --import tsx test/support/evtx-speed.ts [seconds=5]
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
  return out;
}

function pass(buffers: Uint8Array[]): { records: number; damage: number; xmlChars: number } {
  let records = 0;
  let damage = 0;
  let xmlChars = 0;
  for (const b of buffers) {
    for (const item of readEvtx(b)) {
      if (item.kind === 'record') {
        records++;
        xmlChars += item.xml.length; // keep the work observable
      } else damage++;
    }
  }
  return { records, damage, xmlChars };
}

const seconds = Number(process.argv[2] ?? 5);
const buffers = FOLDERS.flatMap((f) => listEvtx(join(CORPUS, f))).map((p) => new Uint8Array(readFileSync(p)));
const bytes = buffers.reduce((n, b) => n + b.length, 0);

// Warm-up so the JIT has compiled the hot paths before timing.
const once = pass(buffers);
for (let i = 0; i < 20; i++) pass(buffers);

let records = 0;
let passes = 0;
const start = process.hrtime.bigint();
let elapsed = 0;
while (elapsed < seconds) {
  records += pass(buffers).records;
  passes++;
  elapsed = Number(process.hrtime.bigint() - start) / 1e9;
}

console.log(`files: ${buffers.length} (${(bytes / 1048576).toFixed(1)} MiB), records per pass: ${once.records}, damage items: ${once.damage}`);
console.log(`passes: ${passes} in ${elapsed.toFixed(2)} s`);
console.log(`records/s: ${Math.round(records / elapsed)}`);
