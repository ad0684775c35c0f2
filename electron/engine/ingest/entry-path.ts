/**
 * Judging entry names inside archives: hostile names (absolute, drive letters, UNC, `..` components, NUL) are
 * refused; macOS metadata (`__MACOSX/`, `._*`) is skipped. Names are only ever used as labels: nothing is extracted
 * to a path built from them. Layer: engine.
 */

export type EntryVerdict = { ok: true; path: string } | { ok: false; status: 'refused' | 'skipped'; reason: string };

export function judgeEntryName(raw: string): EntryVerdict {
  if (raw.includes('\0')) return { ok: false, status: 'refused', reason: 'entry name contains a NUL byte' };
  const name = raw.replaceAll('\\', '/');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.startsWith('//')) {
    return { ok: false, status: 'refused', reason: `absolute path in archive entry name "${raw}"; refused, not extracted` };
  }
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) {
    return { ok: false, status: 'refused', reason: `entry name "${raw}" climbs out of the archive with ".."; refused, not extracted` };
  }
  const clean = parts.filter((p) => p !== '' && p !== '.').join('/');
  if (parts[0] === '__MACOSX' || parts.some((p) => p === '__MACOSX')) {
    return { ok: false, status: 'skipped', reason: 'macOS metadata (__MACOSX/), not a log' };
  }
  const base = parts[parts.length - 1] ?? '';
  if (base.startsWith('._')) return { ok: false, status: 'skipped', reason: 'macOS AppleDouble resource fork (._*), not a log' };
  return { ok: true, path: clean };
}
