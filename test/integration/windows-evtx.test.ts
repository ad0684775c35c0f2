/**
 * Native EVTX through `ewb ingest` (format `evtx`): the three corpus folders of EVTX files written by others load
 * completely, and every loaded event agrees with
 *  - the folders' README tables (per-file record counts, Channel:EventID counts, TimeCreated ranges), parsed here;
 *  - python3-evtx (test/support/evtx-oracle.ts): EventID, Channel, TimeCreated, EventRecordID, Computer, Provider and
 *    the whole `fields` map (every EventData/UserData value plus the System values);
 *  - for sigma-regression-data, the JSON rendering beside each file (also loaded, as windows_json evtx_dump).
 * Then damaged, dirty, truncated and mislabelled files, built in a temp folder from one CC0 corpus file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, newCase, sh, tmpDir, type TestCase, shellQuote as q } from '../support/tmp-case.js';
import { runEvtxOracle, type OracleFile } from '../support/evtx-oracle.js';
import { attrOf, child, flattenOracle, normaliseNodes, oracleTime, readmeRows, sigmaRows, textOf, type NElem } from '../support/evtx-oracle-view.js';
import type { ArchiveReport, MemberReport } from '../../shared/ingest.js';
import { ChunkWriter, SYSTEM_TEMPLATE, V, evtxFile, eventDataTemplate, filetimeOf, systemValues, type Elem } from '../unit/evtx/evtx-synth.js';

const FOLDERS = ['evtx-attack-samples', 'evtx-to-mitre-attack', 'sigma-regression-data'] as const;
const readme = (folder: string) => fs.readFileSync(path.join(CORPUS, folder, 'README.md'), 'utf8');

interface Ev {
  member_path: string;
  record_index: string;
  byte_offset: string;
  time: string;
  time_raw: string;
  time_inferred: string | null;
  event_code: string;
  service: string;
  host: string;
  record_id: string;
  activity: string;
  fields: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------------------------
// README tables (parsed, not retyped)

/** "**Record count:** 268 event records …" / "403 records in 53 files". */
function readmeRecordCount(folder: string): number {
  const m = /\*\*Record count:\*\*\s*(\d[\d,]*)/.exec(readme(folder));
  if (!m) throw new Error(`no record count in ${folder}/README.md`);
  return Number(m[1]!.replaceAll(',', ''));
}

/** The System channel as written: `fields.Channel`, or `System.Channel` when an EventData/UserData field took the name. */
const channelAsWritten = (e: Ev) => e.fields['System.Channel'] ?? e.fields['Channel'];

function channelEventSummary(evs: Ev[]): string {
  const counts = new Map<string, number>();
  for (const e of evs) {
    const k = `${channelAsWritten(e)}:${e.event_code}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, n]) => `${k}×${n}`)
    .join(', ');
}

/** The System values `fields` carries, by their XML names, from the oracle's tree. */
function oracleSystem(sys: NElem): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (k: string, v: string | null | undefined) => {
    if (v !== null && v !== undefined) out[k] = v;
  };
  const el = (n: string) => {
    const e = child(sys, n);
    return e ? textOf(e) : null;
  };
  set('Provider', attrOf(child(sys, 'Provider'), 'Name'));
  set('Channel', el('Channel'));
  set('EventID', el('EventID'));
  set('EventRecordID', el('EventRecordID'));
  set('Computer', el('Computer'));
  set('Level', el('Level'));
  set('Task', el('Task'));
  set('Opcode', el('Opcode'));
  set('Keywords', el('Keywords'));
  set('ProcessID', attrOf(child(sys, 'Execution'), 'ProcessID'));
  set('ThreadID', attrOf(child(sys, 'Execution'), 'ThreadID'));
  set('UserID', attrOf(child(sys, 'Security'), 'UserID'));
  set('ProviderGuid', attrOf(child(sys, 'Provider'), 'Guid'));
  set('EventSourceName', attrOf(child(sys, 'Provider'), 'EventSourceName'));
  set('Qualifiers', attrOf(child(sys, 'EventID'), 'Qualifiers'));
  set('Version', el('Version'));
  set('ActivityID', attrOf(child(sys, 'Correlation'), 'ActivityID'));
  set('RelatedActivityID', attrOf(child(sys, 'Correlation'), 'RelatedActivityID'));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

describe('EVTX corpus through ewb ingest', () => {
  let c: TestCase;
  const archives = new Map<string, ArchiveReport>();
  let evtxFiles: string[] = [];
  let byMember = new Map<string, Ev[]>();
  let oracle = new Map<string, OracleFile>();

  beforeAll(async () => {
    c = await newCase({ periodStart: '2015-01-01', periodEnd: '2026-12-31' });
    const r = await c.ingest(FOLDERS.map((f) => path.join(CORPUS, f)));
    for (const a of r.archives) archives.set(path.basename(a.path), a);
    // Listed by find, not by our walker.
    evtxFiles = sh(`cd ${q(CORPUS)} && find ${FOLDERS.join(' ')} -name '*.evtx' | LC_ALL=C sort`).trim().split('\n');
    const rows = await c.rows<Ev & { folder: string }>(
      `SELECT a.path AS folder, e.member_path, e.record_index, e.byte_offset, strftime(timezone('UTC', e.time), '%Y-%m-%dT%H:%M:%S.%fZ') AS time, e.time_raw, e.time_inferred,
              e.event_code, e.service, e.host, e.record_id, e.activity, e.fields
       FROM events e JOIN archives a ON a.sha256 = e.archive_sha256 WHERE e.source_format = 'evtx' ORDER BY a.path, e.member_path, e.record_index`,
    );
    byMember = new Map();
    for (const row of rows) {
      const key = `${path.basename(row.folder)}/${row.member_path}`;
      (byMember.get(key) ?? byMember.set(key, []).get(key)!).push(row);
    }
    oracle = runEvtxOracle(evtxFiles.map((f) => path.join(CORPUS, f)));
  }, 300_000);

  const evtxMembers = (): Array<MemberReport & { folder: string }> =>
    [...archives.entries()].flatMap(([folder, a]) => a.members.filter((m) => m.path.endsWith('.evtx')).map((m) => ({ ...m, folder })));

  it('reads every .evtx file as evtx, completely, with the README record totals', () => {
    const members = evtxMembers();
    expect(members.map((m) => `${m.folder}/${m.path}`).sort()).toEqual([...evtxFiles].sort());
    for (const m of members) {
      expect(m, m.path).toMatchObject({ format: 'evtx', status: 'loaded', rejected: 0, reason: null });
      expect(m.loaded, m.path).toBe(m.records);
    }
    for (const folder of ['evtx-attack-samples', 'evtx-to-mitre-attack'] as const) {
      expect(members.filter((m) => m.folder === folder).reduce((n, m) => n + m.loaded, 0)).toBe(readmeRecordCount(folder));
    }
    const sigma = members.filter((m) => m.folder === 'sigma-regression-data');
    expect(sigma.reduce((n, m) => n + m.loaded, 0)).toBe([...sigmaRows().values()].reduce((n, r) => n + r.records, 0));
    expect(members.reduce((n, m) => n + m.loaded, 0)).toBe(268 + 403 + 21);
    expect(byMember.size).toBe(members.length);
  });

  it.each(['evtx-attack-samples', 'evtx-to-mitre-attack'] as const)('matches the %s README table file by file', (folder) => {
    const rows = readmeRows(folder);
    const members = evtxMembers().filter((m) => m.folder === folder);
    expect(rows.size).toBe(members.length);
    for (const m of members) {
      const row = rows.get(m.path);
      expect(row, m.path).toBeDefined();
      const evs = byMember.get(`${folder}/${m.path}`)!;
      expect(evs.length, m.path).toBe(row!.records);
      if (row!.channelEvents !== null) expect(channelEventSummary(evs), m.path).toBe(row!.channelEvents);
      const times = evs.map((e) => e.time).sort();
      const fmt = (t: string) => t.slice(0, 19).replace('T', ' ');
      expect(`${fmt(times[0]!)} → ${fmt(times.at(-1)!)}`, m.path).toBe(row!.timeRange);
    }
  });

  it('matches the sigma README case table', () => {
    const rows = sigmaRows();
    const members = evtxMembers().filter((m) => m.folder === 'sigma-regression-data');
    expect(members.length).toBe(rows.size);
    for (const m of members) {
      const row = rows.get(path.dirname(m.path));
      expect(row, m.path).toBeDefined();
      const evs = byMember.get(`sigma-regression-data/${m.path}`)!;
      expect(evs.length).toBe(row!.records);
      expect(channelEventSummary(evs), m.path).toBe(row!.channelEvents);
    }
  });

  it('agrees with python3-evtx on every event: EventID, channel, TimeCreated, record id, host and every field', () => {
    let events = 0;
    let dataFields = 0;
    for (const rel of evtxFiles) {
      const theirs = oracle.get(path.join(CORPUS, rel))!;
      expect(theirs.error, rel).toBeNull();
      const mine = byMember.get(rel)!;
      expect(mine.length, rel).toBe(theirs.records.length);
      mine.forEach((e, i) => {
        const where = `${rel} #${i + 1}`;
        const norm: Array<NElem | string> = [];
        normaliseNodes(theirs.records[i]!.nodes, norm);
        const event = norm.find((n): n is NElem => typeof n !== 'string')!;
        const sys = child(event, 'System')!;
        const t = oracleTime(attrOf(child(sys, 'TimeCreated'), 'SystemTime'))!;
        expect(
          { event_code: e.event_code, channel: channelAsWritten(e), time_raw: e.time_raw, time: e.time, record_id: e.record_id, host: e.host, inferred: e.time_inferred },
          where,
        ).toEqual({
          event_code: textOf(child(sys, 'EventID')!),
          channel: textOf(child(sys, 'Channel')!),
          time_raw: t,
          // TIMESTAMPTZ keeps microseconds: the 7th digit is cut, never rounded.
          time: `${t.slice(0, 26)}Z`,
          record_id: textOf(child(sys, 'EventRecordID')!),
          host: textOf(child(sys, 'Computer')!),
          inferred: null,
        });
        // `fields` = System values by their XML names, then every EventData/UserData value; a System value whose name a
        // data field has is kept as System.<name> when it differs.
        const data = flattenOracle(event);
        const system = Object.entries(oracleSystem(sys))
          .filter(([k, v]) => data[k] !== v)
          .map(([k, v]) => [Object.hasOwn(data, k) ? `System.${k}` : k, v]);
        expect(e.fields, where).toEqual({ ...Object.fromEntries(system), ...data });
        dataFields += Object.keys(data).length;
        events++;
      });
    }
    expect(events).toBe(268 + 403 + 21);
    expect(dataFields).toBeGreaterThan(5000);
  });

  it('agrees with the JSON rendering beside each sigma file, and loads that JSON to the same normalized event', async () => {
    const cases = [...sigmaRows().keys()];
    let fields = 0;
    for (const dir of cases) {
      const evtxRel = evtxFiles.find((f) => f.startsWith(`sigma-regression-data/${dir}/`))!;
      const json = JSON.parse(fs.readFileSync(path.join(CORPUS, evtxRel.replace(/\.evtx$/, '.json')), 'utf8')) as {
        Event: { System: Record<string, any>; EventData?: Record<string, unknown>; UserData?: Record<string, unknown> };
      };
      const e = byMember.get(evtxRel)![0]!;
      const sys = json.Event.System;
      expect(e.event_code).toBe(String(sys['EventID']));
      expect(channelAsWritten(e)).toBe(sys['Channel']);
      expect(e.fields['Provider']).toBe(sys['Provider']['#attributes']['Name']);
      expect(e.record_id).toBe(String(sys['EventRecordID']));
      expect(e.host).toBe(sys['Computer']);
      // The JSON tool prints 6 digits (truncated), as the time column does.
      expect(e.time).toBe(sys['TimeCreated']['#attributes']['SystemTime']);
      const leaves: Record<string, unknown> = {};
      const walk = (o: Record<string, unknown>) => {
        for (const [k, v] of Object.entries(o)) {
          if (k === '#attributes') continue;
          if (v !== null && typeof v === 'object') walk(v as Record<string, unknown>);
          else leaves[k] = v;
        }
      };
      walk(json.Event.EventData ?? {});
      walk(json.Event.UserData ?? {});
      for (const [k, v] of Object.entries(leaves)) {
        const ours = e.fields[k]!;
        // The JSON tool writes integers as numbers, GUID values without braces and trims trailing blanks.
        const same =
          typeof v === 'number'
            ? ours === String(v)
            : ours === v || ours.trimEnd() === v || (/^\{[0-9A-F-]{36}\}$/.test(ours) && ours.slice(1, -1) === v);
        expect(same, `${evtxRel} ${k}: ${JSON.stringify(ours)} vs ${JSON.stringify(v)}`).toBe(true);
        fields++;
      }
    }
    expect(fields).toBe(321); // EventData/UserData leaves in the 21 JSON files (evtx-corpus.test.ts counts the same)

    // The JSON twins (and the one .jsoncls) are Windows events too: same normalized columns as their EVTX.
    const cols = 'event_code, service, activity, category, status, actor_user, actor_domain, actor_id, actor_type, src_ip, host, target, process, command_line, record_id';
    const pairs = await c.rows<{ a: string; b: string; n: string }>(
      `WITH x AS (SELECT regexp_replace(member_path, '/[^/]*$', '') AS dir, source_format, to_json(struct_pack(${cols
        .split(', ')
        .map((k) => `${k} := ${k}`)
        .join(', ')}, t := strftime(timezone('UTC', time), '%Y-%m-%dT%H:%M:%S.%f')))::VARCHAR AS v
        FROM events WHERE member_path LIKE 'rules/windows/%')
       SELECT e.v AS a, j.v AS b, count(*) OVER () AS n FROM x e JOIN x j USING (dir) WHERE e.source_format = 'evtx' AND j.source_format = 'windows_json_evtx_dump'`,
    );
    expect(pairs.length).toBe(22); // 21 cases, one of them with a second (.jsoncls) rendering
    for (const p of pairs) expect(p.b).toBe(p.a);
    const twins = [...archives.get('sigma-regression-data')!.members].filter((m) => /\.json(cls)?$/.test(m.path));
    expect(twins.length).toBe(22);
    for (const m of twins) expect(m, m.path).toMatchObject({ format: 'windows_json', records: 1, loaded: 1, rejected: 0, status: 'loaded' });
  });

  it('takes time from System/TimeCreated and record_id from EventRecordID, never from the record header', async () => {
    // README: in 17 attack-sample files the last record has a zero header FILETIME; header numbers restart at 1.
    const rows = await c.rows<{ n: string; zero: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE time IS NULL) AS zero FROM events WHERE source_format = 'evtx'`,
    );
    expect(rows[0]).toEqual({ n: '692', zero: '0' });
    // README: "System/EventRecordID keeps the original machine's ids (e.g. 887106…)"; no file's ids restart at 1.
    const ids = await c.rows<{ record_id: string }>(
      `SELECT record_id FROM events WHERE member_path = 'Credential Access/kerberos_pwd_spray_4771.evtx' ORDER BY record_index LIMIT 2`,
    );
    expect(ids.map((r) => r.record_id)).toEqual(['887106', '887107']);
    expect(await c.one(`SELECT count(*) FROM events WHERE source_format = 'evtx' AND record_id = record_index::VARCHAR`)).toBe('0');
  });

  it('puts each record at its file offset, with the XML the reader rendered as raw', async () => {
    const rel = 'Persistence/Network_Service_Guest_added_to_admins_4732.evtx';
    const bytes = fs.readFileSync(path.join(CORPUS, 'evtx-attack-samples', rel));
    const evs = await c.rows<{ byte_offset: string; raw: string; line: string | null }>(`SELECT byte_offset, raw, line FROM events WHERE member_path = ${q(rel)} ORDER BY record_index`);
    expect(evs.length).toBe(2);
    for (const e of evs) {
      const off = Number(e.byte_offset);
      expect(bytes.subarray(off, off + 4)).toEqual(Buffer.from([0x2a, 0x2a, 0, 0])); // record signature
      expect(e.line).toBeNull();
      expect(e.raw).toMatch(/^<Event xmlns="http:\/\/schemas\.microsoft\.com\/win\/2004\/08\/events\/event"><System>.*<EventID>4732<\/EventID>.*<\/Event>$/s);
    }
  });

  it('normalizes the privileged and logging-gap events the READMEs name', async () => {
    // "a user added to privileged group query must hit Security:4732 in Network_Service_Guest_added_to_admins_4732.evtx"
    const added = await c.rows<Record<string, string>>(
      `SELECT activity, category, target, actor_user, actor_domain, fields['MemberSid'] AS member FROM events
       WHERE member_path = 'Persistence/Network_Service_Guest_added_to_admins_4732.evtx' ORDER BY record_index`,
    );
    expect(added.map((r) => [r.activity, r.category, r.target])).toEqual([
      ['group_member_added', 'account_management', 'Builtin\\Administrators'],
      ['group_member_added', 'account_management', 'Builtin\\Administrators'],
    ]);
    // "a log cleared query must hit Security:1102 in DE_1102_security_log_cleared.evtx and in the 7 other files whose
    // capture starts with a 1102": as many files as README rows listing Security:1102.
    const withClear = [...readmeRows('evtx-attack-samples').entries()].filter(([, r]) => r.channelEvents?.includes('Security:1102')).map(([f]) => f);
    expect(withClear.length).toBe(8);
    const cleared = await c.rows<{ member_path: string; actor_user: string; target: string; status: string }>(
      `SELECT e.member_path, e.actor_user, e.target, e.status FROM events e JOIN archives a ON a.sha256 = e.archive_sha256
       WHERE a.path LIKE '%evtx-attack-samples' AND e.activity = 'log_cleared' AND e.service = 'Security' ORDER BY e.member_path`,
    );
    expect(cleared.map((r) => r.member_path)).toEqual([...withClear].sort());
    for (const r of cleared) expect(r).toMatchObject({ target: 'Security', status: 'success' });
    expect(cleared.every((r) => r.actor_user !== null)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Damage, dirt, truncation and files that are not EVTX (built from one CC0 file in a temp folder)

/** Record frames of a clean one-chunk file, walked here from the raw bytes (signature, size, trailer). */
function recordFrames(file: Buffer): Array<{ offset: number; size: number; number: bigint }> {
  const out: Array<{ offset: number; size: number; number: bigint }> = [];
  const free = file.readUInt32LE(4096 + 48);
  for (let off = 4096 + 512; off < 4096 + free; ) {
    expect(file.readUInt32LE(off)).toBe(0x2a2a);
    const size = file.readUInt32LE(off + 4);
    expect(file.readUInt32LE(off + size - 4)).toBe(size);
    out.push({ offset: off, size, number: file.readBigUInt64LE(off + 8) });
    off += size;
  }
  return out;
}

function setHeaderCrc(b: Buffer): void {
  b.writeUInt32LE(crc32(b.subarray(0, 120)) >>> 0, 124);
}

describe('EVTX files that are damaged, dirty, truncated or not EVTX', () => {
  const SRC = path.join(CORPUS, 'evtx-to-mitre-attack', 'TA0003-Persistence', 'T1098.xxx-Account manipulation', 'ID4728-Massive account group membership change.evtx');
  let work: string;
  let clean: Buffer;
  let frames: Array<{ offset: number; size: number; number: bigint }>;

  beforeAll(() => {
    work = tmpDir('ewb-evtx-damage-');
    clean = fs.readFileSync(SRC);
    frames = recordFrames(clean);
  });

  const write = (name: string, b: Buffer) => {
    const p = path.join(work, name);
    fs.writeFileSync(p, b);
    return p;
  };

  async function load(file: string, format?: string) {
    const c = await newCase({ periodStart: '2015-01-01', periodEnd: '2026-12-31' });
    const r = await c.ingest([file], format ? { format } : {});
    return { c, m: r.archives[0]!.members[0]! };
  }

  it('loads the clean file: as many events as record frames', async () => {
    expect(frames.length).toBeGreaterThan(10);
    const { m } = await load(write('clean.evtx', clean));
    expect(m).toMatchObject({ format: 'evtx', status: 'loaded', records: frames.length, loaded: frames.length, rejected: 0 });
  });

  it('rejects one record whose BinXML is damaged, keeping its bytes, and loads the others', async () => {
    const b = Buffer.from(clean);
    const victim = frames[5]!;
    // Overwrite the record's BinXML (after its 24-byte header) with a token that does not exist.
    b.fill(0xee, victim.offset + 24, victim.offset + 40);
    const { c, m } = await load(write('binxml.evtx', b));
    expect(m).toMatchObject({ records: frames.length, loaded: frames.length - 1, rejected: 1, status: 'partial' });
    // The chunk's records checksum no longer matches: reported as damage of the member.
    expect(m.reason).toMatch(/^event records checksum mismatch at file offset 0x1034/);
    const rej = await c.rows<{ record_index: string; byte_offset: string; reason: string; len: string; raw_hex: string }>(
      `SELECT record_index, byte_offset, reason, octet_length(raw) AS len, left(hex(raw), 8) AS raw_hex FROM rejects`,
    );
    expect(rej).toEqual([
      {
        record_index: '6',
        byte_offset: String(victim.offset),
        reason: expect.stringMatching(new RegExp(`^EVTX record damaged: record ${victim.number} at file offset 0x${victim.offset.toString(16)} \\(chunk 0 offset 0x[0-9a-f]+\\): BinXML `)),
        len: String(victim.size),
        raw_hex: '2A2A0000',
      },
    ]);
    expect(await c.one(`SELECT count(*) FROM events WHERE record_index = 6`)).toBe('0');
  });

  it('reports a record lost with its signature as damage and names the missing record number', async () => {
    const b = Buffer.from(clean);
    const victim = frames[3]!;
    b.fill(0, victim.offset, victim.offset + 4);
    const { m } = await load(write('nosig.evtx', b));
    expect(m).toMatchObject({ records: frames.length - 1, loaded: frames.length - 1, rejected: 0, status: 'partial' });
    expect(m.reason).toContain(`no record signature`);
    expect(m.reason).toContain(`were not found: ${victim.number}`);
  });

  it('loads what precedes a truncation and rejects the record cut in two', async () => {
    const cutRecord = frames[7]!;
    const cut = cutRecord.offset + 100;
    const { c, m } = await load(write('truncated.evtx', clean.subarray(0, cut)));
    expect(m).toMatchObject({ records: 8, loaded: 7, rejected: 1, status: 'partial' });
    expect(m.reason).toContain(`chunk at file offset 0x1000 (chunk 0 offset 0x0) is truncated: ${cut - 4096} of 65536 bytes present`);
    expect(await c.one<string>(`SELECT reason FROM rejects`)).toMatch(
      new RegExp(`^EVTX record damaged: record ${cutRecord.number} at file offset 0x${cutRecord.offset.toString(16)} \\(chunk 0 offset 0x[0-9a-f]+\\): record size ${cutRecord.size} runs past the end of the chunk data`),
    );
    expect(await c.one(`SELECT octet_length(raw) FROM rejects`)).toBe(String(cut - cutRecord.offset));
  });

  it('reports a file that ends inside its header, and one shorter than its header declares', async () => {
    const short = await load(write('short.evtx', clean.subarray(0, 2000)));
    expect(short.m).toMatchObject({ format: 'evtx', records: 0, status: 'partial', reason: 'file truncated to 2000 bytes, inside the 4096-byte file header block; no chunks' });
    const b = Buffer.from(clean);
    b.writeUInt16LE(3, 42); // declares 3 chunks; holds 1
    setHeaderCrc(b);
    const declared = await load(write('declared.evtx', b));
    expect(declared.m).toMatchObject({ records: frames.length, loaded: frames.length, status: 'partial' });
    expect(declared.m.reason).toBe(`the file ends after 1 chunk slot(s) (${clean.length} bytes) but its header declares 3 chunks: the file is truncated`);
  });

  it('loads a dirty file (flag set, header not closed cleanly) completely', async () => {
    const b = Buffer.from(clean);
    b.writeUInt32LE(b.readUInt32LE(120) | 1, 120); // dirty flag
    setHeaderCrc(b);
    const { m } = await load(write('dirty.evtx', b));
    expect(m).toMatchObject({ status: 'loaded', loaded: frames.length, rejected: 0 });
  });

  it('reports a file header checksum mismatch and still reads every record', async () => {
    const b = Buffer.from(clean);
    b.writeUInt32LE(b.readUInt32LE(124) ^ 1, 124);
    const { m } = await load(write('badcrc.evtx', b));
    expect(m).toMatchObject({ status: 'partial', loaded: frames.length, rejected: 0 });
    expect(m.reason).toMatch(/^file header checksum mismatch at file offset 0x7c/);
  });

  it('reports, never crashes on, bytes that are not EVTX: a forced --format evtx and a mislabelled .evtx', async () => {
    const text = write('not-evtx.log', Buffer.from('Jan  1 00:00:00 host sshd[1]: hello\n'));
    const forced = await load(text, 'evtx');
    expect(forced.m).toMatchObject({ format: 'evtx', records: 0, loaded: 0, status: 'partial' });
    expect(forced.m.reason).toBe('not an EVTX file: expected signature "ElfFile\\0" at offset 0, found bytes 4a 61 6e 20 20 31 20 30; the member was not read as EVTX');
    expect(forced.m.sha256).toBe(sh(`sha256sum ${q(text)}`).split(' ')[0]);
    const junk = Buffer.alloc(70000);
    for (let i = 1; i < junk.length; i += 2) junk[i] = 0x5a; // NUL-rich: binary, not text
    const named = await load(write('System.evtx', junk));
    expect(named.m).toMatchObject({ format: 'evtx', records: 0, status: 'partial' });
    expect(named.m.reason).toMatch(/^not an EVTX file: expected signature "ElfFile\\0" at offset 0, found bytes 00 5a 00 5a/);
    expect(named.m.sha256).toBe(sh(`sha256sum ${q(path.join(work, 'System.evtx'))}`).split(' ')[0]);
  });
  it('rejects records the reader decodes but that are not placeable events, each with its reason (test EVTX writer)', async () => {
    const t0 = filetimeOf('2024-01-01T00:00:00.0000000Z');
    const w = new ChunkWriter();
    const plain = (children: Elem['children']) => ({ element: { el: 'Event', children: [{ el: 'System', children }] } as Elem });
    w.record({
      id: 1n,
      time: t0,
      doc: {
        template: SYSTEM_TEMPLATE,
        values: systemValues({ eventId: 4624, time: t0, eventRecordId: 501n, payload: V.binxml({ template: eventDataTemplate(0x3333, ['TargetUserName', 'IpAddress']), values: [V.str('erin'), V.str('127.0.0.1')] }) }),
      },
    });
    w.record({ id: 2n, time: t0, doc: plain([{ el: 'TimeCreated', attrs: [['SystemTime', { text: '2024-01-01T00:00:01.0000000Z' }]] }, { el: 'Channel', children: [{ text: 'Security' }] }]) });
    w.record({ id: 3n, time: t0, doc: plain([{ el: 'EventID', children: [{ text: '4624' }] }, { el: 'Channel', children: [{ text: 'Security' }] }]) });
    w.record({ id: 4n, time: t0, doc: plain([{ el: 'EventID', children: [{ text: '4634' }] }, { el: 'TimeCreated', attrs: [['SystemTime', { text: 'not a time' }]] }]) });
    const { c, m } = await load(write('synthetic.evtx', Buffer.from(evtxFile([w.finish()]))));
    expect(m).toMatchObject({ format: 'evtx', records: 4, loaded: 1, rejected: 3, status: 'rejects' });
    expect(await c.rows(`SELECT activity, actor_user, src_ip, record_id, strftime(timezone('UTC', time), '%Y-%m-%dT%H:%M:%S') AS t FROM events`)).toEqual([
      { activity: 'logon', actor_user: 'erin', src_ip: '127.0.0.1', record_id: '501', t: '2024-01-01T00:00:00' },
    ]);
    expect(await c.rows(`SELECT record_index, byte_offset, reason FROM rejects ORDER BY record_index`)).toEqual([
      { record_index: '2', byte_offset: String(4096 + w.records[1]!.offset), reason: 'not a Windows event: System/EventID missing' },
      { record_index: '3', byte_offset: String(4096 + w.records[2]!.offset), reason: 'System/TimeCreated/@SystemTime missing' },
      { record_index: '4', byte_offset: String(4096 + w.records[3]!.offset), reason: 'unparseable or missing timestamp: "not a time"' },
    ]);
  });
  it('loads the complete records of an EVTX whose gzip layer is cut off, and reports the damage', async () => {
    // Stored (level 0) deflate: the bytes that arrive before the cut are the file's bytes, 10 (gzip) + 5 (block
    // header) bytes behind; the cut falls in the middle of the 7th record.
    const victim = frames[6]!;
    const gz = gzipSync(clean, { level: 0 });
    const { c, m } = await load(write('Security.evtx.gz', gz.subarray(0, 15 + victim.offset + Math.floor(victim.size / 2))));
    expect(m).toMatchObject({ format: 'evtx', status: 'partial', records: 7, loaded: 6, rejected: 1 });
    expect(m.reason).toMatch(/compressed stream truncated|unexpected end of file/i);
    const offsets = await c.rows<{ byte_offset: string }>(`SELECT byte_offset FROM events ORDER BY record_index`);
    expect(offsets.map((r) => Number(r.byte_offset))).toEqual(frames.slice(0, 6).map((f) => f.offset));
    expect(await c.one<string>(`SELECT reason FROM rejects`)).toMatch(new RegExp(`^EVTX record damaged: record ${victim.number} at file offset 0x${victim.offset.toString(16)} `));
  });
});
