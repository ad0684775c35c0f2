/**
 * Azure Activity Log and Microsoft Entra records written by others load completely: Panther's Azure.MonitorActivity
 * and Azure.Audit rule-test events (extracted with jq into the shapes Microsoft ships: Storage JSON Lines, one Event
 * Hub `{"records":[...]}` document, Event Hub documents one per line, Elasticsearch `_source` hits), the elastic
 * Entra sign-in diagnostic file (read by path: ELv2) and OTRF's Sentinel AuditLogs export. Counts come from jq,
 * unzip and grep; field values from the records themselves (jq) and from the corpus' own READMEs and verdicts.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MemberReport } from '../../shared/ingest.js';
import { CORPUS, newCase, sh, tmpDir, type TestCase, shellQuote as q } from '../support/tmp-case.js';

const PANTHER = path.join(CORPUS, 'panther-analysis-tests/by_log_type');
const ACTIVITY = path.join(PANTHER, 'Azure.MonitorActivity.jsonl');
const AUDIT = path.join(PANTHER, 'Azure.Audit.jsonl');
const SIGNIN = path.join(CORPUS, 'elastic-fixtures/integrations/packages/azure/data_stream/signinlogs/_dev/test/pipeline/test-signinlogs-raw.log');
const AAD_ZIP = path.join(CORPUS, 'otrf-security-datasets/compound/GoldenSAMLADFSMailAccess/AADAuditEvents.Zip');
const jqNum = (filter: string, file: string) => Number(sh(`jq -s ${q(filter)} ${q(file)}`).trim());

describe('Azure Activity Log and Entra records from the corpus', () => {
  let c: TestCase;
  let dir: string;
  const members = new Map<string, MemberReport>();
  const file = (name: string) => path.join(dir, name);

  beforeAll(async () => {
    dir = tmpDir('ewb-azure-');
    // Storage delivers one record per line; an Event Hub message is one {"records":[...]} document.
    sh(`jq -c '.log' ${q(ACTIVITY)} > ${q(file('activity-storage.jsonl'))}`);
    sh(`jq -s '{records: map(.log)}' ${q(ACTIVITY)} > ${q(file('activity-eventhub.json'))}`);
    sh(`jq -c '.log' ${q(AUDIT)} > ${q(file('entra-storage.jsonl'))}`);
    // Event Hub messages dumped one per line, 10 records each (the last one 8).
    sh(`jq -s -c '[.[].log] | _nwise(10) | {records: .}' ${q(AUDIT)} > ${q(file('entra-eventhub-lines.jsonl'))}`);
    // The same messages pretty-printed one after another.
    sh(`jq -s '[.[].log] | _nwise(10) | {records: .}' ${q(AUDIT)} > ${q(file('entra-eventhub-pretty.json'))}`);
    // Elasticsearch hits whose _source is the Azure record as shipped.
    sh(`jq -c '{_index: "azure-audit", _id: (input_line_number | tostring), _source: .log}' ${q(AUDIT)} > ${q(file('entra-elastic-hits.jsonl'))}`);
    c = await newCase({ periodStart: '2019-01-01', periodEnd: '2026-12-31' });
    const r = await c.ingest([
      file('activity-storage.jsonl'),
      file('activity-eventhub.json'),
      file('entra-storage.jsonl'),
      file('entra-eventhub-lines.jsonl'),
      file('entra-eventhub-pretty.json'),
      file('entra-elastic-hits.jsonl'),
      SIGNIN,
      AAD_ZIP,
    ]);
    for (const a of r.archives) for (const m of a.members) members.set(path.basename(m.path), m);
  }, 300_000);

  const rows = <T = Record<string, string>>(sql: string) => c.rows<T>(sql);

  describe('Panther Azure.MonitorActivity (Activity Log and resource-log records)', () => {
    const total = () => Number(sh(`wc -l < ${q(ACTIVITY)}`).trim());
    const noTime = () => jqNum('map(select(.log.time == null)) | length', ACTIVITY);

    it.each(['activity-storage.jsonl', 'activity-eventhub.json'])('%s: every record loaded or rejected for its missing time', (name) => {
      expect(total()).toBe(249);
      expect(noTime()).toBe(35);
      expect(members.get(name)).toMatchObject({ format: 'azure_activity', records: 249, loaded: 249 - 35, rejected: 35, status: 'rejects' });
    });

    it('rejects exactly the records without "time", with that reason', async () => {
      const expected = sh(`jq -r 'select(.log.time == null) | input_line_number' ${q(ACTIVITY)}`).trim().split('\n').map(Number);
      const rej = await rows<{ record_index: string; reason: string }>(
        `SELECT record_index, reason FROM rejects WHERE member_path = 'activity-storage.jsonl' ORDER BY record_index`,
      );
      expect(rej.map((r) => Number(r.record_index))).toEqual(expected);
      expect(new Set(rej.map((r) => r.reason))).toEqual(new Set(['no event time: "time" missing']));
    });

    it('keeps operationName, time text and caller address of every record as written (ports removed)', async () => {
      // One record gives operationName in the REST form ({"value", "localizedValue"}): its value is the activity.
      const want = sh(
        `jq -r 'select(.log.time != null) | [input_line_number, (.log.operationName | if type == "object" then .value else . end), .log.time, (.log.callerIpAddress // "")] | @tsv' ${q(ACTIVITY)}`,
      )
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      const got = await rows<{ record_index: string; activity: string; time_raw: string; src_ip: string | null }>(
        `SELECT record_index, activity, time_raw, src_ip FROM events WHERE member_path = 'activity-storage.jsonl' ORDER BY record_index`,
      );
      expect(got.map((g) => [g.record_index, g.activity, g.time_raw, g.src_ip ?? ''])).toEqual(
        want.map(([i, op, t, ip]) => [i, op, t, ip!.replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1')]),
      );
      // One storage record was logged with "8.8.8.8:44321".
      expect(want.some((w) => w[3] === '8.8.8.8:44321')).toBe(true);
    });

    it('reads times with 7 and 9 fraction digits to the microsecond, in UTC', async () => {
      const t = await rows<{ time: string; time_raw: string }>(
        `SELECT strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS time, time_raw FROM events WHERE member_path = 'activity-storage.jsonl' AND time_raw LIKE '2025-12-22T08:46:29.%'`,
      );
      expect(t).toEqual([{ time: '2025-12-22T08:46:29.678707Z', time_raw: '2025-12-22T08:46:29.678707300Z' }]);
    });

    it('normalizes a privileged role assignment (identity.authorization.evidence, no claims)', async () => {
      const line = Number(sh(`jq -r 'select(.log.identity.authorization.evidence.principalId == "6b6d44f0-b13a-46a0-bfde-161324d4c34d") | input_line_number' ${q(ACTIVITY)} | head -1`).trim());
      const [e] = await rows(
        `SELECT activity, category, status, actor_user, actor_id, actor_type, cloud_account, service, target, region FROM events WHERE member_path = 'activity-storage.jsonl' AND record_index = ${line}`,
      );
      expect(e).toEqual({
        activity: 'Microsoft.Authorization/roleAssignments/write',
        category: 'iam',
        status: 'success',
        actor_user: '6b6d44f0-b13a-46a0-bfde-161324d4c34d',
        actor_id: '6b6d44f0-b13a-46a0-bfde-161324d4c34d',
        actor_type: 'user',
        cloud_account: '12345678-1234-1234-1234-123456789abc',
        service: 'Microsoft.Authorization',
        target: '/subscriptions/12345678-1234-1234-1234-123456789abc/providers/Microsoft.Authorization/roleAssignments/a1b2c3d4-e5f6-7890-abcd-ef1234567890',
        region: null,
      });
    });

    it("finds exactly the events Panther's Log Analytics workspace deletion rule fires on", async () => {
      const verdicts = sh(`jq -r 'select(.rule_id == "Azure.MonitorActivity.LogAnalyticsWorkspace.Deleted") | [input_line_number, .expected_result] | @tsv' ${q(ACTIVITY)}`)
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      const lines = verdicts.map((v) => v[0]).join(', ');
      const hits = await rows<{ record_index: string }>(
        `SELECT record_index FROM events WHERE member_path = 'activity-storage.jsonl' AND record_index IN (${lines})
           AND lower(activity) = 'microsoft.operationalinsights/workspaces/delete' AND status = 'success' ORDER BY record_index`,
      );
      expect(hits.map((h) => h.record_index)).toEqual(verdicts.filter((v) => v[1] === 'true').map((v) => v[0]));
      expect(hits).toHaveLength(2);
    });
  });

  describe('Panther Azure.Audit (Entra diagnostic records: AuditLogs and sign-in categories mixed)', () => {
    const shapes = ['entra-storage.jsonl', 'entra-eventhub-lines.jsonl', 'entra-eventhub-pretty.json', 'entra-elastic-hits.jsonl'];

    it.each(shapes)('%s: all 48 records load', (name) => {
      expect(Number(sh(`wc -l < ${q(AUDIT)}`).trim())).toBe(48);
      expect(members.get(name)).toMatchObject({ records: 48, loaded: 48, rejected: 0, status: 'loaded' });
      // The member is reported as the log most sampled records belong to (the first document of the pretty-printed
      // file holds more audit records, the first 20 lines more sign-ins); each record says which log it is in
      // source_format (checked below).
      expect(members.get(name)!.format).toBe(name === 'entra-eventhub-pretty.json' ? 'entra_audit' : 'entra_signin');
    });

    it('the per-line Event Hub documents are framed record by record, on the line of their document', async () => {
      expect(Number(sh(`wc -l < ${q(file('entra-eventhub-lines.jsonl'))}`).trim())).toBe(5);
      const lines = await rows<{ line: string; n: string }>(
        `SELECT line, count(*) AS n FROM events WHERE member_path = 'entra-eventhub-lines.jsonl' GROUP BY line ORDER BY line`,
      );
      expect(lines).toEqual([1, 2, 3, 4, 5].map((l) => ({ line: String(l), n: l === 5 ? '8' : '10' })));
    });

    it('gives every shape the same normalized events', async () => {
      const cols = 'record_index, time, source_format, activity, category, status, error_code, actor_user, actor_type, actor_id, src_ip, target, service, cloud_account, record_id';
      const [a, ...others] = await Promise.all(shapes.map((m) => rows(`SELECT ${cols} FROM events WHERE member_path = '${m}' ORDER BY record_index`)));
      expect(a).toHaveLength(48);
      for (const o of others) expect(o).toEqual(a);
    });

    it('splits the member into audit and sign-in events by category, as jq counts them', async () => {
      const signins = jqNum('map(select(.log.category | test("SignInLogs$"))) | length', AUDIT);
      expect(signins).toBe(27);
      const kinds = await rows<{ source_format: string; category: string; n: string }>(
        `SELECT source_format, category, count(*) AS n FROM events WHERE member_path = 'entra-storage.jsonl' GROUP BY ALL ORDER BY 1`,
      );
      expect(kinds).toEqual([
        { source_format: 'entra_audit_diagnostic', category: 'iam', n: String(48 - signins) },
        { source_format: 'entra_signin_diagnostic', category: 'authentication', n: String(signins) },
      ]);
    });

    it('takes the event time from properties.activityDateTime / createdDateTime, else from "time"', async () => {
      const want = sh(
        `jq -r '[input_line_number, (if (.log.category | test("SignInLogs$")) or .log.operationName == "Sign-in activity" then .log.properties.createdDateTime else .log.properties.activityDateTime end) // .log.time] | @tsv' ${q(AUDIT)}`,
      )
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      const got = await rows<{ record_index: string; time_raw: string }>(
        `SELECT record_index, time_raw FROM events WHERE member_path = 'entra-storage.jsonl' ORDER BY record_index`,
      );
      expect(got.map((g) => [g.record_index, g.time_raw])).toEqual(want);
    });

    it("matches Panther's verdicts for elevated access and failed service-principal sign-ins", async () => {
      const verdict = (rule: string) =>
        sh(`jq -r 'select(.rule_id == "${rule}") | [input_line_number, .expected_result] | @tsv' ${q(AUDIT)}`)
          .trim()
          .split('\n')
          .map((l) => l.split('\t') as [string, string]);
      const elevate = verdict('Azure.Audit.ElevateUserAccessAdministrator');
      const e = await rows<{ record_index: string; activity: string; actor_user: string }>(
        `SELECT record_index, activity, actor_user FROM events WHERE member_path = 'entra-storage.jsonl' AND record_index IN (${elevate.map((v) => v[0]).join(', ')}) ORDER BY 1`,
      );
      expect(e.filter((x) => x.activity.startsWith('User has elevated their access')).map((x) => x.record_index)).toEqual(
        elevate.filter((v) => v[1] === 'true').map((v) => v[0]),
      );
      const failed = verdict('Azure.Audit.ManyFailedSignIns');
      const f = await rows<{ record_index: string; status: string; error_code: string | null; actor_type: string }>(
        `SELECT record_index, status, error_code, actor_type FROM events WHERE member_path = 'entra-storage.jsonl' AND record_index IN (${failed.map((v) => v[0]).join(', ')}) ORDER BY 1`,
      );
      expect(f).toEqual(
        failed.map(([i, v]) => ({ record_index: i, status: v === 'true' ? 'failure' : 'success', error_code: v === 'true' ? '7000215' : null, actor_type: 'servicePrincipal' })),
      );
    });

    it('reads the lower-case top-level keys of ServicePrincipalSignInLogs records', async () => {
      const lower = sh(`jq -r 'select(.log.calleripaddress != null) | input_line_number' ${q(AUDIT)}`).trim().split('\n');
      expect(lower.length).toBe(Number(sh(`grep -c '"calleripaddress"' ${q(AUDIT)}`).trim()));
      expect(lower.length).toBe(11);
      const got = await rows<{ src_ip: string; cloud_account: string }>(
        `SELECT src_ip, cloud_account FROM events WHERE member_path = 'entra-storage.jsonl' AND record_index IN (${lower.join(', ')})`,
      );
      const want = sh(`jq -r 'select(.log.calleripaddress != null) | [.log.properties.ipAddress, .log.tenantid] | @tsv' ${q(AUDIT)}`).trim().split('\n');
      expect(got.map((g) => `${g.src_ip}\t${g.cloud_account}`).sort()).toEqual(want.sort());
    });
  });

  describe('elastic Entra sign-in diagnostic export (test-signinlogs-raw.log, ELv2, read in place)', () => {
    it('loads its 5 records, one per sign-in category', async () => {
      expect(Number(sh(`grep -c . ${q(SIGNIN)}`).trim())).toBe(5);
      expect(members.get('test-signinlogs-raw.log')).toMatchObject({ format: 'entra_signin', records: 5, loaded: 5, rejected: 0 });
      const ev = await rows(
        `SELECT raw->>'$.category' AS cat, actor_type, status, error_code, src_ip, service FROM events WHERE member_path LIKE '%test-signinlogs-raw.log' ORDER BY record_index`,
      );
      expect(ev).toEqual(
        [
          ['SignInLogs', 'user'],
          ['NonInteractiveUserSignInLogs', 'user'],
          ['ServicePrincipalSignInLogs', 'servicePrincipal'],
          ['MicrosoftServicePrincipalSignInLogs', 'servicePrincipal'],
          ['ManagedIdentitySignInLogs', 'managedIdentity'],
        ].map(([cat, type]) => ({ cat, actor_type: type, status: 'failure', error_code: '50140', src_ip: '81.2.69.144', service: 'Office 365' })),
      );
    });

    it('reads createdDateTime (-05:00) as the same instant as "time" (UTC), to the microsecond', async () => {
      const ev = await rows<{ time: string; time_raw: string; same: boolean }>(
        `SELECT strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS time, time_raw, time = (raw->>'$.time')::TIMESTAMPTZ AS same, time_inferred
         FROM events WHERE member_path LIKE '%test-signinlogs-raw.log' ORDER BY record_index`,
      );
      expect(ev).toHaveLength(5);
      for (const e of ev) expect(e).toEqual({ time: '2019-10-18T09:45:48.072989Z', time_raw: '2019-10-18T04:45:48.0729893-05:00', same: true, time_inferred: null });
    });

    it('names the user of the interactive sign-in and the tenant', async () => {
      const [e] = await rows(
        `SELECT actor_user, actor_domain, actor_id, cloud_account, record_id, activity, category FROM events WHERE member_path LIKE '%test-signinlogs-raw.log' AND record_index = 1`,
      );
      expect(e).toEqual({
        actor_user: 'test@elastic.co',
        actor_domain: 'elastic.co',
        actor_id: '8a4de8b5-095c-47d0-a96f-a75130c61d53',
        cloud_account: '8a4de8b5-095c-47d0-a96f-a75130c61d53',
        record_id: '8a4de8b5-095c-47d0-a96f-a75130c61d53',
        activity: 'Sign-in activity',
        category: 'authentication',
      });
    });
  });

  describe('OTRF AADAuditEvents.Zip (Sentinel AuditLogs rows, dynamic columns as JSON text)', () => {
    it('loads every line', () => {
      const n = Number(sh(`unzip -p ${q(AAD_ZIP)} | grep -c '[^[:space:]]'`).trim());
      expect(n).toBe(4);
      expect(members.get('AADAuditEvents.json')).toMatchObject({ format: 'entra_audit', records: n, loaded: n, rejected: 0, status: 'loaded' });
    });

    it('expands InitiatedBy and TargetResources as jq reads them', async () => {
      const want = sh(
        `unzip -p ${q(AAD_ZIP)} | jq -r '[.OperationName, (.InitiatedBy | fromjson | .user.userPrincipalName), (.TargetResources | fromjson | .[0].displayName), .Id, .TimeGenerated, .UserAgent] | @tsv'`,
      )
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      const got = await rows<Record<string, string>>(
        `SELECT activity, actor_user, target, record_id, time_raw, user_agent, source_format, status, actor_type, cloud_account, service FROM events WHERE member_path = 'AADAuditEvents.json' ORDER BY record_index`,
      );
      expect(got.map((g) => [g.activity, g.actor_user, g.target, g.record_id, g.time_raw, g.user_agent])).toEqual(want);
      for (const g of got) {
        expect(g).toMatchObject({ source_format: 'entra_audit_loganalytics', status: 'success', actor_type: 'user', cloud_account: '00000000-0000-0000-0000-000000000000', service: 'Core Directory' });
      }
    });
  });
});
