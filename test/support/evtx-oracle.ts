/**
 * Independent EVTX oracle for the corpus test: Debian's python3-evtx
 * (python-evtx 0.6, Willi Ballenthin) run on the system interpreter.
 *
 * Owns: running the oracle once over a list of files and returning, per
 * record, python-evtx's own node tree with each value's python-evtx type and
 * python-evtx string. No Windows-rendering rules are applied here; the corpus
 * test normalises the known, documented differences itself.
 *
 * Two deliberate additions, both needed because python-evtx cannot read some
 * corpus data at all:
 *  - records without a template instance (plain BinXML) are walked from the
 *    root instead of through `root.template()`;
 *  - python-evtx assumes every element header carries the 2-byte dependency
 *    identifier; two corpus files (forwarded-style records) omit it and
 *    python-evtx crashes on them. A small patch of OpenStartElementNode picks
 *    the shorter layout when the no-dependency reading is self-consistent
 *    (size < 0x10000 and the name offset is inline or a back reference).
 *    Everything else (names, values, templates) is still python-evtx's.
 * FILETIME values also carry an exact conversion (`exact`) computed with
 * integer arithmetic, because python-evtx converts through a float and can
 * be off by a microsecond. UTF-16 string arrays also carry their items
 * (`items`, the value's bytes split at NUL, final terminator dropped):
 * python-evtx's own splitter moves empty items (a leading empty string comes
 * out after the first non-empty one), which would reorder classic events'
 * <Data> list.
 */

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const ORACLE_PYTHON = '/usr/bin/python3';

export type OracleNode =
  | { k: 'e'; n: string; a: Array<[string, OracleNode[]]>; c: OracleNode[] }
  | { k: 'v'; ty: string; s: string }
  | { k: 's'; opt: boolean; ty: string; s: string; exact?: string; items?: string[] }
  | { k: 'x'; opt: boolean; c: OracleNode[] }
  | { k: 'cdata'; s: string }
  | { k: 'ent'; s: string }
  | { k: 'char'; code: number }
  | { k: 'pi'; s: string };

export interface OracleRecord {
  recordNum: number;
  nodes: OracleNode[];
}

export interface OracleFile {
  records: OracleRecord[];
  error: string | null;
}

const SCRIPT = String.raw`
import sys, json, struct, datetime, traceback
try:
    import Evtx.Evtx as E
    import Evtx.Nodes as N
except ImportError as e:
    sys.stderr.write("python3-evtx missing: %s\n" % e)
    sys.exit(3)

_orig_init = N.OpenStartElementNode.__init__

def _patched_init(self, buf, offset, chunk, parent):
    size_nodep, name_nodep = struct.unpack_from('<II', bytes(buf[offset + 1:offset + 9]))
    rel = offset - chunk._offset
    if size_nodep < 0x10000 and (name_nodep == rel + 9 or name_nodep < rel):
        N.BXmlNode.__init__(self, buf, offset, chunk, parent)
        self.declare_field("byte", "token", 0x0)
        self.declare_field("dword", "size")
        self.declare_field("dword", "string_offset")
        self._tag_length = 9
        self._element_type = 0
        if self.flags() & 0x04:
            self._tag_length += 4
        if self.string_offset() > self.offset() - self._chunk._offset:
            self._tag_length += self._chunk.add_string(self.string_offset(), parent=self).length()
    else:
        _orig_init(self, buf, offset, chunk, parent)

N.OpenStartElementNode.__init__ = _patched_init

EPOCH = datetime.datetime(1601, 1, 1)

def exact_filetime(q):
    d = EPOCH + datetime.timedelta(microseconds=q // 10)
    return d.strftime('%Y-%m-%dT%H:%M:%S') + '.%06d%d' % (d.microsecond, q % 10) + 'Z'

def value_item(sub, opt):
    item = {"k": "s", "opt": opt, "ty": type(sub).__name__, "s": sub.string()}
    if isinstance(sub, N.FiletimeTypeNode):
        item["exact"] = exact_filetime(sub.unpack_qword(0))
    if isinstance(sub, N.WstringArrayTypeNode):
        items = bytes(sub.binary()).decode("utf-16-le").split("\0")
        if len(items) > 1 and items[-1] == "":
            items.pop()
        item["items"] = [] if items == [""] else items
    return item

def walk(node, subs, out):
    if isinstance(node, N.OpenStartElementNode):
        el = {"k": "e", "n": node.tag_name(), "a": [], "c": []}
        for ch in node.children():
            if isinstance(ch, N.AttributeNode):
                parts = []
                walk(ch.attribute_value(), subs, parts)
                el["a"].append([ch.attribute_name().string(), parts])
            else:
                walk(ch, subs, el["c"])
        out.append(el)
    elif isinstance(node, N.ValueNode):
        v = node.children()[0]
        out.append({"k": "v", "ty": type(v).__name__, "s": v.string()})
    elif isinstance(node, (N.NormalSubstitutionNode, N.ConditionalSubstitutionNode)):
        sub = subs[node.index()]
        opt = isinstance(node, N.ConditionalSubstitutionNode)
        if isinstance(sub, N.BXmlTypeNode):
            out.append({"k": "x", "opt": opt, "c": root_nodes(sub.root())})
        else:
            out.append(value_item(sub, opt))
    elif isinstance(node, N.CDataSectionNode):
        out.append({"k": "cdata", "s": node.cdata()})
    elif isinstance(node, N.EntityReferenceNode):
        out.append({"k": "ent", "s": node.entity_reference()})
    elif isinstance(node, N.CharacterReferenceNode):
        out.append({"k": "char", "code": node.entity()})
    elif isinstance(node, (N.ProcessingInstructionTargetNode, N.ProcessingInstructionDataNode)):
        out.append({"k": "pi", "s": node.string() if hasattr(node, "string") else ""})

def root_nodes(root):
    ofs = 4 if root.unpack_byte(0) & 0x0f == 0x0f else 0
    out = []
    if root.unpack_byte(ofs) == 0x0c:
        subs = root.substitutions()
        for c in root.template().children():
            walk(c, subs, out)
    else:
        for c in root.children():
            walk(c, [], out)
    return out

result = {}
for path in json.load(sys.stdin):
    recs = []
    err = None
    try:
        with E.Evtx(path) as log:
            for r in log.records():
                recs.append({"recordNum": r.record_num(), "nodes": root_nodes(r.root())})
    except Exception:
        err = traceback.format_exc()
    result[path] = {"records": recs, "error": err}
json.dump(result, sys.stdout)
`;

/**
 * Runs python-evtx over `files`. Throws (never skips) when the oracle is
 * not installed, so a missing oracle fails the corpus test loudly.
 */
export function runEvtxOracle(files: string[]): Map<string, OracleFile> {
  if (!existsSync(ORACLE_PYTHON)) {
    throw new Error(`EVTX oracle unavailable: ${ORACLE_PYTHON} not found; run: apt-get install python3-evtx`);
  }
  let stdout: string;
  try {
    stdout = execFileSync(ORACLE_PYTHON, ['-c', SCRIPT], {
      input: JSON.stringify(files),
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      // The Debian module must be used, not whatever a pyenv or venv shadows it with.
      env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONIOENCODING: 'utf-8' },
    });
  } catch (e) {
    const err = e as { status?: number; stderr?: string | Buffer };
    if (err.status === 3) {
      throw new Error(`EVTX oracle unavailable: python module Evtx not importable by ${ORACLE_PYTHON}; run: apt-get install python3-evtx`);
    }
    throw new Error(`EVTX oracle failed (exit ${String(err.status)}): ${String(err.stderr ?? e)}`);
  }
  const parsed = JSON.parse(stdout) as Record<string, OracleFile>;
  return new Map(Object.entries(parsed));
}
