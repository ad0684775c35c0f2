/**
 * Framing for Event Viewer "Save All Events As… → CSV": RFC 4180 records (the message is quoted and spans lines) whose
 * header names five columns (Level, Date and Time, Source, Event ID, Task Category) while every data row carries a
 * sixth, unnamed one: the rendered message. The generic CSV framer would reject every row for its field count; this
 * framer is that framer with the header widened by the message column (registered as custom framer
 * `windows-eventviewer-csv`). Also the sample reader the sniffer uses. Layer: engine (format module).
 */
import { CsvFramer, splitCsvRecord } from '../framing/csv-framer.js';
import { registerFramer } from '../framing/custom.js';
import type { Framer, FramerLimits, RecordSink } from '../framing/types.js';

export const EVENT_VIEWER_CSV_FRAMER = 'windows-eventviewer-csv';

/** Name given to the unnamed sixth column in `fields`. */
export const MESSAGE_COLUMN = 'Message';

export function eventViewerCsvFramer(sink: RecordSink, limits: FramerLimits, startOffset: number, options: Record<string, unknown>): Framer {
  const delimiter = typeof options['delimiter'] === 'string' ? options['delimiter'] : ',';
  const framer: CsvFramer = new CsvFramer(
    sink,
    limits,
    delimiter,
    (header) => {
      // Rows are checked against the header's field count: count the message column in.
      if (header.length === 5) framer.header = [...header, MESSAGE_COLUMN];
    },
    startOffset,
  );
  return framer;
}

registerFramer(EVENT_VIEWER_CSV_FRAMER, eventViewerCsvFramer);

/**
 * Complete CSV records of a text sample (quotes may span lines), each split into fields; the last record is dropped
 * when the sample may have cut it. Malformed records are skipped (the framer rejects them later with the reason).
 */
export function sampleCsvRecords(text: string, delimiter: string, complete: boolean, max = 40): string[][] {
  const out: string[][] = [];
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i < text.length && out.length < max; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) inQuotes = !inQuotes;
    else if (c === 0x0a && !inQuotes) {
      const rec = text.slice(start, i).replace(/\r$/, '');
      start = i + 1;
      if (rec.length === 0) continue;
      const f = splitCsvRecord(rec, delimiter);
      if (f) out.push(f);
    }
  }
  if (complete && !inQuotes && start < text.length && out.length < max) {
    const rec = text.slice(start).replace(/\r$/, '');
    const f = rec.length > 0 ? splitCsvRecord(rec, delimiter) : null;
    if (f) out.push(f);
  }
  return out;
}
