/**
 * Decoding of one EVTX chunk slot into what the reader hands the sink, in record order: a pure function of the slot's
 * bytes (chunks are self-contained: their own string and template tables).
 * Layer: engine (format module).
 */
import { EVTX_CHUNK_SIZE, EVTX_FILE_HEADER_SIZE, parseEvtxChunk, type EvtxDamage, type EvtxRecord } from './evtx/index.js';

/** One result of a slot, in order: a record (XML text + JSON for the mapping), a damaged record, or a damage note. */
export type SlotItem =
  | { k: 'record'; xml: string; offset: number; json: string }
  | { k: 'reject'; raw: Uint8Array; offset: number; reason: string }
  | { k: 'problem'; reason: string };

/** System values by the names they take in `fields` (as in the XML: Provider, EventID, Execution/@ProcessID …). */
const SYSTEM_NAMES: Array<[keyof EvtxRecord['system'], string]> = [
  ['provider', 'Provider'],
  ['channel', 'Channel'],
  ['eventId', 'EventID'],
  ['eventRecordId', 'EventRecordID'],
  ['computer', 'Computer'],
  ['level', 'Level'],
  ['task', 'Task'],
  ['opcode', 'Opcode'],
  ['keywords', 'Keywords'],
  ['processId', 'ProcessID'],
  ['threadId', 'ThreadID'],
  ['userId', 'UserID'],
  ['providerGuid', 'ProviderGuid'],
  ['eventSourceName', 'EventSourceName'],
  ['qualifiers', 'Qualifiers'],
  ['version', 'Version'],
  ['activityId', 'ActivityID'],
  ['relatedActivityId', 'RelatedActivityID'],
];

/**
 * The compact JSON handed to the SQL mapping (windows.ts, EVTX_STRUCT): `system` as the reader gives it, plus `fields`,
 * the event's `fields` column already merged here by the family's rule: System values by their XML names, then every
 * EventData/UserData value under its own name; a System value whose name an EventData/UserData field already has
 * (104's UserData `Channel` is the log that was cleared) is kept as `System.<name>` unless the two are equal. Merging
 * two MAPs in DuckDB costs several times the rest of the mapping. The mapping's rules read EventData values from
 * `fields` (they use no System names), so EventData is not sent twice.
 */
export function evtxParsedJson(rec: EvtxRecord): string {
  const fields: Record<string, string> = {};
  const data = rec.eventData;
  for (const [k, name] of SYSTEM_NAMES) {
    const raw = rec.system[k];
    if (raw === null) continue;
    const v = String(raw);
    if (!Object.prototype.hasOwnProperty.call(data, name)) fields[name] = v;
    else if (data[name] !== v) fields[`System.${name}`] = v;
  }
  // EventData/UserData values keep their names in `fields` (a clashing System value moves to System.<name>), so the
  // mapping reads them there; sending them a second time as a separate object cost a third of the reader's time.
  return JSON.stringify({ system: rec.system, fields: Object.assign(fields, data) });
}

/** Decodes the chunk slot `index` (its bytes as read) into sink items, in the order the reader reports them. */
export function decodeSlot(bytes: Buffer, index: number): SlotItem[] {
  const fileOffset = EVTX_FILE_HEADER_SIZE + index * EVTX_CHUNK_SIZE;
  const items = parseEvtxChunk(bytes, index, fileOffset);
  const decodedAt = new Set<number>();
  for (const it of items) if (it.kind === 'record') decodedAt.add(it.fileOffset);
  const out: SlotItem[] = [];
  for (const it of items) {
    if (it.kind === 'record') {
      out.push({ k: 'record', xml: it.xml, offset: it.fileOffset, json: evtxParsedJson(it) });
    } else if (it.recordId !== null && !decodedAt.has(it.fileOffset)) {
      out.push({ k: 'reject', raw: recordBytes(bytes, it, fileOffset, items), offset: it.fileOffset, reason: `EVTX record damaged: ${it.reason}` });
    } else if (it.recordId !== null) {
      out.push({ k: 'problem', reason: `${it.reason} (the record was still read and loaded)` });
    } else {
      out.push({ k: 'problem', reason: it.reason });
    }
  }
  return out;
}

/**
 * The bytes of a damaged record: from its start to the end its size field gives when that lies inside the chunk,
 * else to the next record read in the chunk (or the chunk end).
 */
function recordBytes(chunk: Buffer, d: EvtxDamage, chunkFileOffset: number, items: Array<EvtxRecord | EvtxDamage>): Buffer {
  const start = d.fileOffset - chunkFileOffset;
  if (start < 0 || start >= chunk.length) return Buffer.alloc(0);
  let end = chunk.length;
  if (start + 8 <= chunk.length) {
    const size = chunk.readUInt32LE(start + 4);
    if (size >= 28 && start + size <= chunk.length) end = start + size;
  }
  if (end === chunk.length) {
    for (const it of items) {
      const at = it.fileOffset - chunkFileOffset;
      if (it.kind === 'record' && at > start && at < end) end = at;
    }
  }
  return Buffer.from(chunk.subarray(start, end));
}
