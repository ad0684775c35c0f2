/** A RecordSink that keeps everything it is given, for framer tests. */
import type { RecordSink } from '../../electron/engine/framing/types.js';

export interface Collected {
  records: Array<{ raw: string; line: number | null; offset: number | null; parsed?: string }>;
  rejects: Array<{ raw: string; line: number | null; offset: number | null; reason: string }>;
  damages: string[];
}

export function collectSink(): RecordSink & Collected {
  const c: Collected = { records: [], rejects: [], damages: [] };
  return {
    ...c,
    record(raw, line, offset, parsed) {
      c.records.push({ raw: raw.toString('utf8'), line, offset, ...(parsed !== undefined ? { parsed } : {}) });
    },
    reject(raw, line, offset, reason) {
      c.rejects.push({ raw: raw.toString('utf8'), line, offset, reason });
    },
    damage(reason) {
      c.damages.push(reason);
    },
  };
}

/** Feeds `text` to a framer cut into pieces at the given positions. */
export function feed(push: (b: Buffer) => void, text: string | Buffer, cuts: number[]): void {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let prev = 0;
  for (const c of [...cuts, buf.length]) {
    push(buf.subarray(prev, c));
    prev = c;
  }
}
