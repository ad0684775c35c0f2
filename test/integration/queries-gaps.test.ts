/**
 * The gap and clock queries on logs built so that every expected finding is known in advance: a host that went
 * silent for a day, a day whose volume collapsed, a clock that stepped back, a deleted journal entry, lost audit
 * serials across a reboot. Each expectation is derived here from how the files were written, not from the queries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../electron/engine/api.js';
import type { QueryRunResult } from '../../shared/queries.js';
import { newCase, REPO, tmpDir, type TestCase } from '../support/tmp-case.js';

const api = createApi();

function rowsOf(r: QueryRunResult): Array<Record<string, unknown>> {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])));
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const DAY = 86_400_000;
const MIN = 60_000;
const START = Date.parse('2024-03-01T00:00:00Z');

/** app1: 30 cron lines a day from 00:10, every 48 minutes, over 20 days; none on 10 March; only 5 (every 288 min) on 18 March. */
function app1Lines(): { lines: string[]; times: number[] } {
  const lines: string[] = [];
  const times: number[] = [];
  for (let d = 0; d < 20; d++) {
    const day = d + 1;
    if (day === 10) continue;
    const n = day === 18 ? 5 : 30;
    const step = day === 18 ? 288 : 48;
    for (let k = 0; k < n; k++) {
      const t = START + d * DAY + 10 * MIN + k * step * MIN;
      times.push(t);
      lines.push(`${iso(t)} app1 CRON[${1000 + k}]: (root) CMD (run-parts /etc/cron.hourly)`);
    }
  }
  return { lines, times };
}

describe('gap and clock queries', () => {
  let c: TestCase;
  let dir: string;
  const app1 = app1Lines();
  beforeAll(async () => {
    dir = tmpDir('ewb-gaps-');
    fs.writeFileSync(path.join(dir, 'app1.log'), app1.lines.join('\n') + '\n');
    // db1: the clock steps back 11 minutes between the 2nd and 3rd line (tolerance 300 s), then is set forward.
    fs.writeFileSync(
      path.join(dir, 'db1.log'),
      [
        '2024-03-05T10:00:00Z db1 postgres[10]: checkpoint starting',
        '2024-03-05T10:01:00Z db1 postgres[10]: checkpoint complete',
        '2024-03-05T09:50:00Z db1 postgres[10]: checkpoint starting',
        '2024-03-05T10:02:00Z db1 systemd-timesyncd[5]: Time has been changed',
        '',
      ].join('\n'),
    );
    // The journal with its fourth entry (i=4) removed.
    const journal = fs.readFileSync(path.join(REPO, 'test/fixtures/journald/journal.json'), 'utf8').split('\n').filter((l) => l.trim());
    fs.writeFileSync(path.join(dir, 'journal.json'), journal.filter((_, i) => i !== 3).join('\n') + '\n');
    // Audit log of web02: serials 100-104 without 103, then a reboot (serials restart) and 5-9 without 7 and 8.
    const audit: string[] = [];
    const ev = (t: number, serial: number) =>
      `node=web02 type=SERVICE_START msg=audit(${t}.000:${serial}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=cron comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success'`;
    [100, 101, 102, 104].forEach((s, i) => audit.push(ev(1709632800 + i, s)));
    [5, 6, 9].forEach((s, i) => audit.push(ev(1709640000 + i, s)));
    fs.writeFileSync(path.join(dir, 'audit.log'), audit.join('\n') + '\n');
    c = await newCase({ periodStart: '2024-03-01', periodEnd: '2024-03-20', timezone: 'UTC' });
    const r = await c.ingest([path.join(dir, 'app1.log'), path.join(dir, 'db1.log'), path.join(dir, 'journal.json'), path.join(dir, 'audit.log')]);
    expect(r.totals.rejected).toBe(0);
  }, 120_000);

  const run = async (id: string, params: Record<string, string> = {}) => rowsOf(await api.invoke('query.run', { dir: c.dir, id, params }));
  const idOf = async (sql: string) => c.one<string>(sql);

  it('finds the day app1 sent nothing, with the events either side', async () => {
    const rows = (await run('coverage.days_without_events')).filter((r) => r['stream'] === 'linux | - | app1');
    expect(rows.map((r) => r['day'])).toEqual(['2024-03-10']);
    const before = await idOf(`SELECT event_id FROM events WHERE host = 'app1' AND time < '2024-03-10' ORDER BY time DESC LIMIT 1`);
    const after = await idOf(`SELECT event_id FROM events WHERE host = 'app1' AND time >= '2024-03-11' ORDER BY time LIMIT 1`);
    expect(rows[0]).toMatchObject({ previous_event_id: before, next_event_id: after });
  });

  it('finds the silence over 10 March against app1 own cadence, and nothing else in that stream', async () => {
    const rows = (await run('gaps.time_gaps')).filter((r) => r['stream'] === 'linux | - | app1');
    // The threshold, computed the way controls.md §3.2 step 2 gives it: ln(M / alpha) / rate.
    const n = app1.times.length;
    const span = (app1.times[n - 1]! - app1.times[0]!) / MIN;
    const threshold = Math.max(60, Math.log((20 * 1440) / 0.01) / (n / span));
    expect(threshold).toBeGreaterThan(288); // the sparse 18 March (every 288 min) stays under it
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'between events',
      gap_start: '2024-03-09T23:22:00Z',
      gap_end: '2024-03-11T00:10:00Z',
      gap_minutes: 1488,
      events_in_stream: n,
      tamper: null,
    });
    expect(rows[0]!['threshold_minutes']).toBeCloseTo(threshold, 1);
  });

  it('flags the empty day and the day whose volume fell below half the trailing median', async () => {
    const rows = (await run('gaps.volume_drops')).filter((r) => r['stream'] === 'linux | - | app1');
    expect(rows.map((r) => [r['day'], r['events'], r['baseline_median']])).toEqual([
      ['2024-03-10', 0, 30],
      ['2024-03-18', 5, 30],
    ]);
    expect(rows[0]!['event_id']).toBeNull(); // nothing happened that day: no first event
    expect(rows[1]!['event_id']).toBe(await idOf(`SELECT event_id FROM events WHERE host = 'app1' AND time >= '2024-03-18' ORDER BY time LIMIT 1`));
  });

  it('finds the clock stepping back on db1 and the time change message', async () => {
    const back = await run('gaps.clock_out_of_order');
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ stream: 'linux | - | db1', time: '2024-03-05T09:50:00Z', previous_time: '2024-03-05T10:01:00Z', backwards_seconds: 660 });
    expect(back[0]!['event_id']).toBe(await idOf(`SELECT event_id FROM events WHERE host = 'db1' AND record_index = 3`));
    const changes = await run('gaps.clock_changes');
    expect(changes.map((r) => [r['host'], r['activity'], r['time']])).toEqual([['db1', 'system_time_changed', '2024-03-05T10:02:00Z']]);
  });

  it('finds the deleted journal entry between sequence numbers 3 and 5 of its journal instance', async () => {
    const rows = await run('gaps.journald_seqnum_gaps');
    const seqnumId = /s=([0-9a-f]+)/.exec(fs.readFileSync(path.join(REPO, 'test/fixtures/journald/journal.json'), 'utf8'))![1];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ host: 'web01', seqnum_id: seqnumId, first_missing: 4, last_missing: 4, missing_records: 1 });
    expect(rows[0]!['event_id']).toBe(await idOf(`SELECT event_id FROM events WHERE source_format = 'journald_json' AND record_id = '3'`));
    expect(rows[0]!['next_event_id']).toBe(await idOf(`SELECT event_id FROM events WHERE source_format = 'journald_json' AND record_id = '5'`));
  });

  it('finds the lost audit serials on each side of the reboot, and not the reboot itself', async () => {
    const rows = await run('gaps.auditd_serial_gaps');
    expect(rows.map((r) => [r['host'], r['first_missing'], r['last_missing'], r['missing_records']])).toEqual([
      ['web02', 103, 103, 1],
      ['web02', 7, 8, 2],
    ]);
  });

  it('keeps the case period: nothing outside it, nothing in the future', async () => {
    expect(await run('gaps.clock_outside_period_or_future')).toEqual([]);
  });
});

describe('tamper events across families', () => {
  it('lists the log-stream, sink, audit-config and streaming changes of Okta, GCP and GitHub', async () => {
    const c = await newCase({ periodStart: '2010-01-01', periodEnd: '2030-12-31' });
    await c.ingest([
      path.join(REPO, 'test/fixtures/okta/api-logs-page.json'),
      path.join(REPO, 'test/fixtures/gcp-queries/logentries.jsonl'),
      path.join(REPO, 'test/fixtures/github-queries/audit-log.jsonl'),
    ]);
    const rows = rowsOf(await api.invoke('query.run', { dir: c.dir, id: 'gaps.tamper_events', params: {} }));
    const located = await c.rows<{ event_id: string; at: string }>(`SELECT event_id, member_path || ':' || record_index AS at FROM events`);
    const at = new Map(located.map((r) => [r.event_id, r.at]));
    // Expected from the files (jq): Okta entry 5 is system.log_stream.lifecycle.deactivate; GCP line 6 removes the
    // DATA_READ/DATA_WRITE audit configs, lines 8 and 9 add an exclusion and update a sink; GitHub line 16 updates streaming.
    expect(rows.map((r) => [at.get(String(r['event_id'])), r['tamper']]).sort()).toEqual([
      ['api-logs-page.json:5', 'log stream or event hook disabled'],
      ['audit-log.jsonl:16', 'audit log streaming changed'],
      ['logentries.jsonl:6', 'data access audit logging removed'],
      ['logentries.jsonl:8', 'log sink or bucket changed'],
      ['logentries.jsonl:9', 'log sink or bucket changed'],
    ]);
  }, 60_000);
});
