/**
 * EVTX reader against the shared corpus (evtx-attack-samples,
 * evtx-to-mitre-attack, sigma-regression-data): every .evtx file is read and
 * checked against
 *  - the per-file record counts, Channel:EventID counts and TimeCreated
 *    ranges published in each folder's README;
 *  - the independent python3-evtx oracle (test/support/evtx-oracle.ts):
 *    record count and order, EventRecordID, EventID, Channel, Provider,
 *    Computer, TimeCreated, every EventData/UserData name -> value, and the
 *    whole rendered XML;
 *  - for the sigma folder, the JSON rendering by another tool beside each file.
 *
 * Where python-evtx or the JSON tool render differently from Event Viewer,
 * Event Viewer wins and only that difference is normalised (see
 * `normaliseOracleValue` and `sigmaValueMatches`, each rule with its reason).
 */

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEvtx, type EvtxDamage, type EvtxRecord } from '../../electron/engine/formats/evtx/index.js';
import { runEvtxOracle, type OracleFile } from '../support/evtx-oracle.js';
import { attrOf, child, flattenOracle, normaliseNodes, oracleTime, readmeRows, sigmaRows, textOf, type NElem } from '../support/evtx-oracle-view.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const FOLDERS = ['evtx-attack-samples', 'evtx-to-mitre-attack', 'sigma-regression-data'] as const;

function listEvtx(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listEvtx(p));
    else if (e.name.endsWith('.evtx')) out.push(p);
  }
  return out.sort();
}

function escapeXml(s: string, attr: boolean): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (attr && ch === '"') out += '&quot;';
    else if (ch === '\r') out += '&#13;';
    else if (attr && ch === '\t') out += '&#9;';
    else if (attr && ch === '\n') out += '&#10;';
    else if ((c < 0x20 && ch !== '\t' && ch !== '\n') || c === 0xfffe || c === 0xffff || (c >= 0xd800 && c <= 0xdfff)) {
      out += `&#x${c.toString(16).toUpperCase()};`;
    } else out += ch;
  }
  return out;
}

function toXml(nodes: Array<NElem | string>): string {
  return nodes
    .map((n) => {
      if (typeof n === 'string') return escapeXml(n, false);
      const attrs = n.attrs.map(([k, v]) => ` ${k}="${escapeXml(v, true)}"`).join('');
      const body = toXml(n.children);
      return body === '' ? `<${n.name}${attrs}/>` : `<${n.name}${attrs}>${body}</${n.name}>`;
    })
    .join('');
}


// ---------------------------------------------------------------------------
// README tables


function channelEventSummary(records: EvtxRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records) {
    const k = `${r.system.channel}:${r.system.eventId}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, n]) => `${k}×${n}`)
    .join(', ');
}

function timeRange(records: EvtxRecord[]): string {
  const times = records.map((r) => r.system.timeCreated!).sort();
  const fmt = (t: string): string => t.slice(0, 19).replace('T', ' ');
  return `${fmt(times[0]!)} → ${fmt(times[times.length - 1]!)}`;
}

// ---------------------------------------------------------------------------

interface FileResult {
  path: string;
  rel: string;
  records: EvtxRecord[];
  damage: EvtxDamage[];
}

const results = new Map<string, FileResult>();
let oracle = new Map<string, OracleFile>();
const allFiles: string[] = [];

beforeAll(() => {
  if (!existsSync(CORPUS)) throw new Error(`corpus not found at ${CORPUS}`);
  for (const folder of FOLDERS) allFiles.push(...listEvtx(join(CORPUS, folder)));
  for (const path of allFiles) {
    const records: EvtxRecord[] = [];
    const damage: EvtxDamage[] = [];
    for (const item of readEvtx(readFileSync(path))) (item.kind === 'record' ? records : damage).push(item as never);
    results.set(path, { path, rel: relative(CORPUS, path), records, damage });
  }
  oracle = runEvtxOracle(allFiles);
});

describe('EVTX corpus', () => {
  it('finds every corpus file (31 + 53 + 21)', () => {
    const per = FOLDERS.map((f) => allFiles.filter((p) => relative(CORPUS, p).startsWith(f + '/')).length);
    expect(per).toEqual([31, 53, 21]);
  });

  it('reads every file without damage, 692 records in all', () => {
    const damaged = [...results.values()].filter((r) => r.damage.length > 0).map((r) => [r.rel, r.damage.map((d) => d.reason)]);
    expect(damaged).toEqual([]);
    const total = [...results.values()].reduce((n, r) => n + r.records.length, 0);
    expect(total).toBe(268 + 403 + 21);
  });

  it.each(['evtx-attack-samples', 'evtx-to-mitre-attack'] as const)('matches the %s README per-file table', (folder) => {
    const rows = readmeRows(folder);
    const files = allFiles.filter((p) => relative(CORPUS, p).startsWith(folder + '/'));
    expect(rows.size).toBe(files.length);
    for (const path of files) {
      const r = results.get(path)!;
      const row = rows.get(relative(join(CORPUS, folder), path));
      expect(row, r.rel).toBeDefined();
      expect(r.records.length, r.rel).toBe(row!.records);
      if (row!.channelEvents !== null) expect(channelEventSummary(r.records), r.rel).toBe(row!.channelEvents);
      expect(timeRange(r.records), r.rel).toBe(row!.timeRange);
    }
  });

  it('matches the sigma README case table', () => {
    const rows = sigmaRows();
    const files = allFiles.filter((p) => relative(CORPUS, p).startsWith('sigma-regression-data/'));
    expect(rows.size).toBe(21);
    for (const path of files) {
      const r = results.get(path)!;
      const dir = relative(join(CORPUS, 'sigma-regression-data'), path).split('/').slice(0, -1).join('/');
      const row = rows.get(dir);
      expect(row, r.rel).toBeDefined();
      expect(r.records.length, r.rel).toBe(row!.records);
      expect(channelEventSummary(r.records), r.rel).toBe(row!.channelEvents);
    }
  });

  it('takes time from System/TimeCreated where the record header FILETIME is zero', () => {
    const attack = [...results.values()].filter((r) => r.rel.startsWith('evtx-attack-samples/'));
    // README: in 17 attack-sample files the last record has a zero header FILETIME.
    expect(attack.filter((r) => r.records.at(-1)!.headerTime === null).length).toBe(17);
    // Not in the README: DE_WinEventLogSvc_Crash_System_7036 also has one on record 5 of 6.
    const notLast = [...results.values()].flatMap((r) =>
      r.records.slice(0, -1).flatMap((x, i) => (x.headerTime === null ? [`${r.rel}#${i + 1}`] : [])),
    );
    expect(notLast).toEqual(['evtx-attack-samples/Defense Evasion/DE_WinEventLogSvc_Crash_System_7036.evtx#5']);
    const zeroed = [...results.values()].flatMap((r) => r.records).filter((x) => x.headerTime === null);
    expect(zeroed.length).toBe(36); // python-evtx count of zero header FILETIMEs over the three folders
    for (const x of zeroed) expect(x.system.timeCreated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
  });

  it('agrees with python3-evtx on every record of every file', () => {
    expect(oracle.size).toBe(allFiles.length);
    let compared = 0;
    for (const path of allFiles) {
      const mine = results.get(path)!;
      const theirs = oracle.get(path)!;
      expect(theirs.error, mine.rel).toBeNull();
      expect(mine.records.length, mine.rel).toBe(theirs.records.length);
      mine.records.forEach((rec, i) => {
        const o = theirs.records[i]!;
        const where = `${mine.rel} record #${i + 1}`;
        expect(rec.recordId, where).toBe(BigInt(o.recordNum));
        const norm: Array<NElem | string> = [];
        normaliseNodes(o.nodes, norm);
        const event = norm.find((n): n is NElem => typeof n !== 'string')!;
        const sys = child(event, 'System');
        const provider = child(sys, 'Provider');
        expect(
          {
            eventRecordId: rec.system.eventRecordId,
            eventId: rec.system.eventId,
            channel: rec.system.channel,
            provider: rec.system.provider,
            computer: rec.system.computer,
            timeCreated: rec.system.timeCreated,
          },
          where,
        ).toEqual({
          eventRecordId: textOf(child(sys, 'EventRecordID')!),
          eventId: Number(textOf(child(sys, 'EventID')!)),
          channel: textOf(child(sys, 'Channel')!),
          provider: attrOf(provider, 'Name'),
          computer: textOf(child(sys, 'Computer')!),
          timeCreated: oracleTime(attrOf(child(sys, 'TimeCreated'), 'SystemTime')),
        });
        expect({ ...rec.eventData }, where).toEqual(flattenOracle(event));
        expect(rec.xml, where).toBe(toXml(norm));
        compared++;
      });
    }
    expect(compared).toBe(692);
  });

  it('agrees with the JSON rendering beside each sigma file', () => {
    const files = allFiles.filter((p) => relative(CORPUS, p).startsWith('sigma-regression-data/'));
    let fields = 0;
    for (const path of files) {
      const rel = results.get(path)!.rel;
      const json = JSON.parse(readFileSync(path.replace(/\.evtx$/, '.json'), 'utf8')) as { Event: SigmaEvent };
      const rec = results.get(path)!.records[0]!;
      const sys = json.Event.System;
      expect(rec.system.eventId, rel).toBe(sys.EventID);
      expect(rec.system.channel, rel).toBe(sys.Channel);
      expect(rec.system.provider, rel).toBe(sys.Provider['#attributes'].Name);
      expect(rec.system.eventRecordId, rel).toBe(String(sys.EventRecordID));
      expect(rec.system.computer, rel).toBe(sys.Computer);
      // The JSON tool prints microseconds (6 digits, truncated); we keep the
      // FILETIME's full 100 ns precision.
      expect(rec.system.timeCreated!.slice(0, 26) + 'Z', rel).toBe(sys.TimeCreated['#attributes'].SystemTime);
      const expected = flattenSigma(json.Event);
      expect(Object.keys(rec.eventData).sort(), rel).toEqual(Object.keys(expected).sort());
      for (const [k, v] of Object.entries(expected)) {
        expect(sigmaValueMatches(rec.eventData[k]!, v), `${rel} ${k}: ours ${JSON.stringify(rec.eventData[k])}, JSON ${JSON.stringify(v)}`).toBe(true);
        fields++;
      }
    }
    expect(fields).toBe(SIGMA_FIELD_COUNT);
  });
});

/** EventData/UserData leaves in the 21 sigma JSON files, so the loop cannot pass vacuously. */
const SIGMA_FIELD_COUNT = 321;

interface SigmaEvent {
  System: {
    EventID: number;
    Channel: string;
    Provider: { '#attributes': { Name: string } };
    EventRecordID: number;
    Computer: string;
    TimeCreated: { '#attributes': { SystemTime: string } };
  };
  EventData?: Record<string, unknown>;
  UserData?: Record<string, unknown>;
}

/** Leaves of EventData/UserData in the JSON, '#attributes' (xmlns) left out. */
function flattenSigma(ev: SigmaEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (o: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(o)) {
      if (k === '#attributes') continue;
      if (v !== null && typeof v === 'object') walk(v as Record<string, unknown>);
      else out[k] = v;
    }
  };
  if (ev.EventData) walk(ev.EventData);
  if (ev.UserData) walk(ev.UserData);
  return out;
}

/**
 * The JSON tool emits integers as JSON numbers; GUID-typed values without
 * the braces Event Viewer shows ("5AB40FD1-3F97-..."; string values that
 * merely contain a GUID keep theirs); and trims trailing whitespace (Sysmon's
 * ParentCommandLine `"C:\Windows\system32\cmd.exe" ` ends in a space that
 * Event Viewer and python-evtx both show). Nothing else is normalised.
 */
function sigmaValueMatches(ours: string, theirs: unknown): boolean {
  if (typeof theirs === 'number') return ours === String(theirs);
  if (typeof theirs !== 'string') return false;
  if (ours === theirs) return true;
  if (/\s$/.test(ours) && ours.trimEnd() === theirs) return true;
  return /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/.test(ours) && ours.slice(1, -1) === theirs;
}
