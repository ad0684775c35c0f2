/**
 * Walks an input down to its leaf members: gzip layers are removed transparently (a `.json.gz` stays one member,
 * hashed over its decompressed content), zip and tar containers are opened up to the nesting limit, and every entry
 * is judged before it is read (hostile names, links, devices, encryption, expansion). Nothing is ever extracted to a
 * path derived from an entry name: members stream into the framer; only nested zips are spooled, to a numbered file
 * in the case's tmp folder. Layer: engine.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Readable, pipeline } from 'node:stream';
import tar from 'tar-stream';
import type { ArchiveContext, EntryMeta } from './context.js';
import { judgeEntryName } from './entry-path.js';
import { processLeaf } from './member.js';
import { openZip } from './zip-reader.js';
import { ByteCounter, DamageError, ExpansionGuard, LimitError, peek, replay } from './streams.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

type Container = 'gzip' | 'zip' | 'tar' | null;

export function detectContainer(head: Buffer): Container {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0x06054b50) return 'zip'; // empty zip
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return null;
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}!/${name}` : name;
}

let spoolSeq = 0;


/**
 * Reads one stream found at `memberPath` (a file, or an entry of a container). `depth` counts the containers around it.
 */
export async function walkStream(
  ctx: ArchiveContext,
  memberPath: string,
  depth: number,
  source: AsyncIterable<Buffer>,
  meta: EntryMeta,
  top = false,
): Promise<void> {
  const p = await peek(source, 512);
  const kind = p.error ? null : detectContainer(p.head);
  if (top && kind === 'tar') {
    // The input itself is a tar (or tar.gz): its entries are the members, named without a prefix.
    await walkTar(ctx, '', 1, replay(p));
    return;
  }
  if (kind === 'gzip') {
    const gzMeta: EntryMeta = { ...meta, compression: meta.compression ? `${meta.compression}+gzip` : 'gzip', crc32: null };
    const counter = new ByteCounter();
    // Large output chunks: fewer round trips to the zlib thread (16 KiB by default, a hop per 16 KiB of log).
    const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
    const guard = new ExpansionGuard(() => counter.bytes, ctx.limits.maxRatio, ctx.limits.ratioFloorBytes, `gzip stream ${memberPath}`);
    const out = pipeline(Readable.from(replay(p)), counter, gunzip, guard, () => {});
    await walkStream(ctx, memberPath, depth, out as AsyncIterable<Buffer>, gzMeta, top);
    return;
  }
  if (kind === 'zip' || kind === 'tar') {
    if (depth + 1 > ctx.limits.maxDepth) {
      const m = ctx.note(memberPath, depth, 'skipped', `${kind} archive nested deeper than ${ctx.limits.maxDepth} levels; not opened (raise --max-depth)`, meta);
      try {
        await consume(m, replay(p));
      } catch {
        m.sha256 = null; // damaged: counted as far as it could be read, no hash
      }
      return;
    }
    const m = ctx.note(memberPath, depth, 'container', `${kind} archive (nesting level ${depth + 1})`, meta);
    m.format = kind;
    if (kind === 'tar') {
      await walkTar(ctx, memberPath, depth + 1, replay(p), m);
    } else {
      const file = path.join(ctx.tmpDir, `nested-${process.pid}-${++spoolSeq}.zip`);
      try {
        await spool(replay(p), file, m);
        await walkZipFile(ctx, file, memberPath, depth + 1);
      } catch (e) {
        if (e instanceof LimitError) {
          m.status = 'refused';
          m.reason = e.message;
        } else if (e instanceof DamageError || isStreamDamage(e as Error)) {
          m.reason = `${m.reason}; damaged: ${(e as Error).message}`;
          ctx.containerDamage.push(`${memberPath}: ${(e as Error).message}`);
        } else throw e;
      } finally {
        fs.rmSync(file, { force: true });
      }
    }
    return;
  }
  const m = ctx.newMember(memberPath, depth, meta);
  await processLeaf(ctx, m, replay(p), meta);
}

function isStreamDamage(e: Error): boolean {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return code.startsWith('Z_') || /unexpected end|truncated|invalid|corrupt|bad/i.test(e.message);
}

/** Reads `chunks` to the end into the entry's size and SHA-256, also writing them to `fd` when one is given. */
async function consume(m: { size: number; sha256: string | null }, chunks: AsyncIterable<Buffer>, fd?: number): Promise<void> {
  const h = createHash('sha256');
  for await (const c of chunks) {
    h.update(c);
    m.size += c.length;
    if (fd !== undefined) fs.writeSync(fd, c);
  }
  m.sha256 = h.digest('hex');
}

/** Copies a nested archive to `file` (zip needs random access), hashing it on the way. */
async function spool(chunks: AsyncIterable<Buffer>, file: string, m: { size: number; sha256: string | null }): Promise<void> {
  const fd = fs.openSync(file, 'w');
  try {
    await consume(m, chunks, fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Walks one file of an input. `name` is its member path (the file name for a single-file input, the path relative to
 * the folder for a folder input); `top` says the file is the input itself, whose entries are named without a prefix.
 */
export async function walkFile(ctx: ArchiveContext, file: string, name: string, top: boolean, mtime: Date | null): Promise<void> {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(4);
  const n = fs.readSync(fd, head, 0, 4, 0);
  fs.closeSync(fd);
  if (detectContainer(head.subarray(0, n)) === 'zip') {
    if (top) {
      await walkZipFile(ctx, file, '', 1, name);
    } else {
      const m = ctx.note(name, 0, 'container', 'zip archive (nesting level 1)', { mtime });
      m.format = 'zip';
      m.size = fs.statSync(file).size;
      await walkZipFile(ctx, file, name, 1);
    }
    return;
  }
  await walkStream(ctx, name, 0, fs.createReadStream(file, { highWaterMark: 1 << 20 }), { mtime }, top);
}

/** Opens a zip file on disk (the input itself, or a spooled nested zip). */
export async function walkZipFile(ctx: ArchiveContext, file: string, prefix: string, depth: number, label = prefix): Promise<void> {
  const zip = await openZip(file);
  const where = label || 'zip';
  if (zip.recovered) ctx.containerDamage.push(`${where}: ${zip.recovered}`);
  if (zip.note) ctx.containerNotes.push(`${where}: ${zip.note}`);
  try {
    for await (const e of zip.entries) {
      if (e.isDirectory) continue;
      const verdict = judgeEntryName(e.name);
      const label = join(prefix, verdict.ok ? verdict.path : e.name);
      const meta: EntryMeta = { mtime: e.mtime, compressedSize: e.compressedSize, crc32: e.crc32, compression: e.method === 8 ? 'deflate' : e.method === 0 ? null : `method ${e.method}` };
      if (!ctx.admitMember(join(prefix, '*'), depth)) return;
      if (!verdict.ok) {
        ctx.note(label, depth, verdict.status, verdict.reason, meta);
        continue;
      }
      const type = e.unixMode === null ? S_IFREG : e.unixMode & S_IFMT;
      if (type === S_IFLNK) {
        ctx.note(label, depth, 'refused', 'symbolic link entry; links are never followed', meta);
        continue;
      }
      if (type !== S_IFREG && type !== 0 && type !== S_IFDIR) {
        ctx.note(label, depth, 'refused', `special file entry (mode ${type.toString(8)}): device, FIFO or socket; not read`, meta);
        continue;
      }
      if (e.encrypted) {
        ctx.note(label, depth, 'refused', 'encrypted entry; decrypt the archive first', meta);
        continue;
      }
      if (e.method !== 0 && e.method !== 8) {
        ctx.note(label, depth, 'unsupported', `zip compression method ${e.method} is not supported (stored and deflate only)`, meta);
        continue;
      }
      if (e.uncompressedSize !== null && e.uncompressedSize > ctx.limits.ratioFloorBytes && e.uncompressedSize / Math.max(1, e.compressedSize) > ctx.limits.maxRatio) {
        ctx.note(
          label,
          depth,
          'refused',
          `declared expansion ${e.compressedSize} → ${e.uncompressedSize} bytes exceeds ${ctx.limits.maxRatio}:1; refused as a possible decompression bomb (raise --max-ratio if it is genuine)`,
          meta,
        );
        continue;
      }
      let stream: Readable;
      try {
        stream = await e.open();
      } catch (err) {
        const m = ctx.newMember(label, depth, meta);
        m.damage = `entry cannot be opened: ${(err as Error).message}`;
        continue;
      }
      const guard = new ExpansionGuard(() => e.compressedSize, ctx.limits.maxRatio, ctx.limits.ratioFloorBytes, `zip entry ${label}`);
      const guarded = pipeline(stream, guard, () => {});
      await walkStream(ctx, label, depth, guarded as AsyncIterable<Buffer>, meta);
    }
  } catch (e) {
    if (e instanceof LimitError) throw e;
    if ((e as Error).message && !/accounting check failed/.test((e as Error).message) && isStreamDamage(e as Error)) {
      ctx.containerDamage.push(`${where}: ${(e as Error).message}`);
      return;
    }
    throw e;
  } finally {
    zip.close();
  }
}

/** Streams a tar (already gunzipped if it was a .tar.gz). */
export async function walkTar(ctx: ArchiveContext, prefix: string, depth: number, chunks: AsyncIterable<Buffer>, containerEntry?: { size: number }): Promise<void> {
  const extract = tar.extract();
  const input = Readable.from(chunks);
  let inputError: Error | null = null;
  input.on('error', (e) => {
    inputError = e;
    extract.destroy(e);
  });
  input.on('data', (c: Buffer) => {
    if (containerEntry) containerEntry.size += c.length;
  });
  input.pipe(extract);
  const label = prefix || 'tar';
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const verdict = judgeEntryName(h.name);
      const name = join(prefix, verdict.ok ? verdict.path : h.name);
      const meta: EntryMeta = { mtime: h.mtime ?? null, compressedSize: null };
      if (h.type === 'directory') {
        entry.resume();
        continue;
      }
      if (!ctx.admitMember(join(prefix, '*'), depth)) {
        entry.resume();
        extract.destroy();
        return;
      }
      if (!verdict.ok) {
        ctx.note(name, depth, verdict.status, verdict.reason, meta);
        entry.resume();
        continue;
      }
      if (h.type === 'symlink' || h.type === 'link') {
        ctx.note(name, depth, 'refused', `${h.type === 'link' ? 'hard' : 'symbolic'} link entry (to "${h.linkname ?? ''}"); links are never followed`, meta);
        entry.resume();
        continue;
      }
      if (h.type !== 'file' && h.type !== 'contiguous-file') {
        ctx.note(name, depth, 'refused', `special entry of type ${h.type} (device, FIFO or other); not read`, meta);
        entry.resume();
        continue;
      }
      // The entry stream must be consumed completely before the next header is read.
      await walkStream(ctx, name, depth, entry as AsyncIterable<Buffer>, meta);
      entry.resume();
    }
  } catch (e) {
    const err = inputError ?? (e as Error);
    if (err instanceof LimitError) throw err;
    if (err instanceof DamageError || isStreamDamage(err)) {
      ctx.containerDamage.push(`${label}: ${err.message}`);
      // The member being read when the container broke is marked by processLeaf; name the container here.
      return;
    }
    throw err;
  }
}
