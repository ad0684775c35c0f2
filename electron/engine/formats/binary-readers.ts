/**
 * Readers for binary log formats (e.g. EVTX): a format module registers one under a name and asks for it with
 * `{ kind: 'binary', reader: name }`. A reader consumes the member's bytes and hands records to the sink: `raw` is the
 * record's text rendering (UTF-8), `parsed` an optional JSON rendering for the SQL mapping. It reports damage through
 * the sink and never throws for bad input. Layer: engine.
 */
import type { RecordSink } from '../framing/types.js';

export interface BinaryMember {
  path: string;
  /** Size of the member in bytes when known. */
  size: number | null;
}

export type BinaryReader = (source: AsyncIterable<Buffer>, sink: RecordSink, member: BinaryMember) => Promise<void>;

export const BINARY_READERS: Record<string, BinaryReader> = {};

export function registerBinaryReader(name: string, reader: BinaryReader): void {
  BINARY_READERS[name] = reader;
}
