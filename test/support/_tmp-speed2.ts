import { readFileSync } from 'node:fs';
import { parseEvtxChunk } from '../../electron/engine/formats/evtx/reader.js';
const f = process.argv[2]!;
const b = new Uint8Array(readFileSync(f));
const chunk = b.subarray(4096, 4096 + 65536);
let n = 0;
for (let i = 0; i < 300; i++) n += parseEvtxChunk(chunk, 0, 4096).length;
const t = process.hrtime.bigint(); n = 0;
while (Number(process.hrtime.bigint() - t) < 3e9) { const r = parseEvtxChunk(chunk, 0, 4096); n += r.length; }
console.log(Math.round(n / 3), 'records/s (chunk 0 repeated)');
