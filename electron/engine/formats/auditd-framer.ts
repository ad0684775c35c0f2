/**
 * Groups the lines of a Linux audit log (`/var/log/audit/audit.log`, raw or ENRICHED, and `ausearch` output) into
 * audit events, registered as the custom framer `auditd-events`. The kernel writes one event as several records
 * (SYSCALL, EXECVE, CWD, PATH…, PROCTITLE, EOE) sharing `msg=audit(<time>:<serial>)`; user-space programs write
 * single-record events. Lines of one event are grouped by that id (and `node=`): an EOE record that follows the
 * event's other records closes it, and an event with no new line for WINDOW lines is closed too, so events whose
 * records interleave are still whole.
 * Events are emitted in the order of their first line.
 *
 * Each event is one record: `raw` = its lines joined by "\n" (each line byte-exact, its line ending removed), `line`
 * and `offset` = those of its first line, `parsed` = JSON with the record types and the fields of the event's main
 * record (quoted values unquoted, hex-encoded strings decoded, `msg='…'` of user-space records flattened, ENRICHED
 * names such as `AUID` apart in `enr`), the decoded EXECVE arguments, the decoded PROCTITLE, the CWD and PATH names.
 * `ausearch` separator lines (`----`, which also close the events before them, and `time->…`) and blank lines are
 * not records; any other line without an audit header is rejected on its own. Layer: engine (format framer).
 */
import { describeSize, REJECT_RAW_KEEP, type Framer, type FramerLimits, type RecordSink } from '../framing/types.js';
import { syscallName } from './auditd-syscalls.js';

const LF = 0x0a;
const CR = 0x0d;
const NEWLINE = Buffer.from('\n');
/** Lines an open event waits for another of its records before it is closed. */
export const WINDOW = 32;
/** Open events at most; the oldest is closed beyond this (a log of only single-record events never waits long). */
const MAX_OPEN = 64;

/** `node=<name> type=<TYPE> msg=audit(<time>:<serial>): body` (the colon after `)` is absent in some writers). */
const HEADER = /^(?:node=(\S+) )?type=([A-Za-z0-9_]+) msg=audit\(([^)]*):(\d+)\)(?: ?:)? ?/;
/** Records that accompany a main record rather than being the event themselves. */
const AUXILIARY = new Set([
  'EOE', 'PROCTITLE', 'PATH', 'CWD', 'EXECVE', 'SOCKADDR', 'BPRM_FCAPS', 'CAPSET', 'MMAP', 'FD_PAIR', 'OBJ_PID',
  'SOCKETCALL', 'IPC', 'IPC_SET_PERM', 'MQ_OPEN', 'MQ_SENDRECV', 'MQ_NOTIFY', 'MQ_GETSETATTR', 'URINGOP',
  'TIME_INJOFFSET', 'TIME_ADJNTPVAL', 'KERN_MODULE', 'NETFILTER_CFG', 'SECCOMP', 'CRYPTO_KEY_USER',
]);
/** Fields that carry untrusted strings: quoted, or hex-encoded (without quotes) when they hold special bytes. */
const ENCODED = /^(?:proctitle|name|cwd|comm|exe|acct|cmd|key|data|path|ocomm|vm|root_dir|file|watch)$/;
const HEX = /^(?:[0-9A-Fa-f]{2})+$/;
const SEPARATOR = /^(?:-{4,}|time->.*)$/;

export interface AuditRecord {
  type: string;
  fields: Record<string, string | null>;
  enriched: Record<string, string>;
}

interface OpenEvent {
  key: string;
  node: string | null;
  time: string;
  serial: string;
  lines: Buffer[];
  bytes: number;
  oversize: boolean;
  firstLine: number;
  firstOffset: number;
  lastLine: number;
  records: AuditRecord[];
  closed: boolean;
}

function decodeHex(hex: string): string {
  return Buffer.from(hex, 'hex').toString('utf8');
}

/**
 * The key=value fields of a record body. Values are `"quoted"`, `'quoted'` (user-space `msg='…'`, whose own
 * key=value pairs are added beside the outer ones, which win on a clash; the whole text stays under `msg`) or bare.
 * ENRICHED logs put a GS byte (0x1d) before the translated fields (upper-case names); logs copied through tools that
 * lost that byte are still split where an upper-case NAME= starts right after a value.
 */
export function parseFields(body: string, type: string): AuditRecord {
  const fields = Object.create(null) as Record<string, string | null>;
  const enriched = Object.create(null) as Record<string, string>;
  let inEnriched = false;
  let i = 0;
  const n = body.length;
  const isSpace = (ch: string | undefined) => ch === ' ' || ch === '\t' || ch === '\x1d';
  while (i < n) {
    const c = body[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\x1d') {
      inEnriched = true;
      i++;
      continue;
    }
    let eq = i;
    while (eq < n && body[eq] !== '=' && !isSpace(body[eq])) eq++;
    if (eq >= n || body[eq] !== '=') {
      // A word without "=" (AVC's "{ read }", "denied"): not a field.
      i = eq;
      continue;
    }
    const key = body.slice(i, eq);
    const upper = /^[A-Z][A-Z0-9_]*$/.test(key);
    const q = body[eq + 1];
    if (q === '"' || q === "'") {
      const close = body.indexOf(q, eq + 2);
      const value = body.slice(eq + 2, close < 0 ? n : close);
      if (q === "'" && key === 'msg') {
        const inner = parseFields(value, type);
        for (const [k, v] of Object.entries(inner.fields)) if (!(k in fields)) fields[k] = v;
        for (const [k, v] of Object.entries(inner.enriched)) if (!(k in enriched)) enriched[k] = v;
      }
      if (inEnriched || upper) enriched[key] ??= value;
      else if (!(key in fields)) fields[key] = value;
      i = close < 0 ? n : close + 1;
      continue;
    }
    let end = eq + 1;
    while (end < n && !isSpace(body[end])) end++;
    let value = body.slice(eq + 1, end);
    const toEnriched = inEnriched || upper;
    if (!toEnriched) {
      // A lost GS byte: "res=1AUID=\"bob\"" is res=1 followed by AUID="bob".
      const m = /^(.+?)[A-Z][A-Z0-9_]*=/.exec(value);
      if (m) {
        value = m[1]!;
        end = eq + 1 + value.length;
        inEnriched = true;
      } else {
        // User-space writers do not quote every text: "op=adding group to /etc/group id=1004". Words up to the
        // next key=value belong to the value.
        for (;;) {
          let k = end;
          while (k < n && body[k] === ' ') k++;
          if (k >= n || k === end) break;
          let w = k;
          while (w < n && !isSpace(body[w])) w++;
          const word = body.slice(k, w);
          if (word.includes('=') || word.startsWith('"') || word.startsWith("'")) break;
          value += body.slice(end, w);
          end = w;
        }
      }
    }
    i = end;
    if (toEnriched) {
      enriched[key] ??= value;
      continue;
    }
    if (key in fields) continue;
    if (value === '(null)') fields[key] = null;
    else if (HEX.test(value) && (ENCODED.test(key) || (type === 'EXECVE' && /^a\d+(?:\[\d+\])?$/.test(key)))) {
      // An untrusted string with special bytes is written as hex; PROCTITLE separates arguments with NUL, a key
      // list its keys with 0x01.
      const decoded = decodeHex(value);
      fields[key] = key === 'key' ? decoded.replaceAll('\x01', ',') : decoded.replaceAll('\x00', ' ').trimEnd();
    } else fields[key] = value;
  }
  return { type, fields, enriched };
}

/** The JSON the mapping reads for one event. */
export function eventJson(time: string, serial: string, node: string | null, records: AuditRecord[]): string {
  const types = records.map((r) => r.type);
  const main = records.find((r) => r.type === 'SYSCALL') ?? records.find((r) => !AUXILIARY.has(r.type)) ?? records[0]!;
  // EXECVE arguments: a0, a1… or, for a long one, aN_len and its pieces aN[0], aN[1]…; an event may hold several EXECVE records.
  const execve = Object.assign({}, ...records.filter((r) => r.type === 'EXECVE').map((r) => r.fields)) as Record<string, string | null>;
  let argv: string[] | null = null;
  if (records.some((r) => r.type === 'EXECVE')) {
    argv = [];
    const argc = Number(execve['argc'] ?? NaN);
    for (let k = 0; Number.isFinite(argc) ? k < argc : `a${k}` in execve || `a${k}[0]` in execve; k++) {
      if (`a${k}` in execve) argv.push(execve[`a${k}`] ?? '');
      else if (`a${k}[0]` in execve) {
        let s = '';
        for (let p = 0; `a${k}[${p}]` in execve; p++) s += execve[`a${k}[${p}]`] ?? '';
        argv.push(s);
      } else break;
    }
  }
  const proctitle = records.find((r) => r.type === 'PROCTITLE')?.fields['proctitle'] ?? null;
  const cwd = records.find((r) => r.type === 'CWD')?.fields['cwd'] ?? null;
  // PATH records in item order (ausearch prints them newest first).
  const paths = records.filter((r) => r.type === 'PATH').sort((a, b) => Number(a.fields['item'] ?? 0) - Number(b.fields['item'] ?? 0));
  const target = paths.find((p) => p.fields['nametype'] !== 'PARENT')?.fields['name'] ?? paths[0]?.fields['name'] ?? null;
  const f = main.fields;
  return JSON.stringify({
    time,
    serial,
    node,
    types,
    main: main.type,
    f,
    enr: main.enriched,
    syscall: main.type === 'SYSCALL' ? (main.enriched['SYSCALL'] ?? syscallName(f['arch'] ?? undefined, f['syscall'] ?? undefined) ?? f['syscall'] ?? null) : null,
    argv,
    proctitle,
    cwd,
    paths: paths.map((p) => p.fields['name'] ?? null),
    path_target: target,
  });
}

export class AuditdFramer implements Framer {
  private lineNo = 0;
  private consumed: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingOffset: number;
  private pendingOversize = false;
  private open: OpenEvent[] = [];

  constructor(
    private readonly sink: RecordSink,
    private readonly limits: FramerLimits,
    startOffset = 0,
  ) {
    this.consumed = startOffset;
    this.pendingOffset = startOffset;
  }

  push(chunk: Buffer): void {
    const base = this.consumed;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl < 0) break;
      this.lineNo++;
      if (this.pendingBytes === 0 && !this.pendingOversize) this.onLine(chunk.subarray(start, nl), base + start);
      else {
        this.append(chunk.subarray(start, nl));
        this.onLine(Buffer.concat(this.pending), this.pendingOffset);
        this.pending = [];
        this.pendingBytes = 0;
      }
      this.pendingOversize = false;
      start = nl + 1;
      this.pendingOffset = base + start;
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
    this.consumed = base + chunk.length;
  }

  end(truncated: boolean): void {
    if (this.pendingBytes > 0 || this.pendingOversize) {
      this.lineNo++;
      const raw = Buffer.concat(this.pending);
      if (truncated) this.sink.reject(raw, this.lineNo, this.pendingOffset, 'record truncated: the stream ended inside this line (damaged input)');
      else this.onLine(raw, this.pendingOffset);
      this.pending = [];
      this.pendingBytes = 0;
    }
    for (const e of this.open) e.closed = true;
    this.flush();
  }

  private append(part: Buffer): void {
    if (this.pendingOversize) return;
    this.pending.push(part);
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.limits.maxRecordBytes) {
      this.pendingOversize = true;
      this.pending = [Buffer.concat(this.pending).subarray(0, REJECT_RAW_KEEP)];
    }
  }

  private onLine(line0: Buffer, offset: number): void {
    let line = line0;
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (this.pendingOversize || line.length > this.limits.maxRecordBytes) {
      this.sink.reject(line.subarray(0, REJECT_RAW_KEEP), this.lineNo, offset, `line longer than the ${describeSize(this.limits.maxRecordBytes)} record limit (first ${describeSize(Math.min(line.length, REJECT_RAW_KEEP))} kept)`);
      return;
    }
    const text = line.toString('utf8');
    if (text.trim() === '') return;
    if (SEPARATOR.test(text)) {
      if (text.startsWith('----')) for (const e of this.open) e.closed = true;
      this.flush();
      return;
    }
    const h = HEADER.exec(text);
    if (!h) {
      this.closeOld();
      this.sink.reject(line, this.lineNo, offset, 'not an auditd record: no "type=<TYPE> msg=audit(<time>:<serial>)" header');
      this.flush();
      return;
    }
    const [, node = null, type, time, serial] = h as unknown as [string, string | null, string, string, string];
    const key = `${node ?? ''}|${time}:${serial}`;
    let ev = this.open.find((e) => e.key === key && !e.closed);
    if (!ev) {
      ev = { key, node, time, serial, lines: [], bytes: 0, oversize: false, firstLine: this.lineNo, firstOffset: offset, lastLine: this.lineNo, records: [], closed: false };
      this.open.push(ev);
    }
    ev.lines.push(line);
    ev.bytes += line.length + 1;
    if (ev.bytes > this.limits.maxRecordBytes) ev.oversize = true;
    ev.lastLine = this.lineNo;
    ev.records.push(parseFields(text.slice(h[0].length), type));
    // EOE ends an event in audit.log; ausearch prints an event's records newest first, EOE leading, and
    // separates events with "----" lines instead.
    if (type === 'EOE' && ev.records.length > 1) ev.closed = true;
    this.closeOld();
    this.flush();
  }

  /** Closes events that have waited WINDOW lines for another record, and the oldest beyond MAX_OPEN. */
  private closeOld(): void {
    for (const e of this.open) if (this.lineNo - e.lastLine >= WINDOW) e.closed = true;
    const unclosed = this.open.filter((e) => !e.closed);
    for (let k = 0; k < unclosed.length - MAX_OPEN; k++) unclosed[k]!.closed = true;
  }

  /** Emits closed events from the front of the queue (first-line order). */
  private flush(): void {
    while (this.open.length > 0 && this.open[0]!.closed) {
      const e = this.open.shift()!;
      const raw = Buffer.concat(e.lines.flatMap((l, k) => (k === 0 ? [l] : [NEWLINE, l])));
      if (e.oversize) {
        this.sink.reject(raw.subarray(0, REJECT_RAW_KEEP), e.firstLine, e.firstOffset, `audit event larger than the ${describeSize(this.limits.maxRecordBytes)} record limit (first ${describeSize(Math.min(raw.length, REJECT_RAW_KEEP))} kept)`);
        continue;
      }
      this.sink.record(raw, e.firstLine, e.firstOffset, eventJson(e.time, e.serial, e.node, e.records));
    }
  }
}
