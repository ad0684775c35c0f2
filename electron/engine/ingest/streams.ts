/**
 * Stream helpers for reading members: peeking at a member's first bytes, counting bytes through a layer, and the
 * expansion guard that stops a decompression bomb while it streams. Layer: engine.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** An input was refused because it crossed a limit (expansion ratio, total bytes, members). */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** The container or compressed stream is damaged (truncated, bad CRC, bad data). */
export class DamageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DamageError';
  }
}

export interface Peeked {
  head: Buffer;
  /** True when the stream ended within the head. */
  complete: boolean;
  /** The chunks after the head, in order (the head is not repeated). */
  rest: AsyncIterator<Buffer>;
  /** An error raised while filling the head (damaged stream); the head holds what came before it. */
  error: Error | null;
}

export async function peek(stream: AsyncIterable<Buffer>, want: number): Promise<Peeked> {
  const it = stream[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let size = 0;
  let complete = false;
  let error: Error | null = null;
  try {
    while (size < want) {
      const r = await it.next();
      if (r.done) {
        complete = true;
        break;
      }
      const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
      parts.push(b);
      size += b.length;
    }
  } catch (e) {
    error = e as Error;
    complete = true;
  }
  return { head: Buffer.concat(parts), complete, rest: it, error };
}

/** Iterates the head then the rest. */
export async function* replay(p: Peeked): AsyncGenerator<Buffer> {
  if (p.head.length > 0) yield p.head;
  if (p.error) throw p.error;
  if (p.complete) return;
  for (;;) {
    const r = await p.rest.next();
    if (r.done) return;
    yield Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
  }
}

export class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

/** Passes bytes through and fails once the output exceeds `maxRatio` × the input counted by `input`. */
export class ExpansionGuard extends Transform {
  out = 0;
  constructor(
    private readonly input: () => number,
    private readonly maxRatio: number,
    private readonly floorBytes: number,
    private readonly what: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.out += chunk.length;
    const inBytes = Math.max(1, this.input());
    if (this.out > this.floorBytes && this.out / inBytes > this.maxRatio) {
      cb(
        new LimitError(
          `${this.what} expands more than ${this.maxRatio}:1 (${this.out} bytes from ${inBytes} compressed bytes so far); refused as a possible decompression bomb (raise --max-ratio if it is genuine)`,
        ),
      );
      return;
    }
    cb(null, chunk);
  }
}
