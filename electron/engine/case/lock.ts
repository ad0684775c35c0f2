/**
 * The case writer lock: one process writes a case at a time. The lock file names its holder (pid, host, command,
 * start time) so a second writer gets an error it can act on, and a lock left behind by a dead process on this host
 * is detected and taken over. Layer: engine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineError } from '../errors.js';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

export interface CaseLock {
  holder: LockHolder;
  /** A stale lock that was taken over, if any. */
  tookOver: LockHolder | null;
  release(): void;
}

export const LOCK_FILE = '.ewb-lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/** Who holds the case's writer lock, or null when nobody does (or the lock file cannot be read). */
export function readLockHolder(caseDir: string): LockHolder | null {
  return readHolder(path.join(caseDir, LOCK_FILE));
}

export function acquireCaseLock(caseDir: string, command: string): CaseLock {
  const file = path.join(caseDir, LOCK_FILE);
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), command, startedAt: new Date().toISOString() };
  let tookOver: LockHolder | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, JSON.stringify(holder));
      fs.closeSync(fd);
      return {
        holder,
        tookOver,
        release() {
          const current = readHolder(file);
          if (current && current.pid === holder.pid && current.startedAt === holder.startedAt) fs.rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const other = readHolder(file);
    if (other && other.host === holder.host && !isAlive(other.pid)) {
      // Stale: rename first so two processes racing for the same stale lock cannot both delete a fresh one.
      const aside = `${file}.stale-${process.pid}`;
      try {
        fs.renameSync(file, aside);
        fs.rmSync(aside, { force: true });
      } catch {
        /* another process got there first; retry */
      }
      tookOver = other;
      continue;
    }
    if (!other) {
      // Unreadable lock (being written this instant, or damaged): do not guess.
      throw new EngineError('locked', `case ${caseDir} is locked (${file} exists but cannot be read); if no ewb process is running, remove that file`);
    }
    const where = other.host === holder.host ? '' : ` on host ${other.host}`;
    throw new EngineError(
      'locked',
      `case ${caseDir} is being written by pid ${other.pid}${where} (${other.command}, started ${other.startedAt}); wait for it to finish` +
        (other.host === holder.host ? '' : `, or remove ${file} if that process is gone`),
    );
  }
  throw new EngineError('locked', `could not take the lock on case ${caseDir}`);
}
