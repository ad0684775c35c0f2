/**
 * The canned query library: one file per query under `queries/<pack>/`, a YAML header in a leading block comment
 * (metadata a reviewer reads: what it detects, why it matters, controls, parameters, false positives, columns) over
 * the SQL that runs. Files are validated with zod when loaded; a broken file is an error naming the file, never
 * skipped. Layer: engine.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { PACKS, QueryMetaSchema, type QueryDetail } from '../../../shared/queries.js';
import { EngineError } from '../errors.js';

/** The library folder: EWB_QUERY_DIR, else the `queries/` folder of the installation (found upwards from here). */
export function libraryDir(): string {
  if (process.env.EWB_QUERY_DIR) return path.resolve(process.env.EWB_QUERY_DIR);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, 'queries');
    if (fs.existsSync(path.join(candidate, 'privileged')) && fs.existsSync(path.join(candidate, 'gaps'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new EngineError('not-found', 'the canned query library (queries/) was not found beside the installation; set EWB_QUERY_DIR');
}

export function parseQueryFile(file: string, text: string): QueryDetail {
  const m = /^\s*\/\*([\s\S]*?)\*\/\s*([\s\S]*)$/.exec(text);
  if (!m) throw new EngineError('failed', `${file}: a query file starts with a /* YAML header */ followed by the SQL`);
  let doc: unknown;
  try {
    doc = YAML.parse(m[1]!);
  } catch (e) {
    throw new EngineError('failed', `${file}: the header is not valid YAML: ${(e as Error).message}`);
  }
  const parsed = QueryMetaSchema.safeParse(doc);
  if (!parsed.success) {
    throw new EngineError('failed', `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'header'}: ${i.message}`).join('; ')}`);
  }
  const sql = m[2]!.trim().replace(/;\s*$/, '');
  if (sql.length === 0) throw new EngineError('failed', `${file}: no SQL after the header`);
  const pack = path.basename(path.dirname(file));
  if (pack !== parsed.data.pack) throw new EngineError('failed', `${file}: pack "${parsed.data.pack}" but the file is in ${pack}/`);
  const base = path.basename(file, '.sql');
  if (base !== parsed.data.id) throw new EngineError('failed', `${file}: id "${parsed.data.id}" must match the file name`);
  for (const p of parsed.data.params) {
    if (!new RegExp(`\\$${p.name}\\b`).test(sql)) throw new EngineError('failed', `${file}: parameter ${p.name} is declared but not used as $${p.name}`);
  }
  return { ...parsed.data, sql, sqlSha256: createHash('sha256').update(sql).digest('hex'), file: path.relative(path.dirname(path.dirname(file)), file) };
}

let cache: { dir: string; queries: QueryDetail[] } | null = null;

/** Every query of the library, sorted by pack then id. */
export function loadLibrary(dir = libraryDir()): QueryDetail[] {
  if (cache && cache.dir === dir) return cache.queries;
  const queries: QueryDetail[] = [];
  for (const pack of PACKS) {
    const pdir = path.join(dir, pack);
    if (!fs.existsSync(pdir)) continue;
    for (const f of fs.readdirSync(pdir).filter((x) => x.endsWith('.sql')).sort()) {
      const file = path.join(pdir, f);
      queries.push(parseQueryFile(file, fs.readFileSync(file, 'utf8')));
    }
  }
  const seen = new Set<string>();
  for (const q of queries) {
    if (seen.has(q.id)) throw new EngineError('failed', `duplicate query id ${q.id}`);
    seen.add(q.id);
  }
  cache = { dir, queries };
  return queries;
}

export function findQuery(id: string): QueryDetail {
  const q = loadLibrary().find((x) => x.id === id);
  if (!q) throw new EngineError('not-found', `no canned query "${id}" (see "ewb query list")`);
  return q;
}
