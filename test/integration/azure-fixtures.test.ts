/**
 * The export shapes the corpus does not hold, from the synthetic fixtures of test/fixtures/azure and
 * test/fixtures/entra (see their READMEs): `az monitor activity-log list`, Log Analytics AzureActivity rows (JSON
 * and CSV), the Activity log blade's CSV, Graph directoryAudits / signIns, Log Analytics SigninLogs rows and the
 * Entra portal CSV downloads. Counts come from jq and python's csv module; every reject reason of the Azure and
 * Entra mappings is produced on purpose and asserted; other families' records are not claimed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MemberReport } from '../../shared/ingest.js';
import { CORPUS, REPO, newCase, sh, tmpDir, type TestCase, shellQuote as q } from '../support/tmp-case.js';

const AZ = path.join(REPO, 'test/fixtures/azure');
const EN = path.join(REPO, 'test/fixtures/entra');
const csvRows = (f: string) =>
  Number(sh(`python3 -c "import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig'))) - 1)" ${q(f)}`).trim());
const MINE = ['azure_activity', 'azure_activity_csv', 'entra_audit', 'entra_signin', 'entra_audit_csv', 'entra_signin_csv', 'm365_audit', 'm365_audit_csv'];

/** A diagnostic-setting Activity Log record (the Storage / Event Hub shape). */
const diag = (i: number, extra: Record<string, unknown> = {}) => ({
  time: `2024-03-04T10:0${i}:00.0000000Z`,
  resourceId: '/SUBSCRIPTIONS/0B1C2D3E-0000-4000-8000-0000000005UB/RESOURCEGROUPS/PROD-RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1',
  operationName: 'MICROSOFT.KEYVAULT/VAULTS/WRITE',
  category: 'Administrative',
  resultType: 'Success',
  callerIpAddress: '198.51.100.23',
  correlationId: `cc00cc00-0000-4000-8000-00000000000${i}`,
  identity: { claims: { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'admin.bob@contoso.example' } },
  ...extra,
});

describe('Azure Activity Log and Entra export shapes (synthetic fixtures)', () => {
  let c: TestCase;
  let dir: string;
  const members = new Map<string, MemberReport>();
  const rows = <T = Record<string, string | null>>(sql: string) => c.rows<T>(sql);
  const ev = (member: string, cols: string) => rows(`SELECT ${cols} FROM events WHERE member_path = '${member}' ORDER BY record_index`);

  beforeAll(async () => {
    dir = tmpDir('ewb-azure-fx-');
    const lines = (name: string, recs: Array<unknown | string>) =>
      fs.writeFileSync(path.join(dir, name), recs.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
    // Every reject reason of the diagnostic Activity mapping, among records that make the member an Activity Log.
    lines('activity-rejects.jsonl', [
      diag(1),
      diag(2),
      // Documented as UTC: a time written without an offset is read as UTC, not in the case time zone.
      diag(3, { time: '2024-03-04 10:03:00.123' }),
      '{"time": "2024-03-04T10:04:00Z", "operationName": ',
      '["not", "an", "object"]',
      { time: '2024-03-04T10:05:00Z', category: 'Administrative', resultType: 'Success', resourceId: '/subscriptions/x' },
      { ...diag(6), time: undefined },
      { ...diag(7), time: 'yesterday' },
    ]);
    // REST and Log Analytics Activity shapes with the record that lacks its name and the one that lacks its time.
    const rest = JSON.parse(fs.readFileSync(path.join(AZ, 'activity-log-list.json'), 'utf8')) as Array<Record<string, unknown>>;
    fs.writeFileSync(
      path.join(dir, 'activity-rest-rejects.json'),
      JSON.stringify([...rest, { ...rest[0], operationName: undefined, eventDataId: 'x1' }, { ...rest[0], eventTimestamp: undefined, eventDataId: 'x2' }], null, 1),
    );
    const la = fs.readFileSync(path.join(AZ, 'azureactivity-loganalytics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    lines('azureactivity-la-rejects.jsonl', [...la, { ...la[0], OperationNameValue: undefined }, { ...la[1], TimeGenerated: undefined }]);
    // Entra: Graph, diagnostic and Log Analytics shapes, each with a record of no kind and one without a time.
    const audits = (JSON.parse(fs.readFileSync(path.join(EN, 'graph-directoryaudits.json'), 'utf8')) as { value: Array<Record<string, unknown>> }).value;
    lines('entra-graph-rejects.jsonl', [...audits, { id: 'no-kind', result: 'success' }]);
    const signinDiag = (i: number, extra: Record<string, unknown> = {}) => ({
      time: `2024-03-04T11:0${i}:00Z`,
      resourceId: '/tenants/4f8e1c2a-0000-4000-8000-00000000c0de/providers/Microsoft.aadiam',
      operationName: 'Sign-in activity',
      category: 'SignInLogs',
      tenantId: '4f8e1c2a-0000-4000-8000-00000000c0de',
      resultType: '0',
      callerIpAddress: '203.0.113.10',
      properties: { id: `s${i}`, createdDateTime: `2024-03-04T11:0${i}:00.5Z`, userPrincipalName: 'alice@contoso.example', status: { errorCode: 0 } },
      ...extra,
    });
    lines('entra-diag-rejects.jsonl', [
      signinDiag(1),
      signinDiag(2),
      signinDiag(3),
      { category: 'SignInLogs', resultType: '0' },
      signinDiag(5, { time: undefined, properties: { id: 's5', userPrincipalName: 'alice@contoso.example' } }),
    ]);
    const sla = fs.readFileSync(path.join(EN, 'signinlogs-loganalytics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    lines('signinlogs-la-rejects.jsonl', [
      ...sla,
      { ...sla[0], OperationName: undefined, UserPrincipalName: undefined, AppDisplayName: undefined, Id: 'r1' },
      { ...sla[0], TimeGenerated: undefined, CreatedDateTime: undefined, Id: 'r2' },
    ]);
    // CSV rows without the column that makes them an event.
    sh(`cp ${q(path.join(AZ, 'activity-portal.csv'))} ${q(path.join(dir, 'activity-portal-rejects.csv'))}`);
    fs.appendFileSync(path.join(dir, 'activity-portal-rejects.csv'), ',Succeeded,now,Mon Mar 04 2024 12:00:00 GMT+0100 (CET),s,u,t,g,r,Administrative,Informational\n');
    sh(`cp ${q(path.join(EN, 'audit-portal.csv'))} ${q(path.join(dir, 'audit-portal-rejects.csv'))}`);
    fs.appendFileSync(path.join(dir, 'audit-portal-rejects.csv'), `"2024-03-04T10:00:00+00:00"${',""'.repeat(25)}\r\n`);
    sh(`cp ${q(path.join(EN, 'signins-portal.csv'))} ${q(path.join(dir, 'signins-portal-rejects.csv'))}`);
    fs.appendFileSync(path.join(dir, 'signins-portal-rejects.csv'), `"2024-03-04T10:00:00Z"${',""'.repeat(54)}\r\n`);
    // Other families' records: none of them may be claimed by the Microsoft modules.
    const panther = path.join(CORPUS, 'panther-analysis-tests/by_log_type');
    for (const t of ['AWS.CloudTrail', 'Okta.SystemLog', 'GCP.AuditLog', 'GitHub.Audit', 'Amazon.EKS.Audit']) {
      sh(`jq -c '.log' ${q(path.join(panther, `${t}.jsonl`))} > ${q(path.join(dir, `other-${t}.jsonl`))}`);
    }
    const aks = path.join(CORPUS, 'elastic-fixtures/integrations/packages/kubernetes/data_stream/audit_logs/_dev/test/pipeline/test-kube-audit.log');

    c = await newCase({ periodStart: '2019-01-01', periodEnd: '2026-12-31', timezone: 'Europe/Berlin' });
    const inputs = [
      ...fs.readdirSync(AZ).filter((f) => !f.endsWith('.py') && !f.endsWith('.md')).map((f) => path.join(AZ, f)),
      ...fs.readdirSync(EN).filter((f) => !f.endsWith('.py') && !f.endsWith('.md')).map((f) => path.join(EN, f)),
      ...fs.readdirSync(dir).map((f) => path.join(dir, f)),
      aks,
    ];
    const r = await c.ingest(inputs);
    for (const a of r.archives) for (const m of a.members) members.set(path.basename(m.path), m);
  }, 300_000);

  describe('Azure Activity Log', () => {
    it('`az monitor activity-log list` JSON: every event, fields as jq reads them', async () => {
      const f = path.join(AZ, 'activity-log-list.json');
      const n = Number(sh(`jq length ${q(f)}`).trim());
      expect(n).toBe(3);
      expect(members.get('activity-log-list.json')).toMatchObject({ format: 'azure_activity', records: n, loaded: n, rejected: 0 });
      const want = sh(`jq -r '.[] | [.operationName.value, .eventTimestamp, .caller, .eventDataId, .httpRequest.clientIpAddress, .subscriptionId, .resourceId] | @tsv' ${q(f)}`)
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      const got = await ev('activity-log-list.json', 'activity, time_raw, actor_user, record_id, src_ip, cloud_account, target');
      expect(got.map((g) => Object.values(g))).toEqual(want);
      const st = await ev('activity-log-list.json', "strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS t, status, error_code, category, actor_type, actor_id, service, source_format");
      expect(st).toEqual([
        { t: '2024-03-04T10:02:03.456789Z', status: 'success', error_code: null, category: 'iam', actor_type: 'user', actor_id: 'b0b0b0b0-0000-4000-8000-000000000001', service: 'Microsoft.Authorization', source_format: 'azure_activity_rest' },
        { t: '2024-03-04T10:10:00.250000Z', status: 'failure', error_code: 'Forbidden', category: 'admin', actor_type: 'servicePrincipal', actor_id: '7a7a7a7a-0000-4000-8000-000000000005', service: 'Microsoft.Compute', source_format: 'azure_activity_rest' },
        // "Started" is not an outcome.
        { t: '2024-03-04T10:09:59.900000Z', status: null, error_code: null, category: 'admin', actor_type: 'servicePrincipal', actor_id: '7a7a7a7a-0000-4000-8000-000000000005', service: 'Microsoft.Compute', source_format: 'azure_activity_rest' },
      ]);
    });

    it('Log Analytics AzureActivity rows: claims from JSON text, the subscription (not the workspace) as account', async () => {
      const f = path.join(AZ, 'azureactivity-loganalytics.jsonl');
      expect(Number(sh(`grep -c . ${q(f)}`).trim())).toBe(2);
      expect(members.get('azureactivity-loganalytics.jsonl')).toMatchObject({ format: 'azure_activity', records: 2, loaded: 2, rejected: 0 });
      expect(await ev('azureactivity-loganalytics.jsonl', 'activity, status, error_code, actor_user, actor_type, actor_id, cloud_account, record_id, source_format')).toEqual([
        { activity: 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE', status: 'success', error_code: null, actor_user: 'admin.bob@contoso.example', actor_type: 'user', actor_id: 'b0b0b0b0-0000-4000-8000-000000000001', cloud_account: '0b1c2d3e-0000-4000-8000-0000000005ub', record_id: 'e0e0e0e0-0000-4000-8000-000000000001', source_format: 'azure_activity_loganalytics' },
        { activity: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE', status: 'failure', error_code: 'Forbidden', actor_user: '7a7a7a7a-0000-4000-8000-000000000005', actor_type: 'servicePrincipal', actor_id: '7a7a7a7a-0000-4000-8000-000000000005', cloud_account: '0b1c2d3e-0000-4000-8000-0000000005ub', record_id: 'e0e0e0e0-0000-4000-8000-000000000002', source_format: 'azure_activity_loganalytics' },
      ]);
    });

    it('Log Analytics CSV export: "TimeGenerated [UTC]" in the US format is UTC; a day-first date is rejected, not guessed', async () => {
      const f = path.join(AZ, 'azureactivity-loganalytics.csv');
      expect(csvRows(f)).toBe(4);
      expect(members.get('azureactivity-loganalytics.csv')).toMatchObject({ format: 'azure_activity_csv', records: 4, loaded: 3, rejected: 1 });
      expect(await ev('azureactivity-loganalytics.csv', "strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS t, time_inferred, category, status, actor_type, fields['EventDataId'] AS id")).toEqual([
        { t: '2024-03-04T10:02:03.456000Z', time_inferred: null, category: 'iam', status: 'success', actor_type: 'user', id: 'e0e0e0e0-0000-4000-8000-000000000001' },
        { t: '2024-03-04T10:10:00.250000Z', time_inferred: null, category: 'admin', status: 'failure', actor_type: 'servicePrincipal', id: 'e0e0e0e0-0000-4000-8000-000000000002' },
        { t: '2024-03-04T13:15:00.000000Z', time_inferred: null, category: 'policy', status: 'success', actor_type: null, id: 'e0e0e0e0-0000-4000-8000-000000000004' },
      ]);
      expect(await rows(`SELECT record_index, reason FROM rejects WHERE member_path = 'azureactivity-loganalytics.csv'`)).toEqual([
        { record_index: '4', reason: 'unparseable or missing timestamp: "13/03/2024 10:00:00"' },
      ]);
    });

    it('portal CSV: the browser time with its GMT offset, the role assignment recognised by its resource type', async () => {
      const f = path.join(AZ, 'activity-portal.csv');
      expect(csvRows(f)).toBe(2);
      expect(members.get('activity-portal.csv')).toMatchObject({ format: 'azure_activity_csv', records: 2, loaded: 2, rejected: 0 });
      expect(await ev('activity-portal.csv', "strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS t, activity, category, status, actor_user, cloud_account, service")).toEqual([
        { t: '2024-03-04T10:02:03Z', activity: 'Create role assignment', category: 'iam', status: 'success', actor_user: 'admin.bob@contoso.example', cloud_account: '0b1c2d3e-0000-4000-8000-0000000005ub', service: 'Microsoft.Authorization' },
        { t: '2024-03-04T10:10:00Z', activity: 'Delete Virtual Machine', category: 'admin', status: 'failure', actor_user: '7a7a7a7a-0000-4000-8000-000000000005', cloud_account: '0b1c2d3e-0000-4000-8000-0000000005ub', service: 'Microsoft.Compute' },
      ]);
    });

    it('rejects diagnostic records with their reasons', async () => {
      expect(members.get('activity-rejects.jsonl')).toMatchObject({ format: 'azure_activity', records: 8, loaded: 3, rejected: 5 });
      expect(await rows(`SELECT record_index, reason FROM rejects WHERE member_path = 'activity-rejects.jsonl' ORDER BY record_index`)).toEqual([
        { record_index: '4', reason: 'invalid JSON' },
        { record_index: '5', reason: 'not a JSON object' },
        { record_index: '6', reason: 'not an Azure diagnostic record: operationName missing' },
        { record_index: '7', reason: 'no event time: "time" missing' },
        { record_index: '8', reason: 'unparseable or missing timestamp: "yesterday"' },
      ]);
      // The loaded ones: upper-case resource ids still give the subscription.
      expect(await ev('activity-rejects.jsonl', "strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS t, time_inferred, cloud_account, actor_user, actor_type, region")).toEqual(
        ['2024-03-04T10:01:00.000000Z', '2024-03-04T10:02:00.000000Z', '2024-03-04T10:03:00.123000Z'].map((t, i) => ({
          t,
          time_inferred: i === 2 ? 'no UTC offset: read as UTC (documented as UTC by Microsoft)' : null,
          cloud_account: '0B1C2D3E-0000-4000-8000-0000000005UB',
          actor_user: 'admin.bob@contoso.example',
          actor_type: 'user',
          region: null,
        })),
      );
    });

    it('rejects REST and Log Analytics records without a name or a time', async () => {
      expect(members.get('activity-rest-rejects.json')).toMatchObject({ format: 'azure_activity', records: 5, loaded: 3, rejected: 2 });
      expect(await rows(`SELECT record_index, reason FROM rejects WHERE member_path = 'activity-rest-rejects.json' ORDER BY record_index`)).toEqual([
        { record_index: '4', reason: 'not an Azure Activity Log event: operationName.value missing' },
        { record_index: '5', reason: 'no event time: eventTimestamp missing' },
      ]);
      expect(members.get('azureactivity-la-rejects.jsonl')).toMatchObject({ format: 'azure_activity', records: 4, loaded: 2, rejected: 2 });
      expect(await rows(`SELECT record_index, reason FROM rejects WHERE member_path = 'azureactivity-la-rejects.jsonl' ORDER BY record_index`)).toEqual([
        { record_index: '3', reason: 'not an AzureActivity row: OperationNameValue missing' },
        { record_index: '4', reason: 'no event time: TimeGenerated missing' },
      ]);
      expect(members.get('activity-portal-rejects.csv')).toMatchObject({ format: 'azure_activity_csv', records: 3, loaded: 2, rejected: 1 });
      expect(await rows(`SELECT record_index, reason FROM rejects WHERE member_path = 'activity-portal-rejects.csv'`)).toEqual([{ record_index: '3', reason: 'no operation name in this row' }]);
    });
  });

  describe('Microsoft Entra', () => {
    it('Graph directoryAudits page ({"value": [...]}): actors, targets and outcomes', async () => {
      const f = path.join(EN, 'graph-directoryaudits.json');
      expect(Number(sh(`jq '.value | length' ${q(f)}`).trim())).toBe(3);
      expect(members.get('graph-directoryaudits.json')).toMatchObject({ format: 'entra_audit', records: 3, loaded: 3, rejected: 0 });
      const ids = sh(`jq -r '.value[].id' ${q(f)}`).trim().split('\n');
      expect(await ev('graph-directoryaudits.json', "record_id, strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS t, activity, status, error_code, actor_user, actor_type, actor_id, src_ip, target, service, user_agent")).toEqual([
        { record_id: ids[0], t: '2024-03-04T08:40:55.123456Z', activity: 'Add member to role', status: 'success', error_code: null, actor_user: 'admin.bob@contoso.example', actor_type: 'user', actor_id: 'b0b0b0b0-0000-4000-8000-000000000001', src_ip: '198.51.100.23', target: 'mallory@contoso.example', service: 'Core Directory', user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/122.0' },
        { record_id: ids[1], t: '2024-03-04T08:44:10.500000Z', activity: 'Reset user password', status: 'failure', error_code: 'Insufficient privileges', actor_user: 'mallory@contoso.example', actor_type: 'user', actor_id: 'c0ffee00-0000-4000-8000-000000000002', src_ip: '192.0.2.55', target: 'alice@contoso.example', service: 'Core Directory', user_agent: null },
        { record_id: ids[2], t: '2024-03-04T09:01:00.000000Z', activity: 'Add service principal credentials', status: 'success', error_code: null, actor_user: 'Graph Explorer', actor_type: 'app', actor_id: '5e5e5e5e-0000-4000-8000-000000000004', src_ip: null, target: 'Payroll Sync', service: 'Core Directory', user_agent: null },
      ]);
    });

    it('Graph signIns (portal JSON download): offsets honoured, service principals told apart', async () => {
      const f = path.join(EN, 'graph-signins.json');
      expect(Number(sh(`jq length ${q(f)}`).trim())).toBe(3);
      expect(members.get('graph-signins.json')).toMatchObject({ format: 'entra_signin', records: 3, loaded: 3, rejected: 0 });
      expect(await ev('graph-signins.json', "strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS t, time_raw, status, error_code, actor_user, actor_type, service, target, source_format")).toEqual([
        { t: '2024-03-04T08:15:01.987654Z', time_raw: '2024-03-04T08:15:01.987654Z', status: 'success', error_code: null, actor_user: 'alice@contoso.example', actor_type: 'user', service: 'Office 365 Exchange Online', target: 'Office 365 Exchange Online', source_format: 'entra_signin_graph' },
        { t: '2024-03-04T08:16:39.000000Z', time_raw: '2024-03-04T09:16:39+01:00', status: 'failure', error_code: '50126', actor_user: 'ceo@contoso.example', actor_type: 'user', service: 'Azure Active Directory PowerShell', target: 'Windows Azure Active Directory', source_format: 'entra_signin_graph' },
        { t: '2024-03-04T09:00:00.000000Z', time_raw: '2024-03-04T09:00:00Z', status: 'success', error_code: null, actor_user: 'Payroll Sync', actor_type: 'servicePrincipal', service: 'Payroll Sync', target: 'Microsoft Graph', source_format: 'entra_signin_graph' },
      ]);
    });

    it('Log Analytics SigninLogs rows: CreatedDateTime is the event time, AADTenantId the tenant', async () => {
      expect(members.get('signinlogs-loganalytics.jsonl')).toMatchObject({ format: 'entra_signin', records: 2, loaded: 2, rejected: 0 });
      expect(await ev('signinlogs-loganalytics.jsonl', "strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS t, status, error_code, actor_user, actor_type, actor_id, cloud_account, user_agent")).toEqual([
        { t: '2024-03-04T08:16:39.000000Z', status: 'failure', error_code: '50126', actor_user: 'ceo@contoso.example', actor_type: 'user', actor_id: 'ce0ce0ce-0000-4000-8000-000000000007', cloud_account: '4f8e1c2a-0000-4000-8000-00000000c0de', user_agent: 'python-requests/2.31.0' },
        { t: '2024-03-04T09:00:00.500000Z', status: 'success', error_code: null, actor_user: 'Payroll Sync', actor_type: 'servicePrincipal', actor_id: '7a7a7a7a-0000-4000-8000-000000000005', cloud_account: '4f8e1c2a-0000-4000-8000-00000000c0de', user_agent: null },
      ]);
    });

    it('portal sign-in CSV (BOM, quoted fields, a repeated column name): every column kept in fields', async () => {
      const f = path.join(EN, 'signins-portal.csv');
      expect(csvRows(f)).toBe(3);
      expect(members.get('signins-portal.csv')).toMatchObject({ format: 'entra_signin_csv', records: 3, loaded: 3, rejected: 0 });
      expect(await ev('signins-portal.csv', "status, error_code, actor_user, actor_type, src_ip, cloud_account, record_id, fields['User'] AS display, cardinality(fields) AS n, fields['Incoming token type (2)'] AS dup")).toEqual([
        { status: 'success', error_code: null, actor_user: 'alice@contoso.example', actor_type: 'user', src_ip: '203.0.113.10', cloud_account: '4f8e1c2a-0000-4000-8000-00000000c0de', record_id: '1d2c3b4a-0000-4000-8000-00000000a001', display: 'Alice Example', n: '55', dup: '' },
        { status: 'failure', error_code: '50126', actor_user: 'ceo@contoso.example', actor_type: 'user', src_ip: '198.51.100.77', cloud_account: '4f8e1c2a-0000-4000-8000-00000000c0de', record_id: '1d2c3b4a-0000-4000-8000-00000000a002', display: 'CEO', n: '55', dup: '' },
        { status: 'failure', error_code: '50140', actor_user: 'mallory@contoso.example', actor_type: 'user', src_ip: '2001:db8::44', cloud_account: '4f8e1c2a-0000-4000-8000-00000000c0de', record_id: '1d2c3b4a-0000-4000-8000-00000000a004', display: 'Mallory, "the intern"', n: '55', dup: '' },
      ]);
    });

    it('portal audit CSV: "Date (UTC)" with an offset, users by UPN, applications by name', async () => {
      const f = path.join(EN, 'audit-portal.csv');
      expect(csvRows(f)).toBe(3);
      expect(members.get('audit-portal.csv')).toMatchObject({ format: 'entra_audit_csv', records: 3, loaded: 3, rejected: 0 });
      expect(await ev('audit-portal.csv', "strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS t, activity, status, error_code, actor_user, actor_type, target, fields['Target1ModifiedProperty1NewValue'] AS nv")).toEqual([
        { t: '2024-03-04T08:40:55.123456Z', activity: 'Add member to role', status: 'success', error_code: null, actor_user: 'admin.bob@contoso.example', actor_type: 'user', target: 'mallory@contoso.example', nv: '"Global Administrator"' },
        { t: '2024-03-04T08:44:10.500000Z', activity: 'Reset user password', status: 'failure', error_code: 'Insufficient privileges', actor_user: 'mallory@contoso.example', actor_type: 'user', target: 'alice@contoso.example', nv: '' },
        { t: '2024-03-04T09:01:00.000000Z', activity: 'Add service principal credentials', status: 'success', error_code: null, actor_user: 'Graph Explorer', actor_type: 'app', target: 'Payroll Sync', nv: '' },
      ]);
    });

    it('the Graph, portal CSV and Log Analytics forms of one event agree', async () => {
      const one = await rows(
        `SELECT source_format, time, status, error_code, actor_user, actor_id, src_ip, service, target FROM events
         WHERE record_id = '1d2c3b4a-0000-4000-8000-00000000a002' AND member_path IN ('graph-signins.json', 'signins-portal.csv', 'signinlogs-loganalytics.jsonl')
         ORDER BY source_format`,
      );
      expect(one.map((o) => o.source_format)).toEqual(['entra_signin_csv', 'entra_signin_graph', 'entra_signin_loganalytics']);
      const rest = one.map(({ source_format: _, ...o }) => o);
      expect(rest[1]).toEqual(rest[0]);
      expect(rest[2]).toEqual(rest[0]);
      expect(rest[0]).toMatchObject({ status: 'failure', error_code: '50126', actor_user: 'ceo@contoso.example', src_ip: '198.51.100.77' });
    });

    it('rejects Entra records with their reasons', async () => {
      const reasons = (m: string) => rows(`SELECT record_index, reason FROM rejects WHERE member_path = '${m}' ORDER BY record_index`);
      expect(members.get('entra-graph-rejects.jsonl')).toMatchObject({ format: 'entra_audit', records: 4, loaded: 3, rejected: 1 });
      expect(await reasons('entra-graph-rejects.jsonl')).toEqual([{ record_index: '4', reason: 'not an Entra audit or sign-in record: activityDateTime and createdDateTime missing' }]);
      expect(members.get('entra-diag-rejects.jsonl')).toMatchObject({ format: 'entra_signin', records: 5, loaded: 3, rejected: 2 });
      expect(await reasons('entra-diag-rejects.jsonl')).toEqual([
        { record_index: '4', reason: 'not an Entra diagnostic record: operationName and properties missing' },
        { record_index: '5', reason: 'no event time: "time" and properties.createdDateTime missing' },
      ]);
      expect(members.get('signinlogs-la-rejects.jsonl')).toMatchObject({ format: 'entra_signin', records: 4, loaded: 2, rejected: 2 });
      expect(await reasons('signinlogs-la-rejects.jsonl')).toEqual([
        { record_index: '3', reason: 'not an Entra AuditLogs or SigninLogs row: OperationName, ActivityDisplayName, UserPrincipalName and AppDisplayName missing' },
        { record_index: '4', reason: 'no event time: TimeGenerated missing' },
      ]);
      expect(members.get('audit-portal-rejects.csv')).toMatchObject({ format: 'entra_audit_csv', records: 4, loaded: 3, rejected: 1 });
      expect(await reasons('audit-portal-rejects.csv')).toEqual([{ record_index: '4', reason: 'no activity in this row' }]);
      expect(members.get('signins-portal-rejects.csv')).toMatchObject({ format: 'entra_signin_csv', records: 4, loaded: 3, rejected: 1 });
      expect(await reasons('signins-portal-rejects.csv')).toEqual([{ record_index: '4', reason: 'not a sign-in row: no user, application or request id' }]);
    });
  });

  it("does not claim other families' records (CloudTrail, Okta, GCP, GitHub, EKS, AKS kube-audit diagnostic records)", () => {
    const others = [...members.values()].filter((m) => m.path.startsWith('other-') || m.path.endsWith('test-kube-audit.log'));
    expect(others).toHaveLength(6);
    for (const m of others) {
      expect(m.format, m.path).not.toBeNull();
      expect(MINE, m.path).not.toContain(m.format);
    }
  });
});
