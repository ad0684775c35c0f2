/**
 * The case folder: `case.json` (metadata), `case.duckdb` (events and accounting), `evidence/` (content-addressed
 * copies of inputs) and `tmp/` (staging and spill, emptied by each writer). Layer: engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CASE_SCHEMA_VERSION, type CaseMeta } from '../../../shared/case.js';
import { EngineError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';

export interface CasePaths {
  dir: string;
  meta: string;
  db: string;
  evidence: string;
  blobs: string;
  manifests: string;
  tmp: string;
}

export function casePaths(dir: string): CasePaths {
  const abs = path.resolve(dir);
  return {
    dir: abs,
    meta: path.join(abs, 'case.json'),
    db: path.join(abs, 'case.duckdb'),
    evidence: path.join(abs, 'evidence'),
    blobs: path.join(abs, 'evidence', 'blobs'),
    manifests: path.join(abs, 'evidence', 'manifests'),
    tmp: path.join(abs, 'tmp'),
  };
}

export function validateTimezone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new EngineError('invalid-input', `unknown time zone "${tz}" (use an IANA name such as Europe/Berlin or UTC)`);
  }
}

export function createCaseFolder(input: Omit<CaseMeta, 'schemaVersion' | 'createdAt' | 'createdBy' | 'tool'>, dir: string): CasePaths {
  validateTimezone(input.timezone);
  const p = casePaths(dir);
  if (fs.existsSync(p.dir)) {
    const entries = fs.readdirSync(p.dir);
    if (fs.existsSync(p.meta)) throw new EngineError('conflict', `${p.dir} already holds a case (case.json exists)`);
    if (entries.length > 0) throw new EngineError('conflict', `${p.dir} exists and is not empty; choose a new folder for the case`);
  }
  fs.mkdirSync(p.blobs, { recursive: true });
  fs.mkdirSync(p.manifests, { recursive: true });
  fs.mkdirSync(p.tmp, { recursive: true });
  const meta: CaseMeta = {
    schemaVersion: CASE_SCHEMA_VERSION,
    ...input,
    createdAt: new Date().toISOString(),
    createdBy: os.userInfo().username,
    tool: `ewb ${TOOL_VERSION}`,
  };
  fs.writeFileSync(p.meta, JSON.stringify(meta, null, 2) + '\n');
  return p;
}

export function readCaseMeta(dir: string): { paths: CasePaths; meta: CaseMeta } {
  const p = casePaths(dir);
  if (!fs.existsSync(p.meta)) throw new EngineError('not-found', `${p.dir} is not a case folder (no case.json); create one with "ewb case create"`);
  let meta: CaseMeta;
  try {
    meta = JSON.parse(fs.readFileSync(p.meta, 'utf8')) as CaseMeta;
  } catch (e) {
    throw new EngineError('failed', `${p.meta} cannot be read: ${(e as Error).message}`);
  }
  if (meta.schemaVersion !== CASE_SCHEMA_VERSION) {
    throw new EngineError('failed', `${p.meta} has schema version ${meta.schemaVersion}; this tool reads version ${CASE_SCHEMA_VERSION}`);
  }
  return { paths: p, meta };
}

/** Empties the case's tmp folder (only a lock holder may call this). */
export function resetTmp(p: CasePaths): void {
  fs.rmSync(p.tmp, { recursive: true, force: true });
  fs.mkdirSync(p.tmp, { recursive: true });
}
