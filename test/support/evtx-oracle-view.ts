/**
 * python3-evtx's tree (evtx-oracle.ts) normalised to what Event Viewer shows, and the corpus READMEs' tables: shared
 * by the reader's corpus test (evtx-corpus.test.ts) and the ingest corpus test (windows-evtx.test.ts). Each
 * difference between python-evtx and Windows is normalised here, with its reason; nothing else is changed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { OracleNode } from './evtx-oracle.js';
import { CORPUS } from './tmp-case.js';

export interface NElem {
  name: string;
  attrs: Array<[string, string]>;
  children: Array<NElem | string>;
}

const B64 = (s: string): string => Buffer.from(s, 'base64').toString('hex').toUpperCase();

/**
 * python-evtx string -> what Event Viewer shows, per python-evtx value type.
 * Returns null for a NULL value.
 */
export function normaliseOracleValue(ty: string, s: string, exact: string | undefined): string | null {
  switch (ty) {
    case 'NullTypeNode':
      return null;
    case 'Hex32TypeNode':
    case 'Hex64TypeNode':
      // python-evtx zero-pads to the type width (0x00000468); Windows prints 0x468.
      return '0x' + (s.slice(2).replace(/^0+/, '') || '0');
    case 'GuidTypeNode':
      // python-evtx prints lowercase; Event Viewer prints uppercase in braces.
      return s.toUpperCase();
    case 'BinaryTypeNode':
      // python-evtx prints base64; Event Viewer prints uppercase hex.
      return B64(s);
    case 'BooleanTypeNode':
      // python-evtx prints Python's True/False; Windows prints true/false.
      return s.toLowerCase();
    case 'SizeTypeNode':
      // win:Pointer: python-evtx prints decimal; Windows prints 0x-hex.
      return '0x' + BigInt(s).toString(16);
    case 'FiletimeTypeNode':
      // python-evtx converts via a float (can be 1 us off) and prints
      // "YYYY-MM-DD HH:MM:SS.ffffff"; the oracle's exact integer conversion
      // to 7 fractional digits is used instead.
      if (exact === undefined) throw new Error('oracle FILETIME without exact value');
      return exact;
    case 'SystemtimeTypeNode': {
      // python-evtx: "YYYY-MM-DD HH:MM:SS[.ffffff]"; ours: ISO with 7 digits.
      const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{6}))?$/.exec(s);
      if (!m) throw new Error(`unexpected SYSTEMTIME rendering ${s}`);
      return `${m[1]}T${m[2]}.${(m[3] ?? '000000').slice(0, 3)}0000Z`;
    }
    default:
      return s;
  }
}

/** python-evtx renders a string array as "<string>a</string>\n<string>b</string>\n". */
function splitOracleStringArray(s: string): string[] {
  const items: string[] = [];
  const re = /<string>([\s\S]*?)<\/string>\n/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(s)) !== null) {
    items.push(m[1]!);
    consumed = re.lastIndex;
  }
  if (consumed !== s.length) throw new Error(`unparsed string array rendering ${JSON.stringify(s)}`);
  return items;
}

function isNullOptional(n: OracleNode): boolean {
  return n.k === 's' && n.opt && n.ty === 'NullTypeNode';
}

export function normaliseNodes(nodes: OracleNode[], out: Array<NElem | string>): void {
  for (const n of nodes) {
    switch (n.k) {
      case 'e': {
        // Windows (and libyal) leave out an element whose only content is
        // optional substitutions with NULL values; python-evtx keeps it empty.
        if (n.c.length > 0 && n.c.every(isNullOptional)) break;
        const attrs: Array<[string, string]> = [];
        for (const [name, parts] of n.a) {
          // Same for an attribute holding an optional NULL substitution.
          if (parts.some(isNullOptional)) continue;
          const tmp: Array<NElem | string> = [];
          normaliseNodes(parts, tmp);
          attrs.push([name, tmp.map((t) => (typeof t === 'string' ? t : '')).join('')]);
        }
        const only = n.c.length === 1 ? n.c[0]! : null;
        if (only && only.k === 's' && only.ty === 'WstringArrayTypeNode') {
          // Windows repeats the element once per array item (classic events'
          // <Data> list); python-evtx puts pseudo-XML into one element, and its
          // splitter misplaces empty items, so the oracle's plain NUL split
          // (`items`) gives the order; python-evtx must agree on the rest.
          const items = only.items!;
          expect(splitOracleStringArray(only.s).filter((x) => x !== '')).toEqual(items.filter((x) => x !== ''));
          if (items.length === 0) out.push({ name: n.n, attrs, children: [] });
          for (const item of items) out.push({ name: n.n, attrs, children: item ? [item] : [] });
          break;
        }
        const children: Array<NElem | string> = [];
        normaliseNodes(n.c, children);
        out.push({ name: n.n, attrs, children });
        break;
      }
      case 'v':
        out.push(normaliseOracleValue(n.ty, n.s, undefined) ?? '');
        break;
      case 's': {
        const v = normaliseOracleValue(n.ty, n.s, n.exact);
        if (v !== null && v !== '') out.push(v);
        break;
      }
      case 'x':
        normaliseNodes(n.c, out);
        break;
      case 'cdata':
      case 'ent':
      case 'char':
      case 'pi':
        throw new Error(`corpus unexpectedly holds a ${n.k} node; extend the oracle normalisation`);
    }
  }
}

export function textOf(el: NElem): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

export function child(el: NElem | undefined, name: string): NElem | undefined {
  return el?.children.find((c): c is NElem => typeof c !== 'string' && c.name === name);
}

export function attrOf(el: NElem | undefined, name: string): string | null {
  return el?.attrs.find(([n]) => n === name)?.[1] ?? null;
}

/** The documented flattening rule (render.ts header), written again here independently. */
export function flattenOracle(event: NElem): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: string, v: string): void => {
    let key = k;
    for (let i = 1; Object.hasOwn(out, key); i++) key = k + i;
    out[key] = v;
  };
  const leaves = (el: NElem): void => {
    for (const c of el.children) {
      if (typeof c === 'string') continue;
      if (c.children.some((x) => typeof x !== 'string')) leaves(c);
      else put(c.name, textOf(c));
    }
  };
  for (const sec of event.children) {
    if (typeof sec === 'string') continue;
    if (sec.name === 'EventData') {
      for (const c of sec.children) {
        if (typeof c === 'string') continue;
        if (c.name === 'Data') put(attrOf(c, 'Name') ?? 'Data', textOf(c));
        else if (c.children.some((x) => typeof x !== 'string')) leaves(c);
        else put(c.name, textOf(c));
      }
    } else if (sec.name === 'UserData') {
      leaves(sec);
    }
  }
  return out;
}

/** Oracle's TimeCreated: FILETIME values are exact; literal text is cut to 7 digits like the reader. */
export function oracleTime(s: string | null): string | null {
  if (s === null) return null;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d+)Z$/.exec(s);
  return m ? `${m[1]}.${m[2]!.padEnd(7, '0').slice(0, 7)}Z` : s;
}

// The corpus READMEs' tables (parsed, not retyped)

export interface ReadmeRow {
  file: string;
  records: number;
  channelEvents: string | null;
  timeRange: string | null;
}

/** `| \`file\` | records | [Channel:EventID×n | ]time range |` rows of the attack-samples and mitre READMEs. */
export function readmeRows(folder: string): Map<string, ReadmeRow> {
  const text = readFileSync(join(CORPUS, folder, 'README.md'), 'utf8');
  const rows = new Map<string, ReadmeRow>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | `file` | records | [Channel:EventID×n | ]time range |
    if (cells.length < 4 || !/^`.*\.evtx`$/.test(cells[1]!)) continue;
    const file = cells[1]!.slice(1, -1);
    const records = Number(cells[2]);
    if (cells.length === 6) rows.set(file, { file, records, channelEvents: cells[3]!, timeRange: cells[4]! });
    else rows.set(file, { file, records, channelEvents: null, timeRange: cells[3]! });
  }
  return rows;
}

/** The sigma README lists case directories with "records" and "Channel:EventID" columns. */
export function sigmaRows(): Map<string, { records: number; channelEvents: string }> {
  const text = readFileSync(join(CORPUS, 'sigma-regression-data', 'README.md'), 'utf8');
  const rows = new Map<string, { records: number; channelEvents: string }>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length !== 7 || !/^`rules\/windows\//.test(cells[1]!)) continue;
    rows.set(cells[1]!.slice(1, -1), { records: Number(cells[4]), channelEvents: cells[5]! });
  }
  return rows;
}
