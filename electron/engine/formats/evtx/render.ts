/**
 * What one event becomes for callers: the XML text, the System fields and
 * the flattened EventData/UserData map, built in a single pass while
 * binxml.ts walks the instantiated template (no intermediate tree: records
 * are many and small, so allocation is the cost that matters).
 *
 * XML: compact, no whitespace added (like `wevtutil qe /f:xml`), attributes
 * in double quotes, an element without content as `<Name/>`. Escaping: `&`
 * `<` `>` in text; `&` `<` `>` `"` and TAB/LF/CR (as character references,
 * so an XML parser gives them back unchanged) in attribute values; CR in
 * text as `&#13;` for the same reason. Characters XML 1.0 cannot carry (C0
 * controls, U+FFFE/U+FFFF, unpaired surrogates) are written as `&#xN;`
 * references rather than dropped or replaced, so nothing is lost; a strict
 * XML 1.0 parser rejects those references (XML 1.1 accepts the controls
 * other than NUL), which is the price of not altering evidence. The
 * eventData values carry the characters themselves.
 *
 * eventData flattening rule (deterministic, documented for consumers):
 *  - Event/EventData/Data elements: key = the `Name` attribute; a `Data`
 *    without a `Name` attribute is keyed `Data`;
 *  - other children of EventData (e.g. `Binary` in classic events): a leaf
 *    (no element children) is keyed by its element name, otherwise its
 *    leaves are, as below;
 *  - below Event/UserData, every leaf element at any depth, in document
 *    order: key = the element name;
 *  - value = the element's text content with character references and the
 *    five XML entities resolved (any other entity reference stays `&name;`);
 *  - a key that is already taken gets the smallest numeric suffix 1, 2, ...
 *    that makes it unique (`Data`, `Data1`, `Data2`; `Param`, `Param1`).
 * The map inherits no keys, so `__proto__` or `toString` from a log are
 * plain keys (see EventDataMap).
 */

export interface EvtxSystem {
  provider: string | null;
  providerGuid: string | null;
  eventSourceName: string | null;
  eventId: number | null;
  qualifiers: number | null;
  version: number | null;
  level: number | null;
  task: number | null;
  opcode: number | null;
  keywords: string | null;
  timeCreated: string | null;
  eventRecordId: string | null;
  activityId: string | null;
  relatedActivityId: string | null;
  processId: number | null;
  threadId: number | null;
  channel: string | null;
  computer: string | null;
  userId: string | null;
}

// -- escaping ------------------------------------------------------------------

const TEXT_SPECIAL = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/;
const ATTR_SPECIAL = /[&<>"\t\n\r\u0000-\u001f\ufffe\uffff\ud800-\udfff]/;

function escapeWith(s: string, attr: boolean): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | null = null;
    if (c === 0x26) rep = '&amp;';
    else if (c === 0x3c) rep = '&lt;';
    else if (c === 0x3e) rep = '&gt;';
    else if (c === 0x22 && attr) rep = '&quot;';
    else if (c === 0x0d) rep = '&#13;';
    else if ((c === 0x09 || c === 0x0a) && attr) rep = c === 0x09 ? '&#9;' : '&#10;';
    else if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0xfffe || c === 0xffff) rep = `&#x${c.toString(16).toUpperCase()};`;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // well-formed pair: keep as is
        continue;
      }
      rep = `&#x${c.toString(16).toUpperCase()};`;
    }
    if (rep !== null) {
      out += s.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

export function escapeText(s: string): string {
  return TEXT_SPECIAL.test(s) ? escapeWith(s, false) : s;
}

export function escapeAttr(s: string): string {
  return ATTR_SPECIAL.test(s) ? escapeWith(s, true) : s;
}

// -- field helpers -----------------------------------------------------------------

const DECIMAL = /^-?\d+$/;
const HEX = /^0x[0-9a-f]+$/i;

function parseIntField(s: string | null): number | null {
  if (s === null) return null;
  // Fast path for the usual short unsigned decimal.
  const n = s.length;
  if (n > 0 && n < 10) {
    let v = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === n) return v;
  }
  if (DECIMAL.test(s)) return Number(s);
  const t = s.trim();
  if (DECIMAL.test(t)) return Number(t);
  if (HEX.test(t)) return Number.parseInt(t.slice(2), 16);
  return null;
}

/** Shape of what a FILETIME renders to (values.ts), checked without a regex: it is on every record. */
function isSevenDigitTime(s: string): boolean {
  return (
    s.length === 28 &&
    s.charCodeAt(27) === 0x5a && // Z
    s.charCodeAt(19) === 0x2e && // .
    s.charCodeAt(10) === 0x54 && // T
    s.charCodeAt(4) === 0x2d &&
    s.charCodeAt(7) === 0x2d &&
    s.charCodeAt(13) === 0x3a &&
    s.charCodeAt(16) === 0x3a
  );
}
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]00:?00)?$/;

/**
 * TimeCreated/@SystemTime comes from a FILETIME value (already 7 digits) or,
 * in records without templates, from literal text such as
 * `2021-12-16T10:25:32.351835800Z`. Text in UTC is normalised to 7 digits
 * (extra digits beyond 100 ns are cut, never rounded up into the next
 * second); anything else is returned unchanged rather than guessed at.
 */
export function normaliseSystemTime(s: string | null): string | null {
  if (s === null || isSevenDigitTime(s)) return s;
  const m = ISO_TIME.exec(s.trim());
  if (!m) return s;
  const frac = (m[2] ?? '').padEnd(7, '0').slice(0, 7);
  return `${m[1]!.replace(' ', 'T')}.${frac}Z`;
}

function emptySystem(): EvtxSystem {
  return {
    provider: null,
    providerGuid: null,
    eventSourceName: null,
    eventId: null,
    qualifiers: null,
    version: null,
    level: null,
    task: null,
    opcode: null,
    keywords: null,
    timeCreated: null,
    eventRecordId: null,
    activityId: null,
    relatedActivityId: null,
    processId: null,
    threadId: null,
    channel: null,
    computer: null,
    userId: null,
  };
}

// -- builder ---------------------------------------------------------------------

/** Element names the builder acts on, classified once per template (nameKind). */
const K_OTHER = 0;
const K_SYSTEM = 1;
const K_EVENTDATA = 2;
const K_USERDATA = 3;
const K_DATA = 4;
/** System children: K_SYS_FIRST + index in SYSTEM_FIELDS. */
const K_SYS_FIRST = 8;
const SYSTEM_FIELDS = [
  'Provider',
  'EventID',
  'Version',
  'Level',
  'Task',
  'Opcode',
  'Keywords',
  'TimeCreated',
  'EventRecordID',
  'Correlation',
  'Execution',
  'Channel',
  'Computer',
  'Security',
];

export function nameKind(name: string): number {
  switch (name) {
    case 'System':
      return K_SYSTEM;
    case 'EventData':
      return K_EVENTDATA;
    case 'UserData':
      return K_USERDATA;
    case 'Data':
      return K_DATA;
    default: {
      const i = SYSTEM_FIELDS.indexOf(name);
      return i < 0 ? K_OTHER : K_SYS_FIRST + i;
    }
  }
}

/** Where an open element sits, which decides what its close contributes. */
const M_NONE = 0;
/** Direct child of Event/System. */
const M_SYSTEM = 1;
/** Direct child of Event/EventData. */
const M_EVENTDATA = 2;
/** Below Event/UserData, or below a non-Data child of EventData: leaves count. */
const M_LEAVES = 3;

/** Frames are reused across records; only the fields a mode needs are filled. */
interface Frame {
  name: string;
  kind: number;
  closeTag: string;
  mode: number;
  /** Text content is gathered (for this element, or for an ancestor that needs it). */
  needText: boolean;
  text: string;
  hasElementChild: boolean;
  /** Start tag still open: '>' not yet written. */
  pending: boolean;
  attrNames: string[];
  attrValues: string[];
  attrCount: number;
  /** Attributes are kept (System children and EventData/Data). */
  keepAttrs: boolean;
}

const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function entityText(name: string): string {
  return PREDEFINED_ENTITIES[name] ?? `&${name};`;
}

/**
 * The eventData object: its prototype is an empty object whose own prototype
 * is null, so no key is inherited (`toString`, `constructor` are absent
 * unless the log has them) and `__proto__` is an ordinary key (the setter
 * lives on Object.prototype, which is not in the chain). Unlike
 * Object.create(null) objects it keeps V8's fast properties, and records of
 * one template share a shape.
 */
const EventDataMap = function EventDataMap() {} as unknown as new () => Record<string, string>;
EventDataMap.prototype = Object.create(null) as object;

/**
 * Receives one record's instantiated content in document order and builds
 * the XML text and the fields. One instance per chunk decoder, reset for
 * each record.
 */
export class RecordBuilder {
  private xml = '';
  private frames: Frame[] = [];
  private depth = 0;
  private rootSeen = false;
  /** The open top-level element is the event (the first one in the record). */
  private inEvent = false;
  private system: EvtxSystem = emptySystem();
  private systemDone = 0;
  private eventData: Record<string, string> = new EventDataMap();

  reset(): void {
    this.xml = '';
    this.depth = 0;
    this.rootSeen = false;
    this.inEvent = false;
    this.system = emptySystem();
    this.systemDone = 0;
    this.eventData = new EventDataMap();
  }

  /** Checks the record closed every element; then xml, system and eventData are complete. */
  finish(): void {
    if (this.depth !== 0) throw new Error(`internal: ${this.depth} elements left open`);
  }

  get xmlText(): string {
    return this.xml;
  }

  get systemFields(): EvtxSystem {
    return this.system;
  }

  get eventDataMap(): Record<string, string> {
    return this.eventData;
  }

  private top(): Frame | null {
    return this.depth > 0 ? this.frames[this.depth - 1]! : null;
  }

  /** Writes '>' for a parent whose start tag is still open. */
  private closePendingStart(f: Frame): void {
    if (f.pending) {
      this.xml += '>';
      f.pending = false;
    }
  }

  /**
   * `kind` is nameKind(name) and `openTag`/`closeTag` are '<name' (possibly
   * followed by literal attributes, see knownAttributes) and '</name>', all
   * computed once per template definition by the caller.
   */
  startElement(name: string, kind: number, openTag: string, closeTag: string): void {
    const depth = this.depth;
    let mode = M_NONE;
    let needText = false;
    if (depth === 0) {
      // Only the first top-level element is the event; any other is rendered only.
      this.inEvent = !this.rootSeen;
      this.rootSeen = true;
    } else {
      const parent = this.frames[depth - 1]!;
      if (parent.pending) {
        this.xml += '>';
        parent.pending = false;
      }
      parent.hasElementChild = true;
      if (depth === 2) {
        if (this.inEvent) {
          const section = parent.kind;
          if (section === K_SYSTEM) mode = M_SYSTEM;
          else if (section === K_EVENTDATA) mode = M_EVENTDATA;
          else if (section === K_USERDATA) mode = M_LEAVES;
        }
      } else if (parent.mode === M_LEAVES || (parent.mode === M_EVENTDATA && parent.kind !== K_DATA)) {
        mode = M_LEAVES;
      }
      needText = mode !== M_NONE || parent.needText;
    }
    let f = this.frames[depth];
    if (f === undefined) {
      f = {
        name,
        kind,
        closeTag,
        mode,
        needText,
        text: '',
        hasElementChild: false,
        pending: true,
        attrNames: [],
        attrValues: [],
        attrCount: 0,
        keepAttrs: false,
      };
      this.frames.push(f);
    } else {
      f.name = name;
      f.kind = kind;
      f.closeTag = closeTag;
      f.mode = mode;
      f.needText = needText;
      f.text = '';
      f.hasElementChild = false;
      f.pending = true;
      f.attrCount = 0;
    }
    f.keepAttrs = mode === M_SYSTEM || (mode === M_EVENTDATA && kind === K_DATA);
    this.depth = depth + 1;
    this.xml += openTag;
  }

  /**
   * Attributes already written as part of the start tag given to
   * startElement; only recorded where the fields need them.
   */
  knownAttributes(names: string[], values: string[]): void {
    const f = this.frames[this.depth - 1]!;
    if (!f.keepAttrs) return;
    for (let i = 0; i < names.length; i++) {
      f.attrNames[f.attrCount] = names[i]!;
      f.attrValues[f.attrCount] = values[i]!;
      f.attrCount++;
    }
  }

  /** `xmlPiece` is ` name="escaped value"` when the caller has it precomputed. */
  attribute(name: string, value: string, xmlPiece: string | null): void {
    this.xml += xmlPiece ?? ' ' + name + '="' + escapeAttr(value) + '"';
    const f = this.frames[this.depth - 1]!;
    if (f.keepAttrs) {
      f.attrNames[f.attrCount] = name;
      f.attrValues[f.attrCount] = value;
      f.attrCount++;
    }
  }

  /**
   * Character content. `escaped` is its XML form when the caller knows it
   * (template text escaped once, or values that cannot hold special
   * characters such as numbers, GUIDs and SIDs); null means escape here.
   */
  text(s: string, escaped: string | null): void {
    if (s.length === 0) return;
    const f = this.frames[this.depth - 1];
    if (f !== undefined) {
      if (f.pending) {
        this.xml += '>';
        f.pending = false;
      }
      if (f.needText) f.text += s;
    }
    this.xml += escaped ?? escapeText(s);
  }

  /** Content whose XML form differs from its text (references, CDATA, PI). */
  special(xml: string, text: string): void {
    const f = this.frames[this.depth - 1];
    if (f !== undefined) {
      this.closePendingStart(f);
      if (f.needText) f.text += text;
    }
    this.xml += xml;
  }

  endElement(): void {
    const f = this.frames[--this.depth]!;
    if (f.pending) this.xml += '/>';
    else this.xml += f.closeTag;
    const parent = this.top();
    if (parent !== null && parent.needText && f.text.length > 0) parent.text += f.text;
    switch (f.mode) {
      case M_SYSTEM:
        this.systemField(f);
        break;
      case M_EVENTDATA:
        if (f.kind === K_DATA) this.put(this.attr(f, 'Name') ?? 'Data', f.text);
        else if (!f.hasElementChild) this.put(f.name, f.text);
        break;
      case M_LEAVES:
        if (!f.hasElementChild) this.put(f.name, f.text);
        break;
    }
  }

  private attr(f: Frame, name: string): string | null {
    for (let i = 0; i < f.attrCount; i++) if (f.attrNames[i] === name) return f.attrValues[i]!;
    return null;
  }

  private put(key: string, value: string): void {
    const out = this.eventData;
    let k = key;
    // Nothing is inherited (see EventDataMap), so `in` sees only keys put here.
    for (let i = 1; k in out; i++) k = key + i;
    out[k] = value;
  }

  /** The first System child of each name wins, as a lookup by name would. */
  private systemField(f: Frame): void {
    const s = this.system;
    if (f.kind < K_SYS_FIRST) return;
    const bit = 1 << (f.kind - K_SYS_FIRST);
    if (this.systemDone & bit) return;
    this.systemDone |= bit;
    switch (f.kind) {
      case K_SYS_FIRST:
        s.provider = this.attr(f, 'Name');
        s.providerGuid = this.attr(f, 'Guid');
        s.eventSourceName = this.attr(f, 'EventSourceName');
        break;
      case K_SYS_FIRST + 1:
        s.eventId = parseIntField(f.text);
        s.qualifiers = parseIntField(this.attr(f, 'Qualifiers'));
        break;
      case K_SYS_FIRST + 2:
        s.version = parseIntField(f.text);
        break;
      case K_SYS_FIRST + 3:
        s.level = parseIntField(f.text);
        break;
      case K_SYS_FIRST + 4:
        s.task = parseIntField(f.text);
        break;
      case K_SYS_FIRST + 5:
        s.opcode = parseIntField(f.text);
        break;
      case K_SYS_FIRST + 6:
        s.keywords = f.text;
        break;
      case K_SYS_FIRST + 7:
        s.timeCreated = normaliseSystemTime(this.attr(f, 'SystemTime'));
        break;
      case K_SYS_FIRST + 8:
        s.eventRecordId = f.text;
        break;
      case K_SYS_FIRST + 9:
        s.activityId = this.attr(f, 'ActivityID');
        s.relatedActivityId = this.attr(f, 'RelatedActivityID');
        break;
      case K_SYS_FIRST + 10:
        s.processId = parseIntField(this.attr(f, 'ProcessID'));
        s.threadId = parseIntField(this.attr(f, 'ThreadID'));
        break;
      case K_SYS_FIRST + 11:
        s.channel = f.text;
        break;
      case K_SYS_FIRST + 12:
        s.computer = f.text;
        break;
      case K_SYS_FIRST + 13:
        s.userId = this.attr(f, 'UserID');
        break;
    }
  }
}
