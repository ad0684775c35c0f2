/**
 * The canned query library: every file loads and validates, every query is one SELECT and runs on an empty and on a
 * populated case, runs are kept as evidence, and the demo export's planted facts are found by the queries meant to
 * find them (root use, logging stopped and the gap it caused, a day with no delivery, admin grants on Linux).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../electron/engine/api.js';
import { loadLibrary, parseQueryFile } from '../../electron/engine/queries/catalog.js';
import { assertSelect } from '../../electron/engine/queries/runner.js';
import { openDb } from '../../electron/engine/db/database.js';
import type { QueryRunResult } from '../../shared/queries.js';
import { newCase, REPO, tmpDir, type TestCase } from '../support/tmp-case.js';

const api = createApi();
const expected = JSON.parse(fs.readFileSync(path.join(REPO, 'demo/expected.json'), 'utf8')) as Record<string, any>;

function rowsOf(r: QueryRunResult): Array<Record<string, unknown>> {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])));
}

describe('the library', () => {
  it('loads and validates every query file, one SELECT each', async () => {
    const lib = loadLibrary();
    expect(lib.length).toBeGreaterThanOrEqual(70);
    const packs = new Set(lib.map((q) => q.pack));
    expect([...packs].sort()).toEqual(['coverage', 'gaps', 'privileged']);
    const families = new Set(lib.filter((q) => q.pack === 'privileged').flatMap((q) => q.families));
    expect([...families].sort()).toEqual(expect.arrayContaining(['aws_cloudtrail', 'linux', 'windows']));
    const c = await newCase();
    const db = await openDb(path.join(c.dir, 'case.duckdb'), { readOnly: true });
    try {
      for (const q of lib) await assertSelect(db.con, q);
    } finally {
      db.close();
    }
  });

  it('reads raw JSON only through ewb_json(raw), which cannot fail on a record that is not JSON', () => {
    // DuckDB reorders a WHERE clause's conditions by observed cost, so a family filter does not protect a JSON
    // operator applied to raw: a syslog line reaching raw->>'$.x' fails the whole query (seen on the benchmark case).
    const bare = /(?<![\w.])raw\s*->|\bjson_[a-z_]+\(\s*raw\b|(?<![\w.])raw::JSON/;
    const offenders = loadLibrary().filter((q) => bare.test(q.sql)).map((q) => q.id);
    expect(offenders).toEqual([]);
  });

  it('rejects malformed query files with the file and the reason', () => {
    const good = fs.readFileSync(path.join(REPO, 'queries/privileged/aws.root_console_login.sql'), 'utf8');
    const f = path.join(REPO, 'queries/privileged/aws.root_console_login.sql');
    expect(() => parseQueryFile(f, good.replace('- event_id\n', ''))).toThrow(/columns must include event_id/);
    expect(() => parseQueryFile(f, good.replace(/pci:\n  - 10\.2\.1\.2/, 'pci:\n  - 10.2.1.2b'))).toThrow(/controls\.pci/);
    expect(() => parseQueryFile(f, good.replace('severity: high', 'severity: severe'))).toThrow(/severity/);
    expect(() => parseQueryFile(f, good.replace(/\*\/[\s\S]*$/, '*/\n'))).toThrow(/no SQL after the header/);
    expect(() => parseQueryFile(path.join(REPO, 'queries/gaps/aws.root_console_login.sql'), good)).toThrow(/pack "privileged" but the file is in gaps/);
  });

  it('lists by pack, family and control', async () => {
    const all = await api.invoke('query.list', {});
    const gaps = await api.invoke('query.list', { pack: 'gaps' });
    expect(gaps.every((q) => q.pack === 'gaps')).toBe(true);
    const windows = await api.invoke('query.list', { family: 'windows' });
    expect(windows.some((q) => q.id === 'windows.audit_log_cleared')).toBe(true);
    expect(windows.some((q) => q.id === 'gaps.time_gaps')).toBe(true); // cross-family queries apply to every family
    expect(windows.some((q) => q.id === 'aws.root_console_login')).toBe(false);
    const pci = await api.invoke('query.list', { control: '10.2.1.6' });
    expect(pci.map((q) => q.id)).toEqual(expect.arrayContaining(['aws.cloudtrail_stopped_or_deleted', 'windows.audit_log_cleared', 'linux.logging_stopped', 'gaps.time_gaps']));
    expect(pci.length).toBeLessThan(all.length);
    expect((await api.invoke('query.list', { control: '10.2.1' })).length).toBeGreaterThan(pci.length); // prefix: every 10.2.1.x
  });
});

describe('runs on an empty case', () => {
  it('runs the whole library and finds nothing', async () => {
    const c = await newCase();
    const r = await api.invoke('query.runAll', { dir: c.dir });
    expect(r.runs).toHaveLength(loadLibrary().length);
    expect(r.runs.filter((x) => x.rowCount > 0).map((x) => x.queryId)).toEqual([]);
    expect(r.streams).toBe(0);
  });
});

describe('runs on the demo case', () => {
  let c: TestCase;
  let all: Awaited<ReturnType<typeof api.invoke<'query.runAll'>>>;
  const byId = (id: string) => all.runs.find((x) => x.queryId === id)!;
  const result = (id: string) => api.invoke('query.result', { dir: c.dir, runId: byId(id).runId }).then(rowsOf);

  beforeAll(async () => {
    c = await newCase({ periodStart: expected.case.periodStart, periodEnd: expected.case.periodEnd, timezone: expected.case.timezone });
    await c.ingest([path.join(REPO, 'demo/acme-2024q1-export.zip')]);
    all = await api.invoke('query.runAll', { dir: c.dir });
  }, 120_000);

  it('keeps every run: exact SQL and its hash, parameters, times, rows', async () => {
    const lib = loadLibrary();
    const runs = await c.rows<{ query_id: string; sql: string; sql_sha256: string; row_count: string; params: string; batch_id: number }>(
      `SELECT query_id, sql, sql_sha256, row_count::VARCHAR AS row_count, params::VARCHAR AS params, batch_id FROM query_runs ORDER BY run_id`,
    );
    expect(runs).toHaveLength(lib.length);
    for (const r of runs) {
      const q = lib.find((x) => x.id === r.query_id)!;
      expect(r.sql).toBe(q.sql);
      expect(r.sql_sha256).toBe(q.sqlSha256);
      expect(r.batch_id).toBe(all.batchId);
      const n = await c.one<string>(`SELECT count(*) FROM query_results qr JOIN query_runs q USING (run_id) WHERE q.query_id = '${r.query_id}'`);
      expect(n).toBe(r.row_count);
    }
    const p = JSON.parse(runs.find((r) => r.query_id === 'gaps.time_gaps')!.params) as Record<string, unknown>;
    expect(p).toEqual({ floor_minutes: 60, alpha: 0.01, period_start: '2023-12-31T23:00:00Z', period_end: '2024-03-31T22:00:00Z' });
    // What run-all answered is what the case keeps: the same run records, instants in the same text form.
    expect(await api.invoke('query.runs', { dir: c.dir })).toEqual(all.runs);
  });

  it('finds the root console login without MFA and every root action', async () => {
    const login = expected.cloudtrail.root.consoleLogin;
    const rows = await result('aws.root_console_login');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_user: 'root', actor_type: 'Root', src_ip: login.sourceIP, mfa_used: 'No' });
    expect(Date.parse(String(rows[0]!['time']))).toBe(Date.parse(login.time));
    const noMfa = await result('aws.console_login_without_mfa');
    expect(noMfa.map((r) => r['actor_user'])).toEqual(['root']);
    // every event of a finding traces back to its raw record
    const raw = await c.one<string>(`SELECT raw FROM events WHERE event_id = '${String(rows[0]!['event_id'])}'`);
    expect(JSON.parse(raw).eventName).toBe('ConsoleLogin');
  });

  it('finds the failed console logins', async () => {
    expect(byId('aws.console_login_failed').rowCount).toBe(expected.cloudtrail.failedConsoleLogins.count ?? expected.cloudtrail.failedConsoleLogins.length ?? 12);
  });

  it('links StopLogging to the silence it caused in its region, and finds the day with no delivery', async () => {
    const stop = expected.cloudtrail.stopLogging;
    const gap = expected.cloudtrail.loggingGap;
    const stopped = await result('aws.cloudtrail_stopped_or_deleted');
    expect(stopped.map((r) => r['activity'])).toEqual(['StopLogging']);
    expect(stopped[0]!['actor_user']).toBe(stop.actor);
    const tamper = await result('gaps.tamper_events');
    expect(tamper).toHaveLength(1);
    expect(tamper[0]).toMatchObject({ tamper: 'audit trail stopped or deleted', activity: 'StopLogging', stream: `aws_cloudtrail | ${expected.cloudtrail.account} | ${gap.region}` });
    expect(Number(tamper[0]!['silence_minutes'])).toBeCloseTo(gap.hours * 60, 0);
    const gaps = (await result('gaps.time_gaps')).filter((r) => r['kind'] === 'between events');
    const inRegion = gaps.filter((r) => String(r['stream']).endsWith(gap.region));
    expect(inRegion).toHaveLength(1);
    expect(inRegion[0]).toMatchObject({ tamper: 'audit trail stopped or deleted', tamper_event_id: stopped[0]!['event_id'] });
    expect(Date.parse(String(inRegion[0]!['gap_start']))).toBe(Date.parse(gap.from));
    const missingDay = expected.cloudtrail.missingDeliveryDay;
    const dayGap = gaps.filter((r) => String(r['stream']).endsWith(missingDay.region));
    expect(dayGap).toHaveLength(1);
    expect(dayGap[0]!['tamper']).toBeNull();
    const zero = await result('coverage.days_without_events');
    expect(zero.some((r) => String(r['stream']).endsWith(missingDay.region) && r['day'] === missingDay.date)).toBe(true);
  });

  it('finds the Linux privileged story: root SSH login, sudo, admin group grant, user created', async () => {
    const story = expected.authLog.story;
    const root = await result('linux.root_ssh_login');
    expect(root).toHaveLength(1);
    expect(root[0]).toMatchObject({ host: expected.authLog.host, actor_user: 'root', activity: 'ssh_login' });
    const grant = await result('linux.user_added_to_admin_group');
    expect(grant.map((r) => [r['target'], r['group_name']])).toEqual(expect.arrayContaining([[story.userCreated.name, 'sudo']]));
    const created = await result('linux.user_created');
    expect(created.map((r) => r['target'])).toEqual([story.userCreated.name]);
    const sudo = await result('linux.sudo_to_root');
    expect(sudo.length).toBe(expected.authLog.files.reduce((a: number, f: any) => a + (f.kinds.sudo ?? 0), 0) - 1); // one of them ran outside the period (Dec 2023)
  });

  it('reports the coverage of every stream', async () => {
    const m = await result('coverage.stream_matrix');
    expect(m.map((r) => r['stream']).sort()).toEqual([
      `aws_cloudtrail | ${expected.cloudtrail.account} | eu-central-1`,
      `aws_cloudtrail | ${expected.cloudtrail.account} | eu-west-1`,
      `aws_cloudtrail | ${expected.cloudtrail.account} | us-east-1`,
      `linux | - | ${expected.authLog.host}`,
    ]);
    expect(m.every((r) => r['covers_whole_period'] === false)).toBe(true); // three weeks of a 91-day period
    expect(all.streams).toBe(4);
    const load = await result('coverage.load_completeness');
    expect(load.map((r) => [r['member'], r['status']])).toEqual([['README.txt', 'unsupported']]);
  });

  it('summarises per control', () => {
    const pci106 = all.controls.find((x) => x.framework === 'pci' && x.control === '10.2.1.6')!;
    expect(pci106.findings).toBeGreaterThanOrEqual(3);
    expect(pci106.queryIds).toEqual(expect.arrayContaining(['aws.cloudtrail_stopped_or_deleted', 'gaps.time_gaps']));
  });
});

describe('one query at a time', () => {
  it('takes typed parameters, refuses unknown ones, and names the run', async () => {
    const c = await newCase({ periodStart: expected.case.periodStart, periodEnd: expected.case.periodEnd, timezone: expected.case.timezone });
    await c.ingest([path.join(REPO, 'demo/acme-2024q1-export.zip')]);
    const base = await api.invoke('query.run', { dir: c.dir, id: 'linux.ssh_failed_logins_by_source', params: {} });
    const strict = await api.invoke('query.run', { dir: c.dir, id: 'linux.ssh_failed_logins_by_source', params: { min_failures: '30' } });
    expect(strict.rowCount).toBeLessThan(base.rowCount);
    expect(strict.params).toMatchObject({ min_failures: '30' });
    expect(strict.runId).toBe(base.runId + 1);
    await expect(api.invoke('query.run', { dir: c.dir, id: 'linux.ssh_failed_logins_by_source', params: { min_failure: '3' } })).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/has no parameter "min_failure"/) });
    await expect(api.invoke('query.run', { dir: c.dir, id: 'linux.ssh_failed_logins_by_source', params: { min_failures: 'many' } })).rejects.toMatchObject({ message: expect.stringMatching(/must be an integer/) });
    await expect(api.invoke('query.run', { dir: c.dir, id: 'nope.nothing', params: {} })).rejects.toMatchObject({ code: 'not-found' });
    const runs = await api.invoke('query.runs', { dir: c.dir });
    expect(runs.map((r) => r.queryId)).toEqual(['linux.ssh_failed_logins_by_source', 'linux.ssh_failed_logins_by_source']);
  });

  it('runs from the command line', () => {
    const dir = path.join(tmpDir(), 'case');
    const ewb = (...a: string[]) => spawnSync(process.execPath, [path.join(REPO, 'bin/ewb.mjs'), ...a], { encoding: 'utf8' });
    ewb('case', 'create', dir, '--name', 'x', '--org', 'y', '--period-start', '2024-01-01', '--period-end', '2024-03-31', '--timezone', 'Europe/Berlin');
    ewb('ingest', dir, path.join(REPO, 'demo/acme-2024q1-export.zip'));
    const r = ewb('query', 'run', dir, 'aws.root_console_login', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).rows[0].actor_user).toBe('root');
    const list = ewb('query', 'list', '--pack', 'gaps');
    expect(list.stdout).toMatch(/gaps\.time_gaps/);
    const show = ewb('query', 'show', 'gaps.time_gaps');
    expect(show.stdout).toMatch(/sql sha256: [0-9a-f]{64}/);
    const bad = ewb('query', 'run', dir, 'aws.root_console_login', '--param', 'x=1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/has no parameter "x"/);
  });
});
