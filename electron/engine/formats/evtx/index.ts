/**
 * Public surface of the EVTX reader: re-exports the reader API and the types
 * callers need. Implementation lives in reader.ts (container, damage policy),
 * binxml.ts (token decoding, templates), values.ts (value types) and
 * render.ts (XML text, System fields, EventData flattening).
 */
export {
  EVTX_CHUNK_MAGIC,
  EVTX_CHUNK_SIZE,
  EVTX_FILE_HEADER_SIZE,
  EVTX_FILE_MAGIC,
  EvtxFormatError,
  isAllZero,
  notEvtxSignature,
  parseEvtxChunk,
  parseEvtxFileHeader,
  readEvtx,
  type EvtxDamage,
  type EvtxFileHeader,
  type EvtxRecord,
  type EvtxSystem,
} from './reader.js';
