/**
 * Looks at the first bytes of a JSON-ish member to decide its layout (JSON Lines, array, `{"Records": [...]}`, one or
 * more concatenated documents) and to pull a few complete sample records for the format sniffers. Only the sample
 * is parsed here (with JSON.parse); whole members are parsed by DuckDB. Layer: engine.
 */
import { JsonFramer, type JsonLayout } from '../framing/json-framer.js';
import type { RecordSink } from '../framing/types.js';
import type { Framing } from './types.js';

export type JsonShape =
  | { kind: 'jsonl'; samples: unknown[] }
  | { kind: 'json'; layout: JsonLayout; recordsKey?: string; samples: unknown[]; topKeys: string[] };

/** Thrown by the sampling sink to stop framing once enough records are in hand. */
const STOP = new Error('enough samples');

function samplesFrom(text: string, layout: JsonLayout, key?: string): { samples: unknown[]; otherKeys: string[]; found: boolean } {
  const samples: unknown[] = [];
  let damaged = false;
  const sink: RecordSink = {
    record(raw) {
      if (samples.length >= 20) return;
      if (samples.length >= 8 && layout !== 'concat') throw STOP;
      try {
        samples.push(JSON.parse(raw.toString('utf8')));
      } catch {
        samples.push(undefined);
      }
    },
    reject() {},
    damage() {
      damaged = true;
    },
  };
  const f = new JsonFramer(sink, { maxRecordBytes: 64 * 1024 * 1024 }, layout, key);
  try {
    f.push(Buffer.from(text, 'utf8'));
  } catch (e) {
    if (e !== STOP) throw e;
  }
  return { samples, otherKeys: f.otherTopLevelKeys, found: !damaged || samples.length > 0 };
}

let lastText: string | null = null;
let lastComplete = false;
let lastShape: JsonShape | null = null;

/**
 * The JSON shape of a sample. Several format modules ask about the same sample in a row, so the last answer is kept
 * (the same string object is passed each time, so the comparison is a pointer check).
 */
export function sniffJsonShape(text: string, complete: boolean): JsonShape | null {
  if (text === lastText && complete === lastComplete) return lastShape;
  lastShape = computeShape(text, complete);
  lastText = text;
  lastComplete = complete;
  return lastShape;
}

function computeShape(text: string, complete: boolean): JsonShape | null {
  const t = text.trimStart();
  if (t.length === 0) return null;
  const first = t[0];
  if (first === '[') {
    const { samples } = samplesFrom(t, 'array');
    return { kind: 'json', layout: 'array', samples, topKeys: [] };
  }
  if (first !== '{') return null;
  // JSON Lines: the first line is a complete value and the next non-blank line starts another one. (A sample with no
  // line break in it is a long single-line document: JSON Lines cannot be told from it, and parsing it would fail.)
  const nl = t.indexOf('\n');
  const lines = nl >= 0 || complete ? t.split('\n') : [t];
  const firstLine = lines[0]!.trim();
  let firstOk = false;
  if (nl >= 0 || complete) {
    try {
      JSON.parse(firstLine);
      firstOk = true;
    } catch {
      firstOk = false;
    }
  }
  if (firstOk) {
    const rest = lines.slice(1).map((l) => l.trim()).filter((l) => l.length > 0);
    if (rest.length > 0 || complete) {
      const samples: unknown[] = [];
      for (const l of [firstLine, ...rest].slice(0, 20)) {
        try {
          samples.push(JSON.parse(l));
        } catch {
          /* a bad line in the sample; the loader will reject it with its reason */
        }
      }
      const looksObject = rest.length === 0 || rest[0]!.startsWith('{');
      if (looksObject) {
        // A single-line file holding {"Records":[...]} is a document, not JSON Lines.
        const only = samples[0] as Record<string, unknown> | undefined;
        if (!(rest.length === 0 && only && Array.isArray(only['Records']))) return { kind: 'jsonl', samples };
      }
    }
  }
  const rec = samplesFrom(t, 'records', 'Records');
  if (rec.samples.length > 0 || /^\{\s*"Records"\s*:/.test(t)) {
    return { kind: 'json', layout: 'records', recordsKey: 'Records', samples: rec.samples, topKeys: rec.otherKeys };
  }
  const cc = samplesFrom(t, 'concat');
  return { kind: 'json', layout: 'concat', samples: cc.samples, topKeys: [] };
}

/** Flattens an object's leaf paths (dotted) to a depth, for time-field detection. */
export function leafPaths(o: unknown, depth = 3, prefix = ''): Array<[string, unknown]> {
  if (o === null || typeof o !== 'object' || Array.isArray(o) || depth === 0) return prefix ? [[prefix, o]] : [];
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) out.push(...leafPaths(v, depth - 1, p));
    else out.push([p, v]);
  }
  return out;
}

/** The most frequent value (the first seen among equals), or null for none: a member's shape decided by its samples. */
export function majority<T>(xs: T[]): T | null {
  const counts = new Map<T, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: T | null = null;
  let n = 0;
  for (const [k, c] of counts) if (c > n) [best, n] = [k, c];
  return best;
}

export type Obj = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export function isObj(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** The parsed text, or undefined when it is not JSON (sniffing a sample; never for loading). */
export function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** Up to `max` records of the `key` array of a (possibly truncated) JSON document, cut by the JSON framer. */
export function sampleKeyedRecords(text: string, key: string, max = 20): unknown[] {
  const out: unknown[] = [];
  const stop = new Error('enough');
  const sink: RecordSink = {
    record(raw) {
      if (out.length >= max) throw stop;
      try {
        out.push(JSON.parse(raw.toString('utf8')));
      } catch {
        out.push(undefined);
      }
    },
    reject() {},
    damage() {},
  };
  try {
    new JsonFramer(sink, { maxRecordBytes: 64 * 1024 * 1024 }, 'records', key).push(Buffer.from(text, 'utf8'));
  } catch (e) {
    if (e !== stop) throw e;
  }
  return out;
}

/** How to frame a member of this shape: one record per line, the records of a `{"key": [...]}` document, or the
 * elements of an array / the concatenated documents. */
export function shapeFraming(shape: JsonShape): Framing {
  if (shape.kind === 'jsonl') return { kind: 'lines' };
  return shape.layout === 'records' ? { kind: 'json', layout: 'records', recordsKey: shape.recordsKey } : { kind: 'json', layout: shape.layout };
}
