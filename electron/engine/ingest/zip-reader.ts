/**
 * Reading zip files through yauzl (central directory, streamed entries, size validation), plus a recovery path for
 * a zip whose central directory is missing (truncated download): entries are found by walking the local file
 * headers from the start, and each is inflated with zlib until the data runs out. Nothing here decompresses by
 * itself; zlib does. Layer: engine.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import iconv from 'iconv-lite';

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number | null;
  crc32: number | null;
  method: number;
  encrypted: boolean;
  /** Unix file type bits when the entry was made on Unix, else null. */
  unixMode: number | null;
  mtime: Date | null;
  isDirectory: boolean;
  open(): Promise<Readable>;
}

function decodeName(raw: Buffer, flags: number): string {
  // Bit 11: the name is UTF-8; otherwise the zip spec says CP437.
  return flags & 0x800 ? raw.toString('utf8') : iconv.decode(raw, 'cp437');
}

function dosDate(date: number, time: number): Date | null {
  if (date === 0) return null;
  const d = new Date(Date.UTC(((date >> 9) & 0x7f) + 1980, ((date >> 5) & 0xf) - 1, date & 0x1f, (time >> 11) & 0x1f, (time >> 5) & 0x3f, (time & 0x1f) * 2));
  return Number.isNaN(d.getTime()) ? null : d;
}

export interface ZipWalk {
  /** Set when the central directory could not be read and entries come from local headers. */
  recovered: string | null;
  /** Something odd but harmless about the container (e.g. bytes after its end), for the archive report. */
  note: string | null;
  entries: AsyncGenerator<ZipEntryInfo>;
  close(): void;
}

const OPTIONS = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true } as const;

/** Reads a file as if it ended at `size` (used to ignore bytes appended after a zip's end record). */
class TruncatedFileReader extends yauzl.RandomAccessReader {
  constructor(private readonly file: string) {
    super();
  }
  override _readStreamForRange(start: number, end: number): Readable {
    return fs.createReadStream(this.file, { start, end: end - 1 });
  }
}

/** Where the end-of-central-directory record really ends, when a zip has bytes appended after it. */
function eocdEnd(file: string): number | null {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const tailLen = Math.min(size, 65535 + 22 + 1024);
    const tail = readAt(fd, size - tailLen, tailLen);
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        const end = size - tailLen + i + 22 + tail.readUInt16LE(i + 20);
        return end <= size ? end : null;
      }
    }
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

export async function openZip(file: string): Promise<ZipWalk> {
  let zip: yauzl.ZipFile;
  let note: string | null = null;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(file, OPTIONS, (err, z) => (err ? reject(err) : resolve(z))));
  } catch (e) {
    const end = /comment length|extra bytes/i.test((e as Error).message) ? eocdEnd(file) : null;
    const size = fs.statSync(file).size;
    try {
      if (end === null) throw e;
      zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
        yauzl.fromRandomAccessReader(new TruncatedFileReader(file), end, OPTIONS, (err, z) => (err ? reject(err) : resolve(z))),
      );
      note = `${size - end} byte(s) after the end of the zip archive were ignored`;
    } catch {
      return {
        recovered: `zip central directory unreadable (${(e as Error).message}); entries recovered from local headers`,
        note: null,
        entries: localHeaderEntries(file),
        close() {},
      };
    }
  }
  return { recovered: null, note, entries: centralEntries(zip), close: () => zip.close() };
}

async function* centralEntries(zip: yauzl.ZipFile): AsyncGenerator<ZipEntryInfo> {
  const queue: Array<{ entry?: yauzl.Entry; end?: boolean; error?: Error }> = [];
  let wake: (() => void) | null = null;
  const push = (x: { entry?: yauzl.Entry; end?: boolean; error?: Error }) => {
    queue.push(x);
    wake?.();
  };
  zip.on('entry', (entry: yauzl.Entry) => push({ entry }));
  zip.on('end', () => push({ end: true }));
  zip.on('error', (error: Error) => push({ error }));
  zip.readEntry();
  for (;;) {
    while (queue.length === 0) await new Promise<void>((r) => (wake = r));
    wake = null;
    const item = queue.shift()!;
    if (item.end) return;
    if (item.error) throw item.error;
    const e = item.entry!;
    const name = decodeName(e.fileNameRaw as unknown as Buffer, e.generalPurposeBitFlag);
    const madeOnUnix = e.versionMadeBy >> 8 === 3;
    yield {
      name,
      compressedSize: e.compressedSize,
      uncompressedSize: e.uncompressedSize,
      crc32: e.crc32,
      method: e.compressionMethod,
      encrypted: e.isEncrypted(),
      unixMode: madeOnUnix ? (e.externalFileAttributes >>> 16) & 0xffff : null,
      mtime: dosDate(e.lastModFileDate, e.lastModFileTime),
      isDirectory: name.endsWith('/'),
      open: () =>
        new Promise<Readable>((resolve, reject) => zip.openReadStream(e, (err, s) => (err ? reject(err) : resolve(s)))),
    };
    zip.readEntry();
  }
}

const LOCAL_SIG = 0x04034b50;

function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  const n = fs.readSync(fd, b, 0, len, pos);
  return b.subarray(0, n);
}

/** Finds the next local-header or central-directory signature at or after `from`. */
function nextSignature(fd: number, from: number, size: number): number {
  const step = 1 << 20;
  for (let pos = from; pos < size; pos += step - 3) {
    const b = readAt(fd, pos, step);
    for (let i = b.indexOf(0x50); i >= 0 && i + 3 < b.length; i = b.indexOf(0x50, i + 1)) {
      if (b[i + 1] === 0x4b && ((b[i + 2] === 3 && b[i + 3] === 4) || (b[i + 2] === 1 && b[i + 3] === 2))) return pos + i;
    }
  }
  return size;
}

async function* localHeaderEntries(file: string): AsyncGenerator<ZipEntryInfo> {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    let pos = 0;
    while (pos + 30 <= size) {
      const h = readAt(fd, pos, 30);
      if (h.length < 30 || h.readUInt32LE(0) !== LOCAL_SIG) return;
      const flags = h.readUInt16LE(6);
      const method = h.readUInt16LE(8);
      const nameLen = h.readUInt16LE(26);
      const extraLen = h.readUInt16LE(28);
      const name = decodeName(readAt(fd, pos + 30, nameLen), flags);
      const dataStart = pos + 30 + nameLen + extraLen;
      const hasDescriptor = (flags & 0x8) !== 0;
      let dataEnd = hasDescriptor ? nextSignature(fd, dataStart, size) : dataStart + h.readUInt32LE(18);
      const truncated = dataEnd > size;
      dataEnd = Math.min(dataEnd, size);
      const start = dataStart;
      const end = dataEnd;
      yield {
        name,
        compressedSize: end - start,
        uncompressedSize: hasDescriptor ? null : h.readUInt32LE(22),
        crc32: hasDescriptor ? null : h.readUInt32LE(14),
        method,
        encrypted: (flags & 1) !== 0,
        unixMode: null,
        mtime: dosDate(h.readUInt16LE(12), h.readUInt16LE(10)),
        isDirectory: name.endsWith('/'),
        open: async () => {
          const raw = end > start ? fs.createReadStream(file, { start, end: end - 1 }) : fs.createReadStream(file, { start: 0, end: -1 });
          if (method === 0) {
            if (!truncated) return raw;
            const out = new PassThrough();
            raw.on('end', () => out.destroy(new Error(`zip entry data truncated at byte ${size} of the file`)));
            raw.pipe(out, { end: false });
            return out;
          }
          const inflate = zlib.createInflateRaw();
          raw.on('error', (e) => inflate.destroy(e));
          return raw.pipe(inflate);
        },
      };
      if (truncated) return;
      pos = dataEnd;
      if (hasDescriptor) {
        // skip over the data descriptor (optional signature + crc + sizes) to the next header
        pos = nextSignature(fd, dataEnd, size);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}
