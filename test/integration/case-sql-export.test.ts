/**
 * Case workspace, the read-only SQL console, Parquet export and the `ewb` command line (exit codes, JSON report,
 * progress lines).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../electron/engine/api.js';
import { newCase, REPO, tmpDir, type TestCase } from '../support/tmp-case.js';

const api = createApi();
const bin = path.join(REPO, 'bin/ewb.mjs');
function ewb(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let work: string;
let c: TestCase;
let authLog: string;
let ctObject: string;

beforeAll(async () => {
  work = tmpDir();
  // auth.log spanning New Year: written Dec 30 .. Jan 2, file dated Jan 2 2024.
  authLog = path.join(work, 'auth.log');
  fs.writeFileSync(
    authLog,
    [
      'Dec 30 23:59:58 bastion sshd[10]: Accepted publickey for alice from 10.0.0.5 port 5000 ssh2',
      'Dec 31 12:00:00 bastion sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
      'Jan  1 00:00:01 bastion su: (to root) alice on pts/0',
      'Jan  2 08:15:00 bastion useradd[77]: new user: name=backup2, UID=1002, GID=1002, home=/home/backup2, shell=/bin/bash',
      '',
    ].join('\n'),
  );
  fs.utimesSync(authLog, new Date('2024-01-02T09:00:00Z'), new Date('2024-01-02T09:00:00Z'));
  ctObject = path.join(work, '123456789012_CloudTrail_eu-west-1_20240101T0000Z_abc.json.gz');
  fs.writeFileSync(
    ctObject,
    zlib.gzipSync(
      JSON.stringify({
        Records: [
          { eventVersion: '1.08', eventTime: '2024-01-01T00:00:05Z', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', userIdentity: { type: 'Root', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' }, responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'No' }, recipientAccountId: '123456789012' },
          { eventVersion: '1.08', eventTime: '2024-01-01T00:01:00Z', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', userIdentity: { type: 'IAMUser', userName: 'admin', arn: 'arn:aws:iam::123456789012:user/admin', accountId: '123456789012' }, requestParameters: { userName: 'mallory' }, errorCode: 'AccessDenied', recipientAccountId: '123456789012' },
        ],
      }),
    ),
  );
  c = await newCase({ periodStart: '2023-10-01', periodEnd: '2024-03-31', timezone: 'Europe/Berlin' });
  const r = await c.ingest([authLog, ctObject]);
  expect(r.totals).toEqual({ records: 6, loaded: 6, rejected: 0 });
});

describe('year inference and time zones', () => {
  it('dates RFC 3164 lines across the Dec → Jan rollover from the file date, in the case time zone', async () => {
    const ev = await c.rows<Record<string, string>>(`SELECT time, time_raw, time_inferred, activity, actor_user, target FROM events WHERE source_family = 'linux' ORDER BY record_index`);
    expect(ev.map((e) => [e['time'], e['time_raw'], e['activity'], e['actor_user'], e['target']])).toEqual([
      ['2023-12-30T22:59:58Z', 'Dec 30 23:59:58', 'ssh_login', 'alice', null],
      ['2023-12-31T11:00:00Z', 'Dec 31 12:00:00', 'sudo', 'alice', 'root'],
      ['2023-12-31T23:00:01Z', 'Jan  1 00:00:01', 'su', 'alice', 'root'],
      ['2024-01-02T07:15:00Z', 'Jan  2 08:15:00', 'user_created', null, 'backup2'],
    ]);
    expect(ev[0]!['time_inferred']).toBe('year 2023 inferred from file date 2024-01-02; local time in Europe/Berlin');
    expect(ev[3]!['time_inferred']).toBe('year 2024 inferred from file date 2024-01-02; local time in Europe/Berlin');
  });

  it('keeps CloudTrail times in UTC and normalizes root console logins', async () => {
    const ev = await c.rows<Record<string, unknown>>(`SELECT time, activity, service, actor_user, actor_type, status, error_code, target, category, raw->>'$.additionalEventData.MFAUsed' AS mfa, fields FROM events WHERE source_family = 'aws_cloudtrail' ORDER BY time`);
    expect(ev[0]).toMatchObject({ time: '2024-01-01T00:00:05Z', activity: 'ConsoleLogin', actor_user: 'root', actor_type: 'Root', status: 'success', category: 'authentication' });
    expect(ev[0]).toMatchObject({ service: 'signin.amazonaws.com', mfa: 'No', fields: null });
    expect(ev[1]).toMatchObject({ activity: 'CreateUser', actor_user: 'admin', status: 'failure', error_code: 'AccessDenied', target: 'mallory', category: 'iam' });
  });
});

describe('case workspace', () => {
  it('summarizes archives, sources, time range and rejects', async () => {
    const info = await api.invoke('case.info', { dir: c.dir });
    expect(info.meta).toMatchObject({ name: 'Test case', timezone: 'Europe/Berlin', periodStart: '2023-10-01', periodEnd: '2024-03-31', schemaVersion: 1 });
    expect(info.archives).toHaveLength(2);
    expect(info.archives.map((a) => [path.basename(a.path), a.storedAs, a.status, a.records, a.loaded])).toEqual([
      ['auth.log', 'copy', 'loaded', 4, 4],
      [path.basename(ctObject), 'copy', 'loaded', 2, 2],
    ]);
    expect(info.sources).toEqual([
      { sourceFamily: 'aws_cloudtrail', sourceFormat: 'cloudtrail', events: 2, firstTime: '2024-01-01T00:00:05Z', lastTime: '2024-01-01T00:01:00Z' },
      { sourceFamily: 'linux', sourceFormat: 'syslog_rfc3164', events: 4, firstTime: '2023-12-30T22:59:58Z', lastTime: '2024-01-02T07:15:00Z' },
    ]);
    expect(info.totals).toEqual({ events: 6, rejects: 0, firstTime: '2023-12-30T22:59:58Z', lastTime: '2024-01-02T07:15:00Z' });
  });

  it('re-checks stored copies and referenced inputs against their hashes', async () => {
    const k = await newCase();
    const ref = path.join(work, 'referenced.log');
    fs.writeFileSync(ref, fs.readFileSync(authLog, 'utf8').replace('alice', 'bob'));
    await k.ingest([ref], { reference: true });
    await k.ingest([authLog]);
    let v = await api.invoke('case.verify', { dir: k.dir });
    expect(v.ok).toBe(true);
    expect(v.items.map((i) => [i.storedAs, i.result])).toEqual([
      ['reference', 'ok'],
      ['copy', 'ok'],
    ]);
    fs.appendFileSync(ref, 'tampered\n');
    v = await api.invoke('case.verify', { dir: k.dir });
    expect(v.ok).toBe(false);
    expect(v.items[0]).toMatchObject({ storedAs: 'reference', result: 'mismatch' });
    expect(v.items[1]!.result).toBe('ok');
    expect(fs.readdirSync(path.join(k.dir, 'evidence/blobs')).length).toBe(1); // only the copied input
  });

  it('re-checks the database: member counts and the quarter-hour summary against the stored events', async () => {
    const k = await newCase();
    await k.ingest([authLog]);
    let v = await api.invoke('case.verify', { dir: k.dir });
    expect(v.checks).toEqual([
      { name: 'member counts', ok: true, detail: 'every member holds exactly the records its load reported' },
      { name: 'quarter-hour summary', ok: true, detail: 'event_buckets agrees with events for every member, stream and quarter hour' },
    ]);
    const n = Number(await k.one('SELECT count(*) FROM events'));
    expect(Number(await k.one('SELECT sum(events) FROM event_buckets'))).toBe(n);
    // Someone removes an event behind the tool's back (outside ewb: the SQL console is read-only).
    const victim = await k.one<string>('SELECT event_id FROM events ORDER BY time, event_id LIMIT 1');
    const db = await DuckDBInstance.create(path.join(k.dir, 'case.duckdb'));
    const con = await db.connect();
    await con.run("SET TimeZone = 'UTC'");
    const stream = (await con.runAndReadAll(`SELECT stream, ewb_iso(ewb_bucket(time)) FROM events WHERE event_id = '${victim}'`)).getRows()[0]!;
    await con.run(`DELETE FROM events WHERE event_id = '${victim}'`);
    con.closeSync();
    db.closeSync();
    v = await api.invoke('case.verify', { dir: k.dir });
    expect(v.ok).toBe(false);
    expect(v.items.every((i) => i.result === 'ok')).toBe(true);
    expect(v.checks[0]).toMatchObject({ name: 'member counts', ok: false });
    expect(v.checks[0]!.detail).toMatch(/auth\.log: reported \d+ loaded\/\d+ rejected, holds \d+\/\d+/);
    expect(v.checks[1]).toMatchObject({ name: 'quarter-hour summary', ok: false });
    expect(v.checks[1]!.detail).toContain(`${String(stream[0])} at ${String(stream[1])}`);
  });

  it('refuses to create a case over an existing one or in a non-empty folder, and bad settings', async () => {
    await expect(api.invoke('case.create', { dir: c.dir, name: 'x', org: 'y', periodStart: '2024-01-01', periodEnd: '2024-01-31' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(api.invoke('case.create', { dir: work, name: 'x', org: 'y', periodStart: '2024-01-01', periodEnd: '2024-01-31' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(api.invoke('case.create', { dir: path.join(work, 'n1'), name: 'x', org: 'y', periodStart: '2024-02-01', periodEnd: '2024-01-31' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'input: period start must not be after period end',
    });
    await expect(api.invoke('case.create', { dir: path.join(work, 'n2'), name: 'x', org: 'y', periodStart: '2024-01-01', periodEnd: '2024-01-31', timezone: 'Mars/Olympus' })).rejects.toMatchObject({
      code: 'invalid-input',
    });
    await expect(api.invoke('case.info', { dir: work })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('computes stable event ids from archive hash, member path and record index', async () => {
    expect(await c.one<string>(`SELECT min(event_id) FROM events WHERE record_index = 1`)).toMatch(/^[0-9a-f]{20}-1$/);
    const ids = await c.rows<{ event_id: string; expected: string }>(
      `SELECT event_id, substr(sha256(archive_sha256 || '|' || member_path), 1, 20) || '-' || record_index AS expected FROM events`,
    );
    expect(ids).toHaveLength(6);
    for (const r of ids) expect(r.event_id).toBe(r.expected);
    // The same archive in another case gets the same ids.
    const k = await newCase({ periodStart: '2023-10-01', periodEnd: '2024-03-31', timezone: 'Europe/Berlin' });
    await k.ingest([ctObject]);
    const other = await k.rows<{ event_id: string }>('SELECT event_id FROM events ORDER BY event_id');
    const mine = await c.rows<{ event_id: string }>(`SELECT event_id FROM events WHERE source_family = 'aws_cloudtrail' ORDER BY event_id`);
    expect(other).toEqual(mine);
  });
});

describe('read-only SQL', () => {
  const attempts: Array<[string, RegExp]> = [
    ["INSERT INTO events (event_id) VALUES ('x')", /INSERT statement/],
    ['DELETE FROM events', /DELETE statement/],
    ["UPDATE events SET actor_user = 'x'", /UPDATE statement/],
    ['DROP TABLE events', /DROP statement/],
    ['CREATE TABLE x AS SELECT 1', /CREATE statement/],
    ["ATTACH '/tmp/other.duckdb' AS o", /ATTACH statement/],
    ["COPY events TO '/tmp/leak.csv'", /COPY statement|external access|disabled/i],
    ["SET memory_limit = '1GB'", /SET statement|VARIABLE_SET/],
    ["INSTALL httpfs", /EXTENSION|LOAD|statement/],
    ['CHECKPOINT', /statement/],
  ];
  it.each(attempts)('refuses %s', async (sql, re) => {
    const e = await api.invoke('sql.run', { dir: c.dir, sql }).then(
      () => null,
      (x: Error & { code: string }) => x,
    );
    expect(e?.code).toBe('read-only');
    expect(e?.message).toMatch(/the case is read-only here/);
    expect(e?.message).toMatch(re);
  });

  it('refuses reading files from a query (external access is off)', async () => {
    await expect(api.invoke('sql.run', { dir: c.dir, sql: `SELECT * FROM read_csv('${authLog}')` })).rejects.toMatchObject({
      code: 'read-only',
      message: expect.stringMatching(/^the case is read-only here: .*(disabled|external)/i),
    });
  });

  it('refuses several statements at once', async () => {
    await expect(api.invoke('sql.run', { dir: c.dir, sql: 'SELECT 1; DELETE FROM events' })).rejects.toMatchObject({ message: 'give exactly one statement (found 2)' });
  });

  it('answers queries and says when rows were cut', async () => {
    const r = await api.invoke('sql.run', { dir: c.dir, sql: 'SELECT record_index, time FROM events ORDER BY time', maxRows: 4 });
    expect(r.columns).toEqual(['record_index', 'time']);
    expect(r.types).toEqual(['BIGINT', 'TIMESTAMP WITH TIME ZONE']);
    expect(r.rowCount).toBe(4);
    expect(r.truncated).toBe(true);
    expect(r.rows[0]).toEqual(['1', '2023-12-30T22:59:58Z']);
    expect(await c.one<string>('SELECT count(*) FROM events')).toBe('6');
  });
});

describe('Parquet export', () => {
  it('writes Hive partitions by source family and event date that DuckDB reads back unchanged', async () => {
    const out = path.join(work, 'export');
    const r = await api.invoke('export.parquet', { dir: c.dir, out });
    expect(r.rows).toBe(6);
    expect(r.partitions).toEqual([
      { sourceFamily: 'aws_cloudtrail', eventDate: '2024-01-01', rows: 2 },
      { sourceFamily: 'linux', eventDate: '2023-12-30', rows: 1 },
      { sourceFamily: 'linux', eventDate: '2023-12-31', rows: 2 },
      { sourceFamily: 'linux', eventDate: '2024-01-02', rows: 1 },
    ]);
    expect(fs.existsSync(path.join(out, 'source_family=linux', 'event_date=2023-12-31'))).toBe(true);
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const back = await con.runAndReadAll(
      `SELECT source_family, event_date::VARCHAR AS d, count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS ids FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`,
    );
    expect(back.getRowObjectsJson()).toEqual([
      { source_family: 'aws_cloudtrail', d: '2024-01-01', n: 2, ids: 2 },
      { source_family: 'linux', d: '2023-12-30', n: 1, ids: 1 },
      { source_family: 'linux', d: '2023-12-31', n: 2, ids: 2 },
      { source_family: 'linux', d: '2024-01-02', n: 1, ids: 1 },
    ]);
    const raw = await con.runAndReadAll(`SELECT raw FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true) WHERE activity = 'sudo'`);
    expect(raw.getRows()[0]![0]).toBe('Dec 31 12:00:00 bastion sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id');
    con.closeSync();
    await expect(api.invoke('export.parquet', { dir: c.dir, out })).rejects.toMatchObject({ code: 'conflict' });
  });
});

describe('ewb command line', () => {
  it('exits 0 on a clean import and prints the JSON report', () => {
    const k = path.join(tmpDir(), 'case');
    expect(ewb('case', 'create', k, '--name', 'CLI', '--org', 'Org', '--period-start', '2023-10-01', '--period-end', '2024-03-31').code).toBe(0);
    const r = ewb('ingest', k, ctObject, '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out) as { archives: Array<{ path: string; sha256: string; status: string; members: unknown[] }>; totals: unknown };
    expect(rep.totals).toEqual({ records: 2, loaded: 2, rejected: 0 });
    expect(rep.archives[0]).toMatchObject({ path: ctObject, status: 'loaded' });
    expect(rep.archives[0]!.members[0]).toEqual({
      path: path.basename(ctObject),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      format: 'cloudtrail',
      records: 2,
      loaded: 2,
      rejected: 0,
      status: 'loaded',
      reason: null,
    });
    // again: already loaded, still exit 0
    const again = ewb('ingest', k, ctObject, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out).archives[0].status).toBe('already-loaded');
  });

  it('exits 3 when something was rejected, 1 when nothing was committed, 2 on usage errors', () => {
    const k = path.join(tmpDir(), 'case');
    ewb('case', 'create', k, '--name', 'CLI', '--org', 'Org', '--period-start', '2023-10-01', '--period-end', '2024-03-31');
    const bad = path.join(work, 'half-bad.jsonl');
    fs.writeFileSync(bad, '{"time":"2024-01-01T00:00:00Z","a":1}\n{"time":\n');
    const r3 = ewb('ingest', k, bad);
    expect(r3.code).toBe(3);
    expect(r3.out).toMatch(/ISSUES\s+.*half-bad\.jsonl/);
    expect(r3.out).toMatch(/1 of 2 records rejected/);
    const r1 = ewb('ingest', k, path.join(work, 'does-not-exist.log'));
    expect(r1.code).toBe(1);
    expect(r1.out).toMatch(/FAILED\s+.*does-not-exist\.log/);
    expect(r1.out).toMatch(/no such file or folder/);
    expect(ewb('ingest', k).code).toBe(2);
    expect(ewb('ingest', k, bad, '--format', 'nope').code).toBe(2);
    expect(ewb('ingest', k, bad, '--format', 'nope').err).toMatch(/unknown format "nope"/);
    expect(ewb('frobnicate').code).toBe(2);
    const locked = ewb('sql', k, 'DELETE FROM events');
    expect(locked.code).toBe(1);
    expect(locked.err).toMatch(/^ewb: the case is read-only here: this is a DELETE statement/);
  });

  it('emits machine-readable progress lines with --progress jsonl', () => {
    const k = path.join(tmpDir(), 'case');
    ewb('case', 'create', k, '--name', 'CLI', '--org', 'Org', '--period-start', '2023-10-01', '--period-end', '2024-03-31');
    const r = ewb('ingest', k, authLog, '--progress', 'jsonl');
    const lines = r.err.trim().split('\n').map((l) => JSON.parse(l) as { phase: string; archive: string; records: number });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.at(-1)).toMatchObject({ phase: 'done', archive: authLog, records: 4 });
    expect(lines.some((l) => l.phase === 'commit')).toBe(true);
  });

  it('prints CSV and JSON query results', () => {
    const csv = ewb('sql', c.dir, "SELECT activity, actor_user FROM events WHERE source_family = 'linux' ORDER BY record_index", '--csv');
    expect(csv.code).toBe(0);
    expect(csv.out).toBe('activity,actor_user\nssh_login,alice\nsudo,alice\nsu,alice\nuser_created,\n');
    const js = JSON.parse(ewb('sql', c.dir, "SELECT count(*)::INTEGER AS n FROM events", '--json').out) as { rows: unknown[] };
    expect(js.rows).toEqual([{ n: 6 }]);
  });
});
