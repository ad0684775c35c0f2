/**
 * Chain of custody for inputs: the SHA-256 of each input file, and by default a content-addressed copy in the case's
 * `evidence/blobs/<first two hex>/<sha256>` (written to a temporary name, then renamed, so a copy is either whole or
 * absent). Folder inputs get a manifest (sorted relative paths, sizes and hashes) whose own hash identifies the
 * folder. Layer: engine.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { CasePaths } from '../case/workspace.js';

export interface StoredFile {
  sha256: string;
  size: number;
  /** Path of the copy relative to the case folder, or null when only referenced. */
  evidencePath: string | null;
  /** The file to read for parsing: the copy when there is one (what was hashed is what is parsed). */
  readPath: string;
}

export function blobRelPath(sha256: string): string {
  return path.join('evidence', 'blobs', sha256.slice(0, 2), sha256);
}

/** Hashes `file` and, unless `reference`, copies it into the evidence store. */
export async function storeFile(p: CasePaths, file: string, reference: boolean, onBytes?: (n: number) => void): Promise<StoredFile> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      size += chunk.length;
      onBytes?.(chunk.length);
      cb(null, chunk);
    },
  });
  const src = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  if (reference) {
    await pipeline(src, tap, async function* (s) {
      for await (const _ of s) {
        /* hash only */
      }
    });
    return { sha256: hash.digest('hex'), size, evidencePath: null, readPath: file };
  }
  fs.mkdirSync(p.blobs, { recursive: true });
  const tmp = path.join(p.blobs, `.incoming-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await pipeline(src, tap, fs.createWriteStream(tmp));
    const sha256 = hash.digest('hex');
    const rel = blobRelPath(sha256);
    const dest = path.join(p.dir, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (fs.existsSync(dest)) fs.rmSync(tmp);
    else fs.renameSync(tmp, dest);
    fs.chmodSync(dest, 0o444);
    return { sha256, size, evidencePath: rel, readPath: dest };
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
}

export function manifestHash(entries: ManifestEntry[]): string {
  const canonical = JSON.stringify(entries.map((e) => [e.path, e.sha256, e.size]));
  return createHash('sha256').update(canonical).digest('hex');
}

export function writeManifest(p: CasePaths, sha256: string, source: string, entries: ManifestEntry[]): string {
  fs.mkdirSync(p.manifests, { recursive: true });
  const rel = path.join('evidence', 'manifests', `${sha256}.json`);
  fs.writeFileSync(path.join(p.dir, rel), JSON.stringify({ source, sha256, entries }, null, 1) + '\n');
  return rel;
}

/** Re-hashes a file; null when it is missing. */
export async function hashFile(file: string): Promise<string | null> {
  if (!fs.existsSync(file)) return null;
  const hash = createHash('sha256');
  for await (const c of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(c as Buffer);
  return hash.digest('hex');
}
