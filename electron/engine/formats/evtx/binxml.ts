/**
 * BinXML decoding for one EVTX chunk ([MS-EVEN6] 2.2.12, libyal "Binary XML").
 *
 * Owns: the token grammar (elements, attributes, value text, CDATA, character
 * and entity references, processing instructions, template instances,
 * normal/optional substitutions, fragment headers), the chunk-level caches
 * (names by chunk offset, template definitions by chunk offset), and the
 * instantiation of a template with its substitution values, streamed in
 * document order into render.ts's `RecordBuilder` (XML text and fields).
 *
 * All offsets are relative to the start of the chunk, because that is what
 * name and template references in BinXML are relative to. A `BinXmlError`
 * carries the chunk offset at which decoding failed.
 *
 * Instantiation rules (what Event Viewer shows, where a choice exists):
 *  - an attribute whose value holds an optional substitution (token 0x0e)
 *    with a NULL value (type 0x00) is left out (`<Correlation/>`,
 *    `<EventID>` without `Qualifiers`); a normal substitution with NULL gives
 *    an empty value;
 *  - an element whose content consists only of optional substitutions whose
 *    values are all NULL is left out, attributes and all (libyal's reading
 *    of [MS-EVEN6]; it is how classic events lose an absent `<Binary>`);
 *    a NULL normal substitution, or a NULL optional one beside other
 *    content, contributes no text and the element stays (`<Data Name="X"/>`);
 *  - the element header's dependency identifier is read but not used: its
 *    meaning is undocumented, and in the corpus it also points from the root
 *    `<Event>` to the payload value, where acting on it could drop a whole
 *    event;
 *  - an element whose whole content is one array substitution is repeated
 *    once per array item, as Windows renders classic events
 *    (`<Data>a</Data><Data>b</Data>`); an empty array leaves one empty
 *    element; an array anywhere else is joined with ", ";
 *  - a BinXML substitution (type 0x21) is decoded as a nested document and
 *    its content is inserted in place (in an attribute, its text content
 *    is used).
 *
 * Quirk handled: the 2-byte dependency identifier in the element header is
 * optional (absent in BinXML not built from a template, e.g. forwarded
 * events; two corpus files store every record that way). The layout is
 * decided per element. Read without the field, the u32 after the token is
 * the element size and the next u32 the name offset, which must be inline
 * (equal to the position right after it) or a back reference. Read that way,
 * an element that does carry the field gives a "size" of
 * depId | (realSize & 0xFFFF) << 16, at least 0x10000 for any real size
 * below 64 KiB, so the test "size < 0x10000 and plausible name offset" only
 * passes for the short layout.
 */

import { entityText, escapeAttr, escapeText, nameKind, type RecordBuilder } from './render.js';
import {
  VT_BINXML,
  VT_EVT_XML,
  VT_NULL,
  VT_STRING,
  VT_ANSI_STRING,
  EvtxValueError,
  fixedSize,
  isArrayType,
  readUtf16,
  renderArray,
  renderScalar,
} from './values.js';

export class BinXmlError extends Error {
  override name = 'BinXmlError';
  constructor(
    message: string,
    /** Chunk-relative offset where decoding failed. */
    readonly chunkOffset: number,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------
// Compiled template nodes (decoded once per definition, reused per record)

const N_ELEM = 0;
const N_TEXT = 1;
const N_SUB = 2;
const N_CHARREF = 3;
const N_ENTITY = 4;
const N_CDATA = 5;
const N_PI = 6;
const N_INSTANCE = 7;

interface TElem {
  t: typeof N_ELEM;
  name: string;
  /** render.ts nameKind(name). */
  kind: number;
  /** '<' + name and '</' + name + '>', built once per definition. */
  openTag: string;
  closeTag: string;
  dep: number;
  attrs: TAttr[];
  children: TNode[];
  /** Every child is an optional substitution: the element may vanish (NULL values). */
  onlyOptionalSubs: boolean;
  /** The only child, when it is a substitution: it may be an array that repeats the element. */
  singleSub: TSub | null;
  /** When every attribute is literal (e.g. `<Data Name="X">`): the start tag with them, built once. */
  fixedAttrs: { open: string; names: string[]; values: string[] } | null;
}
interface TText {
  t: typeof N_TEXT;
  text: string;
  /** XML form, escaped once at definition time. */
  xml: string;
}
interface TSub {
  t: typeof N_SUB;
  index: number;
  optional: boolean;
  at: number;
}
interface TCharRef {
  t: typeof N_CHARREF;
  code: number;
}
interface TEntity {
  t: typeof N_ENTITY;
  name: string;
}
/** CDATA and processing instructions: fixed XML form and text contribution. */
interface TSpecial {
  t: typeof N_CDATA | typeof N_PI;
  xml: string;
  text: string;
}
interface TInstance {
  t: typeof N_INSTANCE;
  def: TemplateDef;
  values: Values;
}
type TNode = TElem | TText | TSub | TCharRef | TEntity | TSpecial | TInstance;
type TAttrPart = TText | TSub | TCharRef | TEntity;
interface TAttr {
  name: string;
  parts: TAttrPart[];
  /** For a value without substitutions: the value and its ` name="..."` XML, built once. */
  fixedValue: string | null;
  fixedXml: string | null;
}

export interface TemplateDef {
  offset: number;
  /** First 4 bytes of the definition's GUID; a template instance repeats it. */
  id: number;
  nodes: TNode[];
}

/**
 * The substitution values of one template instance, flat: for value i,
 * [3i] is its type, [3i+1] its chunk offset, [3i+2] its size. One array per
 * instance instead of an object per value keeps the per-record garbage down.
 */
export type Values = number[];

function hex(n: number): string {
  return '0x' + n.toString(16);
}

/**
 * Decoder bound to one chunk. Holds the name and template caches, which are
 * only valid within the chunk (offsets are chunk-relative).
 */
export class ChunkBinXml {
  private readonly buf: Uint8Array;
  private readonly size: number;
  private pos = 0;
  private end = 0;
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, TemplateDef>();
  /** Guards against template definitions that (directly or not) include themselves. */
  private readonly templatesInProgress = new Set<number>();
  private depth = 0;

  constructor(chunk: Uint8Array) {
    this.buf = chunk;
    this.size = chunk.length;
  }

  // -- primitive reads (bounds-checked against the current end) ------------

  private need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      throw new BinXmlError(`${what} needs ${n} bytes but only ${this.end - this.pos} remain`, this.pos);
    }
  }

  private u8(): number {
    return this.buf[this.pos++]!;
  }

  private u16(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return b[p]! | (b[p + 1]! << 8);
  }

  private u32(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  private peekU32(at: number): number {
    const b = this.buf;
    if (at + 4 > this.size) return 0xffffffff;
    return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  }

  // -- names -----------------------------------------------------------------

  /** Name structure at chunk offset `off`: u32 next, u16 hash, u16 count, UTF-16 chars, u16 NUL. */
  private nameAt(off: number): string {
    const cached = this.names.get(off);
    if (cached !== undefined) return cached;
    if (off < 0 || off + 8 > this.size) throw new BinXmlError(`name offset ${hex(off)} is outside the chunk`, this.pos);
    const b = this.buf;
    const count = b[off + 6]! | (b[off + 7]! << 8);
    const end = off + 8 + count * 2;
    if (end + 2 > this.size) {
      throw new BinXmlError(`name at ${hex(off)} (${count} characters) runs past the end of the chunk`, off);
    }
    // Names end with a NUL; its absence means the offset does not point at a
    // name (a corrupt reference), which must not turn into a garbage tag.
    if (b[end] !== 0 || b[end + 1] !== 0) {
      throw new BinXmlError(`no name at ${hex(off)}: the ${count}-character string there is not NUL-terminated`, off);
    }
    if (count === 0) throw new BinXmlError(`empty name at ${hex(off)}`, off);
    const name = readUtf16(b, off + 8, count);
    this.names.set(off, name);
    return name;
  }

  /** Reads a u32 name offset at pos; if the name is stored inline right here, skips over it. */
  private readNameRef(what: string): string {
    this.need(4, what);
    const off = this.u32();
    if (off === this.pos) {
      this.need(8, `${what} inline name`);
      const count = this.buf[off + 6]! | (this.buf[off + 7]! << 8);
      const total = 8 + count * 2 + 2;
      this.need(total, `${what} inline name`);
      const name = this.nameAt(off);
      this.pos += total;
      return name;
    }
    return this.nameAt(off);
  }

  // -- documents ---------------------------------------------------------------

  /**
   * Decode the BinXML document of one record, stored in `[start, end)` of the
   * chunk (fragment header, then a template instance or an element, then
   * end-of-stream), streaming its instantiated content into `out`.
   */
  decodeRecord(start: number, end: number, out: RecordBuilder): void {
    const nodes = this.parseDocument(start, end);
    if (nodes.length === 0) throw new BinXmlError('record holds no BinXML element', start);
    // Almost every record is one template instance.
    const only = nodes.length === 1 ? nodes[0]! : null;
    if (only !== null && only.t === N_INSTANCE) this.emitList(only.def.nodes, only.values, out);
    else this.emitList(nodes, null, out);
  }

  private parseDocument(start: number, end: number): TNode[] {
    if (start < 0 || end > this.size || start > end) {
      throw new BinXmlError(`BinXML range ${hex(start)}..${hex(end)} is outside the chunk`, start);
    }
    const savedPos = this.pos;
    const savedEnd = this.end;
    this.pos = start;
    this.end = end;
    try {
      const nodes: TNode[] = [];
      while (this.pos < this.end) {
        const at = this.pos;
        const tok = this.buf[at]!;
        if (tok === 0x00) {
          this.pos++;
          break;
        }
        if (tok === 0x0f) {
          this.skipFragmentHeader();
        } else if (tok === 0x0c) {
          nodes.push(this.parseInstance());
        } else if (tok === 0x01 || tok === 0x41) {
          nodes.push(this.parseElement());
        } else if (tok === 0x0a) {
          nodes.push(this.parsePi());
        } else {
          throw new BinXmlError(`unexpected token ${hex(tok)} at document level`, at);
        }
      }
      return nodes;
    } finally {
      this.pos = savedPos;
      this.end = savedEnd;
    }
  }

  private skipFragmentHeader(): void {
    this.need(4, 'fragment header');
    const at = this.pos;
    const major = this.buf[at + 1]!;
    if (major !== 1) throw new BinXmlError(`unsupported BinXML fragment version ${major}.${this.buf[at + 2]!}`, at);
    this.pos += 4;
  }

  private parseInstance(): TInstance {
    const at = this.pos;
    this.need(10, 'template instance');
    this.pos += 2; // token, unknown byte
    const id = this.u32();
    const defOffset = this.u32();
    let def: TemplateDef;
    if (defOffset === this.pos) {
      // Inline definition: u32 next, 16-byte GUID, u32 data size, data.
      this.need(24, 'template definition header');
      const dataSize = this.peekU32(this.pos + 20);
      this.need(24 + dataSize, 'template definition');
      def = this.templateAt(defOffset);
      this.pos += 24 + dataSize;
    } else {
      def = this.templateAt(defOffset);
    }
    if (def.id !== id) {
      throw new BinXmlError(`template instance names id ${hex(id)} but the definition at ${hex(defOffset)} has id ${hex(def.id)}`, at);
    }
    const values = this.parseValueArray();
    return { t: N_INSTANCE, def, values };
  }

  private templateAt(off: number): TemplateDef {
    const cached = this.templates.get(off);
    if (cached) return cached;
    if (off < 0 || off + 24 > this.size) throw new BinXmlError(`template definition offset ${hex(off)} is outside the chunk`, this.pos);
    if (this.templatesInProgress.has(off)) throw new BinXmlError(`template definition at ${hex(off)} refers to itself`, off);
    const id = this.peekU32(off + 4);
    const dataSize = this.peekU32(off + 20);
    if (off + 24 + dataSize > this.size) {
      throw new BinXmlError(`template definition at ${hex(off)} claims ${dataSize} bytes, past the end of the chunk`, off);
    }
    this.templatesInProgress.add(off);
    try {
      const nodes = this.parseDocument(off + 24, off + 24 + dataSize);
      const def: TemplateDef = { offset: off, id, nodes };
      this.templates.set(off, def);
      return def;
    } finally {
      this.templatesInProgress.delete(off);
    }
  }

  private parseValueArray(): Values {
    this.need(4, 'substitution count');
    const count = this.u32();
    if (count * 4 > this.end - this.pos) {
      throw new BinXmlError(`substitution count ${count} does not fit in the ${this.end - this.pos} bytes left`, this.pos - 4);
    }
    const values: Values = new Array<number>(count * 3);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < count; i++) {
      values[3 * i] = b[p + 2]!;
      values[3 * i + 2] = b[p]! | (b[p + 1]! << 8);
      p += 4;
    }
    for (let i = 0; i < count; i++) {
      values[3 * i + 1] = p;
      p += values[3 * i + 2]!;
    }
    if (p > this.end) {
      throw new BinXmlError(`substitution values need ${p - this.pos} bytes but only ${this.end - this.pos} remain`, this.pos);
    }
    this.pos = p;
    return values;
  }

  /** Element header: token, [u16 dependency id], u32 size, u32 name offset, [inline name], [u32 attribute list size]. */
  private parseElement(): TElem {
    const at = this.pos;
    const tok = this.buf[at]!;
    this.need(9, 'element header');
    let dep = 0xffff;
    const sizeIfNoDep = this.peekU32(at + 1);
    const nameIfNoDep = this.peekU32(at + 5);
    this.pos = at + 1;
    if (sizeIfNoDep < 0x10000 && (nameIfNoDep === at + 9 || nameIfNoDep < at)) {
      this.pos += 4;
    } else {
      this.need(10, 'element header');
      dep = this.u16();
      this.pos += 4;
    }
    const name = this.readNameRef('element name');
    if (tok & 0x40) {
      this.need(4, 'attribute list size');
      this.pos += 4;
    }
    const attrs: TAttr[] = [];
    for (;;) {
      this.need(1, `element <${name}>`);
      const t = this.buf[this.pos]!;
      if (t === 0x06 || t === 0x46) {
        this.pos++;
        const aname = this.readNameRef('attribute name');
        const parts = this.parseAttrValue(aname);
        const fixedValue = parts.every((p) => p.t !== N_SUB) ? attrPartsText(parts) : null;
        const fixedXml = fixedValue === null ? null : ' ' + aname + '="' + escapeAttr(fixedValue) + '"';
        attrs.push({ name: aname, parts, fixedValue, fixedXml });
      } else if (t === 0x02) {
        this.pos++;
        return makeElement(name, dep, attrs, this.parseContent(name));
      } else if (t === 0x03) {
        this.pos++;
        return makeElement(name, dep, attrs, []);
      } else {
        throw new BinXmlError(`unexpected token ${hex(t)} in start tag of <${name}>`, this.pos);
      }
    }
  }

  private parseAttrValue(aname: string): TAttrPart[] {
    const parts: TAttrPart[] = [];
    for (;;) {
      if (this.pos >= this.end) break;
      const t = this.buf[this.pos]!;
      if (t === 0x05 || t === 0x45) parts.push(this.parseValueText());
      else if (t === 0x0d || t === 0x0e) parts.push(this.parseSub());
      else if (t === 0x08 || t === 0x48) parts.push(this.parseCharRef());
      else if (t === 0x09 || t === 0x49) parts.push(this.parseEntity());
      else break;
    }
    if (parts.length === 0) throw new BinXmlError(`attribute ${aname} has no value`, this.pos);
    return parts;
  }

  private parseContent(name: string): TNode[] {
    const nodes: TNode[] = [];
    if (++this.depth > 256) throw new BinXmlError('elements nested deeper than 256 levels', this.pos);
    try {
      for (;;) {
        this.need(1, `content of <${name}>`);
        const at = this.pos;
        const t = this.buf[at]!;
        switch (t) {
          case 0x04:
            this.pos++;
            return nodes;
          case 0x01:
          case 0x41:
            nodes.push(this.parseElement());
            break;
          case 0x05:
          case 0x45:
            nodes.push(this.parseValueText());
            break;
          case 0x0d:
          case 0x0e:
            nodes.push(this.parseSub());
            break;
          case 0x07:
          case 0x47: {
            this.pos++;
            this.need(2, 'CDATA length');
            const n = this.u16();
            this.need(n * 2, 'CDATA text');
            const text = readUtf16(this.buf, this.pos, n);
            nodes.push({ t: N_CDATA, xml: '<![CDATA[' + text.split(']]>').join(']]]]><![CDATA[>') + ']]>', text });
            this.pos += n * 2;
            break;
          }
          case 0x08:
          case 0x48:
            nodes.push(this.parseCharRef());
            break;
          case 0x09:
          case 0x49:
            nodes.push(this.parseEntity());
            break;
          case 0x0a:
            nodes.push(this.parsePi());
            break;
          case 0x0c:
            nodes.push(this.parseInstance());
            break;
          case 0x0f:
            this.skipFragmentHeader();
            break;
          case 0x00:
            throw new BinXmlError(`end of stream inside <${name}>`, at);
          default:
            throw new BinXmlError(`unexpected token ${hex(t)} inside <${name}>`, at);
        }
      }
    } finally {
      this.depth--;
    }
  }

  private parseValueText(): TText {
    const at = this.pos;
    this.need(2, 'value text');
    this.pos++;
    const type = this.u8();
    if (type === VT_STRING || type === VT_ANSI_STRING) {
      this.need(2, 'value text length');
      const n = this.u16();
      const bytes = type === VT_STRING ? n * 2 : n;
      this.need(bytes, 'value text');
      const text = type === VT_STRING ? readUtf16(this.buf, this.pos, n) : renderScalar(type, this.buf, this.pos, n);
      this.pos += bytes;
      return { t: N_TEXT, text, xml: escapeText(text) };
    }
    const w = fixedSize(type, 8);
    if (w === 0) throw new BinXmlError(`value text of unsupported type ${hex(type)}`, at);
    this.need(w, 'value');
    const text = renderScalar(type, this.buf, this.pos, w);
    this.pos += w;
    return { t: N_TEXT, text, xml: escapeText(text) };
  }

  private parseSub(): TSub {
    const at = this.pos;
    this.need(4, 'substitution');
    const optional = this.buf[at] === 0x0e;
    this.pos++;
    const index = this.u16();
    this.pos++; // declared type; the value descriptor's type is authoritative
    return { t: N_SUB, index, optional, at };
  }

  private parseCharRef(): TCharRef {
    this.need(3, 'character reference');
    this.pos++;
    return { t: N_CHARREF, code: this.u16() };
  }

  private parseEntity(): TEntity {
    this.need(1, 'entity reference');
    this.pos++;
    return { t: N_ENTITY, name: this.readNameRef('entity name') };
  }

  private parsePi(): TSpecial {
    this.pos++;
    const target = this.readNameRef('processing instruction target');
    let data = '';
    if (this.pos < this.end && this.buf[this.pos] === 0x0b) {
      this.pos++;
      this.need(2, 'processing instruction data length');
      const n = this.u16();
      this.need(n * 2, 'processing instruction data');
      data = readUtf16(this.buf, this.pos, n);
      this.pos += n * 2;
    }
    return { t: N_PI, xml: '<?' + target + (data.length > 0 ? ' ' + data : '') + '?>', text: '' };
  }

  // -- instantiation -----------------------------------------------------------

  /** Index of the substitution's value in `values` (see Values). */
  private valueFor(sub: TSub, values: Values | null): number {
    if (values === null) throw new BinXmlError(`substitution ${sub.index} outside a template instance`, sub.at);
    const base = sub.index * 3;
    if (base >= values.length) {
      throw new BinXmlError(`substitution index ${sub.index} but the template instance has ${values.length / 3} values`, sub.at);
    }
    return base;
  }

  private renderValueText(values: Values, base: number, at: number): string | string[] {
    const type = values[base]!;
    const off = values[base + 1]!;
    const len = values[base + 2]!;
    try {
      if (isArrayType(type)) return renderArray(type, this.buf, off, len);
      return renderScalar(type, this.buf, off, len);
    } catch (e) {
      if (e instanceof EvtxValueError) throw new BinXmlError(`${e.message} (value at ${hex(off)})`, at);
      throw e;
    }
  }

  private nestedDocument(values: Values, base: number, at: number): TNode[] | null {
    const off = values[base + 1]!;
    const len = values[base + 2]!;
    if (len === 0) return null;
    if (this.depth > 64) throw new BinXmlError('nested BinXML deeper than 64 levels', at);
    return this.parseDocument(off, off + len);
  }

  private emitList(nodes: TNode[], values: Values | null, out: RecordBuilder): void {
    for (const n of nodes) {
      switch (n.t) {
        case N_ELEM:
          this.emitElement(n, values, out);
          break;
        case N_TEXT:
          out.text(n.text, n.xml);
          break;
        case N_SUB:
          this.emitSubContent(n, values, out);
          break;
        case N_CHARREF:
          out.special('&#' + n.code + ';', String.fromCharCode(n.code));
          break;
        case N_ENTITY:
          out.special('&' + n.name + ';', entityText(n.name));
          break;
        case N_CDATA:
        case N_PI:
          out.special(n.xml, n.text);
          break;
        case N_INSTANCE:
          this.emitList(n.def.nodes, n.values, out);
          break;
      }
    }
  }

  private emitSubContent(n: TSub, values: Values | null, out: RecordBuilder): void {
    const v = this.valueFor(n, values);
    const type = values![v]!;
    if (type === VT_NULL) return;
    if (type === VT_BINXML) {
      const nested = this.nestedDocument(values!, v, n.at);
      if (nested === null) return;
      this.depth++;
      try {
        this.emitList(nested, null, out);
      } finally {
        this.depth--;
      }
      return;
    }
    const r = this.renderValueText(values!, v, n.at);
    if (typeof r === 'string') out.text(r, needsEscaping(type) ? null : r);
    else out.text(r.join(', '), null);
  }

  /** Text content of nodes, for a BinXML value used inside an attribute. */
  private textOf(nodes: TNode[], values: Values | null): string {
    let s = '';
    for (const n of nodes) {
      switch (n.t) {
        case N_ELEM:
          s += this.textOf(n.children, values);
          break;
        case N_TEXT:
        case N_CHARREF:
        case N_ENTITY:
          s += partText(n);
          break;
        case N_CDATA:
        case N_PI:
          s += n.text;
          break;
        case N_SUB: {
          const v = this.valueFor(n, values);
          const type = values![v]!;
          if (type === VT_NULL) break;
          if (type === VT_BINXML) {
            const nested = this.nestedDocument(values!, v, n.at);
            if (nested === null) break;
            this.depth++;
            try {
              s += this.textOf(nested, null);
            } finally {
              this.depth--;
            }
            break;
          }
          const r = this.renderValueText(values!, v, n.at);
          s += typeof r === 'string' ? r : r.join(', ');
          break;
        }
        case N_INSTANCE:
          s += this.textOf(n.def.nodes, n.values);
          break;
      }
    }
    return s;
  }

  /** Set by attrValue: the value it returned holds nothing XML must escape. */
  private attrSafe = false;

  /** Resolved attribute value, or null when an optional NULL substitution drops it. */
  private attrValue(a: TAttr, values: Values | null): string | null {
    let text = '';
    let safe = true;
    for (const p of a.parts) {
      if (p.t !== N_SUB) {
        text += partText(p);
        safe = false;
        continue;
      }
      const v = this.valueFor(p, values);
      const type = values![v]!;
      if (type === VT_NULL) {
        if (p.optional) return null;
      } else if (type === VT_BINXML) {
        text += this.textOf([p], values);
        safe = false;
      } else {
        const r = this.renderValueText(values!, v, p.at);
        if (typeof r === 'string') {
          text += r;
          if (needsEscaping(type)) safe = false;
        } else {
          text += r.join(', ');
          safe = false;
        }
      }
    }
    this.attrSafe = safe;
    return text;
  }

  /** True when every content node is an optional substitution whose value is NULL. */
  private onlyNullOptionals(kids: TNode[], values: Values): boolean {
    for (const k of kids) {
      if (k.t !== N_SUB || !k.optional) return false;
      const type = values[k.index * 3];
      if (type === undefined || type !== VT_NULL) return false;
    }
    return true;
  }

  private emitElement(n: TElem, values: Values | null, out: RecordBuilder): void {
    const kids = n.children;
    if (n.onlyOptionalSubs && values !== null && this.onlyNullOptionals(kids, values)) return;
    const sub = n.singleSub;
    if (sub !== null) {
      const v = this.valueFor(sub, values);
      if (isArrayType(values![v]!)) {
        this.emitArrayElement(n, values, this.renderValueText(values!, v, sub.at) as string[], out);
        return;
      }
    }
    const fixed = n.fixedAttrs;
    if (fixed !== null) {
      out.startElement(n.name, n.kind, fixed.open, n.closeTag);
      out.knownAttributes(fixed.names, fixed.values);
      this.emitList(kids, values, out);
      out.endElement();
      return;
    }
    out.startElement(n.name, n.kind, n.openTag, n.closeTag);
    for (const a of n.attrs) {
      if (a.fixedXml !== null) {
        out.attribute(a.name, a.fixedValue!, a.fixedXml);
        continue;
      }
      const value = this.attrValue(a, values);
      if (value !== null) out.attribute(a.name, value, this.attrSafe ? ' ' + a.name + '="' + value + '"' : null);
    }
    this.emitList(kids, values, out);
    out.endElement();
  }

  private emitArrayElement(n: TElem, values: Values | null, items: string[], out: RecordBuilder): void {
    const names: string[] = [];
    const texts: string[] = [];
    for (const a of n.attrs) {
      const value = a.fixedValue ?? this.attrValue(a, values);
      if (value === null) continue;
      names.push(a.name);
      texts.push(value);
    }
    for (const item of items.length === 0 ? [''] : items) {
      out.startElement(n.name, n.kind, n.openTag, n.closeTag);
      for (let i = 0; i < names.length; i++) out.attribute(names[i]!, texts[i]!, null);
      out.text(item, null);
      out.endElement();
    }
  }
}

function makeElement(name: string, dep: number, attrs: TAttr[], children: TNode[]): TElem {
  const info = elementInfo(name);
  const first = children[0];
  return {
    t: N_ELEM,
    name,
    kind: info.kind,
    openTag: info.openTag,
    closeTag: info.closeTag,
    dep,
    attrs,
    children,
    onlyOptionalSubs: children.length > 0 && children.every((c) => c.t === N_SUB && c.optional),
    singleSub: children.length === 1 && first !== undefined && first.t === N_SUB ? first : null,
    fixedAttrs:
      attrs.length > 0 && attrs.every((a) => a.fixedXml !== null)
        ? {
            open: info.openTag + attrs.map((a) => a.fixedXml).join(''),
            names: attrs.map((a) => a.name),
            values: attrs.map((a) => a.fixedValue!),
          }
        : null,
  };
}

interface ElementInfo {
  kind: number;
  openTag: string;
  closeTag: string;
}

/**
 * Per element name, across chunks and files: the same few dozen names make
 * up most templates, and every chunk re-defines its templates. Bounded so a
 * hostile file cannot grow it without limit.
 */
const elementInfoCache = new Map<string, ElementInfo>();

function elementInfo(name: string): ElementInfo {
  let info = elementInfoCache.get(name);
  if (info === undefined) {
    if (elementInfoCache.size >= 4096) elementInfoCache.clear();
    info = { kind: nameKind(name), openTag: '<' + name, closeTag: '</' + name + '>' };
    elementInfoCache.set(name, info);
  }
  return info;
}

/** Types whose rendering can contain characters XML must escape. */
function needsEscaping(type: number): boolean {
  return type === VT_STRING || type === VT_ANSI_STRING || type === VT_EVT_XML;
}

function partText(p: TText | TCharRef | TEntity): string {
  if (p.t === N_TEXT) return p.text;
  if (p.t === N_CHARREF) return String.fromCharCode(p.code);
  return entityText(p.name);
}

function attrPartsText(parts: TAttrPart[]): string {
  let s = '';
  for (const p of parts) if (p.t !== N_SUB) s += partText(p);
  return s;
}
