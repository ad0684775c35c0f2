/**
 * Test-only EVTX writer: builds small, exact EVTX files and chunks from a
 * description of records (templates, substitutions, nested BinXML), so the
 * reader's unit tests can aim at one structure or one kind of damage at a
 * time. Written from the format description (libyal EVTX, [MS-EVEN6]), not
 * from the reader, so that the two can disagree.
 *
 * Owns: byte layout of file header, chunk header (with CRCs), records,
 * BinXML tokens, the chunk name table (first use inline, later by offset) and
 * template definitions (first use inline, later by offset).
 */

import { crc32 } from 'node:zlib';

// -- description types -----------------------------------------------------------

export type Part =
  | { text: string }
  | { sub: number; type?: number; optional?: boolean }
  | { charref: number }
  | { entity: string };

export interface Elem {
  el: string;
  attrs?: Array<[string, Part | Part[]]>;
  children?: Node[];
  /** Dependency identifier (default 0xFFFF). */
  dep?: number;
  /** Leave the dependency identifier out of the element header (forwarded-event layout). */
  noDep?: boolean;
}

export type Node = Elem | Part | { cdata: string } | { pi: [string, string] };

export interface Template {
  id: number;
  body: Elem;
}

export interface Val {
  type: number;
  bytes?: Uint8Array;
  /** For type 0x21: a nested BinXML document, laid out where the value lands. */
  doc?: Doc;
}

export type Doc = { template: Template; values: Val[] } | { element: Elem };

// -- value helpers ------------------------------------------------------------------

export const utf16z = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s + '\0', 'utf16le'));
export const utf16 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'utf16le'));

export function le(n: number | bigint, width: number): Uint8Array {
  const out = new Uint8Array(width);
  let v = BigInt.asUintN(width * 8, BigInt(n));
  for (let i = 0; i < width; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export const V = {
  null: (): Val => ({ type: 0x00, bytes: new Uint8Array(0) }),
  str: (s: string): Val => ({ type: 0x01, bytes: utf16z(s) }),
  u8: (n: number): Val => ({ type: 0x04, bytes: le(n, 1) }),
  u16: (n: number): Val => ({ type: 0x06, bytes: le(n, 2) }),
  u32: (n: number): Val => ({ type: 0x08, bytes: le(n, 4) }),
  u64: (n: bigint): Val => ({ type: 0x0a, bytes: le(n, 8) }),
  hex64: (n: bigint): Val => ({ type: 0x15, bytes: le(n, 8) }),
  filetime: (n: bigint): Val => ({ type: 0x11, bytes: le(n, 8) }),
  binxml: (doc: Doc): Val => ({ type: 0x21, doc }),
  raw: (type: number, bytes: Uint8Array | number[]): Val => ({ type, bytes: Uint8Array.from(bytes) }),
};

/** FILETIME of an ISO instant with 100 ns precision ("2019-03-19T23:34:25.1234567Z"). */
export function filetimeOf(iso: string): bigint {
  const m = /^(.*)\.(\d{7})Z$/.exec(iso);
  if (!m) throw new Error(`need 7 fractional digits: ${iso}`);
  const ms = Date.parse(m[1] + 'Z');
  return (BigInt(ms) + 11644473600000n) * 10000n + BigInt(m[2]!);
}

// -- chunk writer --------------------------------------------------------------------

const CHUNK_SIZE = 65536;

function nameHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 65599) + s.charCodeAt(i)) >>> 0;
  return h & 0xffff;
}

export interface RecordSpec {
  id: bigint;
  /** Record header FILETIME (0n for none). */
  time: bigint;
  doc: Doc;
}

export interface ChunkOptions {
  /** Overrides for header fields, applied before the checksums are computed. */
  firstNumber?: bigint;
  lastNumber?: bigint;
  freeSpace?: number;
  /** Leave the checksums wrong (after computing them). */
  breakHeaderCrc?: boolean;
  breakDataCrc?: boolean;
}

export class ChunkWriter {
  readonly buf = new Uint8Array(CHUNK_SIZE);
  pos = 512;
  private readonly names = new Map<string, number>();
  private readonly templates = new Map<Template, number>();
  readonly records: Array<{ id: bigint; offset: number; size: number }> = [];

  // primitive writes at pos
  private u8(n: number): void {
    this.buf[this.pos++] = n & 0xff;
  }
  private u16(n: number): void {
    this.buf.set(le(n, 2), this.pos);
    this.pos += 2;
  }
  private u32(n: number): void {
    this.buf.set(le(n, 4), this.pos);
    this.pos += 4;
  }
  private bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  private patch32(at: number, n: number): void {
    this.buf.set(le(n, 4), at);
  }

  /** Name offset, written inline here when the name is new to the chunk. */
  private nameRef(name: string): void {
    const known = this.names.get(name);
    if (known !== undefined) {
      this.u32(known);
      return;
    }
    const at = this.pos + 4;
    this.u32(at);
    this.names.set(name, at);
    this.u32(0);
    this.u16(nameHash(name));
    this.u16(name.length);
    this.bytes(utf16z(name));
  }

  private part(p: Part, more: boolean): void {
    if ('text' in p) {
      this.u8(more ? 0x45 : 0x05);
      this.u8(0x01);
      this.u16(p.text.length);
      this.bytes(utf16(p.text));
    } else if ('sub' in p) {
      this.u8(p.optional ? 0x0e : 0x0d);
      this.u16(p.sub);
      this.u8(p.type ?? 0x01);
    } else if ('charref' in p) {
      this.u8(more ? 0x48 : 0x08);
      this.u16(p.charref);
    } else {
      this.u8(more ? 0x49 : 0x09);
      this.nameRef(p.entity);
    }
  }

  private node(n: Node): void {
    if ('el' in n) this.element(n);
    else if ('cdata' in n) {
      this.u8(0x07);
      this.u16(n.cdata.length);
      this.bytes(utf16(n.cdata));
    } else if ('pi' in n) {
      this.u8(0x0a);
      this.nameRef(n.pi[0]);
      this.u8(0x0b);
      this.u16(n.pi[1].length);
      this.bytes(utf16(n.pi[1]));
    } else this.part(n, false);
  }

  element(e: Elem): void {
    const attrs = e.attrs ?? [];
    const start = this.pos;
    this.u8(attrs.length > 0 ? 0x41 : 0x01);
    if (!e.noDep) this.u16(e.dep ?? 0xffff);
    const sizeAt = this.pos;
    this.u32(0);
    this.nameRef(e.el);
    if (attrs.length > 0) {
      const listAt = this.pos;
      this.u32(0);
      attrs.forEach(([name, value], i) => {
        this.u8(i < attrs.length - 1 ? 0x46 : 0x06);
        this.nameRef(name);
        const parts = Array.isArray(value) ? value : [value];
        parts.forEach((p, j) => this.part(p, j < parts.length - 1));
      });
      this.patch32(listAt, this.pos - listAt - 4);
    }
    const children = e.children ?? [];
    if (children.length === 0) this.u8(0x03);
    else {
      this.u8(0x02);
      for (const c of children) this.node(c);
      this.u8(0x04);
    }
    this.patch32(sizeAt, this.pos - start - (e.noDep ? 5 : 7));
  }

  /** Fragment header, then the document body, then end-of-stream. */
  doc(d: Doc): void {
    this.bytes(Uint8Array.of(0x0f, 0x01, 0x01, 0x00));
    if ('element' in d) this.element(d.element);
    else this.instance(d.template, d.values);
    this.u8(0x00);
  }

  private instance(t: Template, values: Val[]): void {
    this.u8(0x0c);
    this.u8(0x01);
    this.u32(t.id);
    const known = this.templates.get(t);
    if (known !== undefined) {
      this.u32(known);
    } else {
      const at = this.pos + 4;
      this.u32(at);
      this.templates.set(t, at);
      this.u32(0); // next definition
      this.bytes(le(t.id, 4));
      this.bytes(new Uint8Array(12).fill(0xab));
      const sizeAt = this.pos;
      this.u32(0);
      const dataStart = this.pos;
      this.bytes(Uint8Array.of(0x0f, 0x01, 0x01, 0x00));
      this.element(t.body);
      this.u8(0x00);
      this.patch32(sizeAt, this.pos - dataStart);
    }
    this.u32(values.length);
    // Sizes of nested documents depend only on which names and templates are
    // new, not on where they land, so a dry run gives the descriptor sizes.
    const sizes = values.map((v) => (v.doc ? this.dryRunSize(v.doc) : v.bytes!.length));
    values.forEach((v, i) => {
      this.u16(sizes[i]!);
      this.u8(v.type);
      this.u8(0);
    });
    for (const v of values) {
      if (v.doc) this.doc(v.doc);
      else this.bytes(v.bytes!);
    }
  }

  private dryRunSize(d: Doc): number {
    const savedPos = this.pos;
    const savedBuf = this.buf.slice();
    const names = new Map(this.names);
    const templates = new Map(this.templates);
    this.doc(d);
    const size = this.pos - savedPos;
    this.buf.set(savedBuf);
    this.pos = savedPos;
    this.names.clear();
    for (const [k, v] of names) this.names.set(k, v);
    this.templates.clear();
    for (const [k, v] of templates) this.templates.set(k, v);
    return size;
  }

  /** Appends a record; returns its chunk offset. Sizes are padded to 8 bytes. */
  record(r: RecordSpec): number {
    const start = this.pos;
    this.u32(0x00002a2a);
    this.u32(0);
    this.bytes(le(r.id, 8));
    this.bytes(le(r.time, 8));
    this.doc(r.doc);
    while ((this.pos + 4 - start) % 8 !== 0) this.u8(0);
    const size = this.pos + 4 - start;
    this.u32(size);
    this.patch32(start + 4, size);
    this.records.push({ id: r.id, offset: start, size });
    return start;
  }

  /** Writes the chunk header fields and checksums. */
  finish(o: ChunkOptions = {}): Uint8Array {
    const b = this.buf;
    b.set(Buffer.from('ElfChnk\0', 'latin1'), 0);
    const first = this.records[0]?.id ?? 1n;
    const last = this.records.at(-1)?.id ?? 0n;
    b.set(le(o.firstNumber ?? first, 8), 8);
    b.set(le(o.lastNumber ?? last, 8), 16);
    b.set(le(o.firstNumber ?? first, 8), 24);
    b.set(le(o.lastNumber ?? last, 8), 32);
    b.set(le(128, 4), 40);
    b.set(le(this.records.at(-1)?.offset ?? 0, 4), 44);
    const free = o.freeSpace ?? this.pos;
    b.set(le(free, 4), 48);
    b.set(le(crc32(b.subarray(512, Math.min(free, CHUNK_SIZE))) ^ (o.breakDataCrc ? 1 : 0), 4), 52);
    b.set(le(1, 4), 120);
    const headerCrc = crc32(Buffer.concat([b.subarray(0, 120), b.subarray(128, 512)]));
    b.set(le(headerCrc ^ (o.breakHeaderCrc ? 1 : 0), 4), 124);
    return b;
  }
}

export interface FileOptions {
  /** Header's last chunk number (default: chunks.length - 1). */
  lastChunk?: number;
  chunkCount?: number;
  flags?: number;
  breakCrc?: boolean;
}

/** File header (4096 bytes) followed by the given chunk images. */
export function evtxFile(chunks: Uint8Array[], o: FileOptions = {}): Uint8Array {
  const h = new Uint8Array(4096);
  h.set(Buffer.from('ElfFile\0', 'latin1'), 0);
  h.set(le(0, 8), 8);
  h.set(le(o.lastChunk ?? chunks.length - 1, 8), 16);
  h.set(le(100, 8), 24);
  h.set(le(128, 4), 32);
  h.set(le(1, 2), 36);
  h.set(le(3, 2), 38);
  h.set(le(4096, 2), 40);
  h.set(le(o.chunkCount ?? chunks.length, 2), 42);
  h.set(le(o.flags ?? 0, 4), 120);
  h.set(le(crc32(h.subarray(0, 120)) ^ (o.breakCrc ? 1 : 0), 4), 124);
  return Uint8Array.from(Buffer.concat([h, ...chunks]));
}

// -- a typical event shape -----------------------------------------------------------

/**
 * A Security-style System template: values 0..8 are
 * EventID(u16), Level(u8), TimeCreated(FILETIME), EventRecordID(u64),
 * Channel(str), Computer(str), Keywords(hex64), UserID(SID or null), payload(BinXML).
 */
export const SYSTEM_TEMPLATE: Template = {
  id: 0x1111,
  body: {
    el: 'Event',
    attrs: [['xmlns', { text: 'http://schemas.microsoft.com/win/2004/08/events/event' }]],
    children: [
      {
        el: 'System',
        children: [
          { el: 'Provider', attrs: [['Name', { text: 'Test-Provider' }], ['Guid', { text: '{54849625-5478-4994-A5BA-3E3B0328C30D}' }]] },
          { el: 'EventID', children: [{ sub: 0, type: 0x06 }] },
          { el: 'Level', children: [{ sub: 1, type: 0x04 }] },
          { el: 'Keywords', children: [{ sub: 6, type: 0x15 }] },
          { el: 'TimeCreated', attrs: [['SystemTime', { sub: 2, type: 0x11 }]] },
          { el: 'EventRecordID', children: [{ sub: 3, type: 0x0a }] },
          { el: 'Correlation' },
          { el: 'Channel', children: [{ sub: 4 }] },
          { el: 'Computer', children: [{ sub: 5 }] },
          { el: 'Security', attrs: [['UserID', { sub: 7, type: 0x13, optional: true }]] },
        ],
      },
      { sub: 8, type: 0x21, optional: true },
    ],
  },
};

export function systemValues(o: {
  eventId: number;
  time: bigint;
  eventRecordId: bigint;
  payload: Val;
  channel?: string;
  computer?: string;
}): Val[] {
  return [
    V.u16(o.eventId),
    V.u8(4),
    V.filetime(o.time),
    V.u64(o.eventRecordId),
    V.str(o.channel ?? 'Security'),
    V.str(o.computer ?? 'host.example'),
    V.hex64(0x8020000000000000n),
    V.null(),
    o.payload,
  ];
}

/** EventData with one named Data element per value, all string substitutions. */
export function eventDataTemplate(id: number, names: string[]): Template {
  return {
    id,
    body: {
      el: 'EventData',
      children: names.map((name, i) => ({ el: 'Data', attrs: [['Name', { text: name }]], children: [{ sub: i }] })),
    },
  };
}
