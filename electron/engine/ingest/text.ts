/**
 * Text encodings a member may arrive in: UTF-8 (with or without BOM) is read as is; UTF-16 LE/BE with a BOM is
 * transcoded to UTF-8 while streaming (invalid UTF-16 stops the member as damaged); anything else that is not valid
 * UTF-8 is rejected record by record by the loader. Layer: engine.
 */
import { isUtf8 } from 'node:buffer';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be' | 'binary';

export function detectEncoding(head: Buffer): Encoding {
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xfe && head[2] === 0 && head[3] === 0) return 'utf-32le';
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff) return 'utf-32be';
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  // Binary files are NUL-rich; a text log damaged by a crash may carry a few NULs and must still be read line by line
  // (the damaged lines are rejected with their reason).
  const probe = head.subarray(0, 8192);
  let nul = 0;
  for (let i = 0; i < probe.length; i++) if (probe[i] === 0) nul++;
  return nul > probe.length / 10 ? 'binary' : 'utf-8';
}

export function bomLength(enc: Encoding): number {
  return enc === 'utf-8-bom' ? 3 : enc === 'utf-16le' || enc === 'utf-16be' ? 2 : 0;
}

/** Sample text for sniffing: the head decoded (a multi-byte character cut at the end is dropped). */
export function sampleText(head: Buffer, enc: Encoding): string | null {
  switch (enc) {
    case 'utf-8':
    case 'utf-8-bom': {
      const body = head.subarray(bomLength(enc));
      // Allow invalid bytes in the sample: such records are rejected one by one later, not the whole member.
      if (!isUtf8(body)) {
        const printable = body.filter((c) => c === 9 || c === 10 || c === 13 || c >= 0x20).length / Math.max(1, body.length);
        if (printable < 0.95) return null;
      }
      return body.toString('utf8');
    }
    case 'utf-16le':
    case 'utf-16be':
      return new TextDecoder(enc, { fatal: false }).decode(head.subarray(bomLength(enc), head.length - (head.length % 2)));
    default:
      return null;
  }
}

/** Streams UTF-16 (its BOM already removed) as UTF-8 chunks. Throws on invalid UTF-16. */
export async function* utf16ToUtf8(chunks: AsyncIterable<Buffer>, enc: 'utf-16le' | 'utf-16be'): AsyncGenerator<Buffer> {
  const dec = new TextDecoder(enc, { fatal: true });
  let decoded = 0;
  for await (const b of chunks) {
    let s: string;
    try {
      s = dec.decode(b, { stream: true });
    } catch {
      throw new Error(`invalid UTF-16 after ${decoded} decoded bytes`);
    }
    decoded += b.length;
    if (s.length > 0) yield Buffer.from(s, 'utf8');
  }
  try {
    const tail = dec.decode();
    if (tail.length > 0) yield Buffer.from(tail, 'utf8');
  } catch {
    throw new Error('invalid UTF-16 at the end of the member (odd byte count or lone surrogate)');
  }
}
