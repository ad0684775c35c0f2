/**
 * Microsoft 365 unified audit log: Panther's Microsoft365.Audit.* rule-test events (extracted with jq as JSON Lines
 * and as one Management Activity API content array), OTRF's Sentinel OfficeActivity export, the M365 Defender
 * advanced-hunting rows (left to the generic JSON Lines format, by decision) and the synthetic exports of
 * test/fixtures/m365 (Purview CSV old and new, Search-UnifiedAuditLog via Export-Csv and ConvertTo-Json, an API
 * content blob). Counts from jq, grep, unzip and python's csv module; every reject reason is produced and asserted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MemberReport } from '../../shared/ingest.js';
import { CORPUS, REPO, newCase, sh, tmpDir, type TestCase, shellQuote as q } from '../support/tmp-case.js';

const PANTHER = path.join(CORPUS, 'panther-analysis-tests/by_log_type');
const GOLDEN = path.join(CORPUS, 'otrf-security-datasets/compound/GoldenSAMLADFSMailAccess');
const FX = path.join(REPO, 'test/fixtures/m365');
const WORKLOADS = ['AzureActiveDirectory', 'Exchange', 'SharePoint'];

/** Physical line where each CSV record starts, from python's csv reader (it reports where a record ends). */
function csvStartLines(f: string, skip = 0): number[] {
  const out = sh(
    `python3 -c "
import csv,sys
f=open(sys.argv[1], newline='', encoding='utf-8-sig')
for _ in range(${skip}): f.readline()
r=csv.reader(f); prev=${skip}
for row in r:
  print(prev+1); prev=r.line_num+${skip}" ${q(f)}`,
  )
    .trim()
    .split('\n')
    .map(Number);
  return out.slice(1); // the header is not a record
}

describe('Microsoft 365 unified audit log', () => {
  let c: TestCase;
  let dir: string;
  const members = new Map<string, MemberReport>();
  const rows = <T = Record<string, string | null>>(sql: string) => c.rows<T>(sql);
  const ev = (member: string, cols: string) => rows(`SELECT ${cols} FROM events WHERE member_path = '${member}' ORDER BY record_index`);
  const reasons = (member: string) => rows(`SELECT record_index, reason FROM rejects WHERE member_path = '${member}' ORDER BY record_index`);

  beforeAll(async () => {
    dir = tmpDir('ewb-m365-');
    for (const w of WORKLOADS) sh(`jq -c '.log' ${q(path.join(PANTHER, `Microsoft365.Audit.${w}.jsonl`))} > ${q(path.join(dir, `panther-${w}.jsonl`))}`);
    // What GET /activity/feed/audit/{contentId} returns: one JSON array of records.
    sh(`jq -s 'map(.log)' ${WORKLOADS.map((w) => q(path.join(PANTHER, `Microsoft365.Audit.${w}.jsonl`))).join(' ')} > ${q(path.join(dir, 'panther-content-blob.json'))}`);
    // Reject reasons: API records, Search-UnifiedAuditLog objects and CSV rows that are not events.
    const api = fs.readFileSync(path.join(FX, 'management-api-content.json'), 'utf8');
    const recs = JSON.parse(api) as Array<Record<string, unknown>>;
    fs.writeFileSync(
      path.join(dir, 'api-rejects.jsonl'),
      [...recs, ...recs].map((r) => JSON.stringify(r)).concat(['{"CreationTime": "2024-03-04T10:00:00", "Operation": ', '"a string"', JSON.stringify({ ...recs[0], Operation: undefined }), JSON.stringify({ ...recs[1], CreationTime: undefined })]).join('\n') + '\n',
    );
    const search = JSON.parse(fs.readFileSync(path.join(FX, 'search-unifiedauditlog.json'), 'utf8')) as Array<Record<string, unknown>>;
    fs.writeFileSync(
      path.join(dir, 'search-rejects.json'),
      JSON.stringify([...search, { ...search[0], AuditData: undefined }, { ...search[1], AuditData: '{"CreationTime":"2024-03-04T08:40:55","Operation":"Add mem' }]),
    );
    fs.writeFileSync(
      path.join(dir, 'purview-rejects.csv'),
      fs.readFileSync(path.join(FX, 'purview-audit-classic.csv'), 'utf8') + '2024-03-04T10:00:00.0000000Z,someone@contoso.example,FileAccessed,\r\n',
    );
    c = await newCase({ periodStart: '2019-01-01', periodEnd: '2026-12-31', timezone: 'America/New_York' });
    const r = await c.ingest([
      ...fs.readdirSync(dir).map((f) => path.join(dir, f)),
      ...fs.readdirSync(FX).filter((f) => /\.(csv|json)$/.test(f)).map((f) => path.join(FX, f)),
      path.join(GOLDEN, 'OfficeActivityEvents.Zip'),
      path.join(GOLDEN, 'Microsoft365DefenderEvents.Zip'),
    ]);
    for (const a of r.archives) for (const m of a.members) members.set(path.basename(m.path), m);
  }, 300_000);

  describe("Panther's Microsoft365.Audit events", () => {
    it.each(WORKLOADS)('Microsoft365.Audit.%s: every event loads', (w) => {
      const n = Number(sh(`wc -l < ${q(path.join(PANTHER, `Microsoft365.Audit.${w}.jsonl`))}`).trim());
      expect(n).toBe({ AzureActiveDirectory: 4, Exchange: 10, SharePoint: 5 }[w]);
      expect(members.get(`panther-${w}.jsonl`)).toMatchObject({ format: 'm365_audit', records: n, loaded: n, rejected: 0, status: 'loaded' });
    });

    it('the same events as one Management Activity API content array', async () => {
      const f = path.join(dir, 'panther-content-blob.json');
      expect(Number(sh(`jq length ${q(f)}`).trim())).toBe(19);
      expect(members.get('panther-content-blob.json')).toMatchObject({ format: 'm365_audit', records: 19, loaded: 19, rejected: 0 });
      const want = sh(`jq -r '.[] | [(.Operation // .operation), (.UserId // .userid), (.CreationTime // .creationtime), ((.RecordType // .recordtype) | tostring), (.Id // .id), (.ClientIP // .clientip // "")] | @tsv' ${q(f)}`)
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      const got = await ev('panther-content-blob.json', "activity, actor_user, time_raw, event_code, record_id, coalesce(src_ip, '') AS ip");
      // ClientIP is kept without the port Exchange sometimes appends ("1.2.3.4:10736").
      expect(want.some((w) => w[5] === '1.2.3.4:10736')).toBe(true);
      expect(got.map((g) => Object.values(g))).toEqual(want.map((w) => [...w.slice(0, 5), w[5]!.replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1')]));
    });

    it('reads Exchange records whose keys Panther wrote in lower case', async () => {
      const got = await ev('panther-Exchange.jsonl', "activity, service, category, status, actor_type, cloud_account, target, strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS t, time_inferred");
      expect(got).toHaveLength(10);
      expect(got[0]).toEqual({ activity: 'Set-Mailbox', service: 'Exchange', category: 'admin', status: 'success', actor_type: 'admin', cloud_account: '11-aa-bb', target: 'homer.simpson', t: '2022-12-12T22:19:00Z', time_inferred: 'no UTC offset: read as UTC (documented as UTC by Microsoft)' });
    });

    it("marks failed logons as failures, as Panther's brute-force rule expects", async () => {
      const verdicts = sh(`jq -r 'select(.rule_id == "Microsoft365.Brute.Force.Login.by.User") | [input_line_number, .expected_result] | @tsv' ${q(path.join(PANTHER, 'Microsoft365.Audit.AzureActiveDirectory.jsonl'))}`)
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      const got = await rows<{ record_index: string; status: string; error_code: string | null; category: string }>(
        `SELECT record_index, status, error_code, category FROM events WHERE member_path = 'panther-AzureActiveDirectory.jsonl' AND record_index IN (${verdicts.map((v) => v[0]).join(', ')}) ORDER BY 1`,
      );
      expect(got).toEqual(
        verdicts.map(([i, v]) => ({ record_index: i, status: v === 'true' ? 'failure' : 'success', error_code: v === 'true' ? 'InvalidUserNameOrPassword' : null, category: 'authentication' })),
      );
    });
  });

  describe('OTRF GoldenSAMLADFSMailAccess', () => {
    it('OfficeActivity: the single MailItemsAccessed row, fields as jq reads them', async () => {
      const zip = path.join(GOLDEN, 'OfficeActivityEvents.Zip');
      expect(Number(sh(`unzip -p ${q(zip)} | jq -s length`).trim())).toBe(1);
      expect(members.get('OfficeActivityEvents.json')).toMatchObject({ format: 'm365_audit', records: 1, loaded: 1, rejected: 0 });
      const want = JSON.parse(sh(`unzip -p ${q(zip)} | jq -c '{activity: .Operation, actor_user: .UserId, actor_id: .UserKey, src_ip: .Client_IPAddress, time_raw: .TimeGenerated, record_id: .OfficeId, target: .MailboxOwnerUPN, service: .OfficeWorkload, event_code: .RecordType, cloud_account: .OrganizationId}'`));
      const [got] = await ev('OfficeActivityEvents.json', 'activity, actor_user, actor_id, src_ip, time_raw, record_id, target, service, event_code, cloud_account');
      expect(got).toEqual(want);
      expect(await ev('OfficeActivityEvents.json', "strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS t, category, status, actor_type, source_format")).toEqual([
        { t: '2021-08-02T13:32:07Z', category: 'mailbox_access', status: 'success', actor_type: 'user', source_format: 'm365_audit_officeactivity' },
      ]);
    });

    it('Microsoft 365 Defender advanced-hunting rows stay with the generic JSON Lines format', () => {
      const n = Number(sh(`unzip -p ${q(path.join(GOLDEN, 'Microsoft365DefenderEvents.Zip'))} | grep -c '[^[:space:]]'`).trim());
      expect(n).toBe(9);
      expect(members.get('Microsoft365DefenderEvents.json')).toMatchObject({ format: 'jsonl', records: n, loaded: n, rejected: 0 });
    });
  });

  describe('synthetic exports (test/fixtures/m365)', () => {
    it('Purview export: multi-line AuditData, embedded quotes, ports, the mailbox permission and admin role changes', async () => {
      const f = path.join(FX, 'purview-audit-export.csv');
      const starts = csvStartLines(f);
      expect(starts).toEqual([2, 3, 4, 5, 6, 43, 44, 45, 46]);
      expect(members.get('purview-audit-export.csv')).toMatchObject({ format: 'm365_audit_csv', records: 9, loaded: 8, rejected: 1 });
      const got = await ev(
        'purview-audit-export.csv',
        "line, strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS t, activity, event_code, category, status, error_code, actor_user, actor_type, src_ip, target, service, record_id, user_agent",
      );
      expect(got.map((g) => Number(g.line))).toEqual(starts.slice(0, 8));
      expect(got.map(({ line: _, ...g }) => g)).toEqual([
        { t: '2024-03-04T08:15:02Z', activity: 'UserLoggedIn', event_code: '15', category: 'authentication', status: 'success', error_code: null, actor_user: 'alice@contoso.example', actor_type: 'user', src_ip: '203.0.113.10', target: '00000003-0000-0ff1-ce00-000000000000', service: 'AzureActiveDirectory', record_id: '6a0f7c1e-1111-4e0a-9c59-5e1b8e3d0001', user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/122.0' },
        { t: '2024-03-04T08:16:40Z', activity: 'UserLoginFailed', event_code: '15', category: 'authentication', status: 'failure', error_code: 'InvalidUserNameOrPassword', actor_user: 'ceo@contoso.example', actor_type: 'user', src_ip: '198.51.100.77', target: '00000002-0000-0ff1-ce00-000000000000', service: 'AzureActiveDirectory', record_id: '6a0f7c1e-1111-4e0a-9c59-5e1b8e3d0002', user_agent: 'python-requests/2.31.0' },
        { t: '2024-03-04T08:31:17Z', activity: 'Add-MailboxPermission', event_code: '1', category: 'iam', status: 'success', error_code: null, actor_user: 'admin.bob@contoso.example', actor_type: 'admin', src_ip: '198.51.100.23', target: 'NAMPR01A001.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/ceo', service: 'Exchange', record_id: '0c7a3d52-2222-4b1d-8c11-08dc3c1d0003', user_agent: null },
        { t: '2024-03-04T08:40:55Z', activity: 'Add member to role.', event_code: '8', category: 'iam', status: 'success', error_code: null, actor_user: 'admin.bob@contoso.example', actor_type: 'user', src_ip: null, target: 'mallory@contoso.example', service: 'AzureActiveDirectory', record_id: '9d2e6b4f-3333-4c8a-a3c5-2e9f1d7b0004', user_agent: null },
        { t: '2024-03-04T08:52:09Z', activity: 'New-InboxRule', event_code: '1', category: 'admin', status: 'success', error_code: null, actor_user: 'ceo@contoso.example', actor_type: 'user', src_ip: '2001:db8::44', target: 'ceo@contoso.example\\"Invoices" to RSS', service: 'Exchange', record_id: '0c7a3d52-5555-4b1d-8c11-08dc3c1d0005', user_agent: null },
        { t: '2024-03-04T09:05:33Z', activity: 'MailItemsAccessed', event_code: '50', category: 'mailbox_access', status: 'success', error_code: null, actor_user: 'mallory@contoso.example', actor_type: 'user', src_ip: '192.0.2.55', target: 'ceo@contoso.example', service: 'Exchange', record_id: '7b1d2e3f-6666-4a5b-9c8d-1e2f3a4b0006', user_agent: null },
        { t: '2024-03-04T09:12:48Z', activity: 'FileDownloaded', event_code: '6', category: 'file_access', status: null, error_code: null, actor_user: 'mallory@contoso.example', actor_type: 'user', src_ip: '192.0.2.55', target: 'https://contoso.sharepoint.com/sites/finance/Shared Documents/Q1 board pack.xlsx', service: 'SharePoint', record_id: '3e4f5a6b-7777-4c8d-9e0f-1a2b3c4d0007', user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/123.0' },
        { t: '2024-03-04T09:20:00Z', activity: 'Set-Mailbox', event_code: '1', category: 'admin', status: 'failure', error_code: null, actor_user: 'admin.bob@contoso.example', actor_type: 'admin', src_ip: '198.51.100.23', target: 'ceo', service: 'Exchange', record_id: '8f9e0d1c-8888-4b2a-8c7d-6e5f4a3b0008', user_agent: null },
      ]);
      expect(await reasons('purview-audit-export.csv')).toEqual([{ record_index: '9', reason: 'AuditData column is not a JSON object (cut off or edited?)' }]);
    });

    it('keeps every CSV column in fields and the parameters of the permission change reachable in AuditData', async () => {
      const [p] = await rows(
        `SELECT cardinality(fields) AS n, fields['CreationDate'] AS created, json_extract_string(fields['AuditData'], '$.Parameters[1].Value') AS grantee,
                json_extract_string(fields['AuditData'], '$.Parameters[2].Value') AS rights
         FROM events WHERE member_path = 'purview-audit-export.csv' AND activity = 'Add-MailboxPermission'`,
      );
      expect(p).toEqual({ n: '8', created: '3/4/2024 8:31:17 AM', grantee: 'mallory@contoso.example', rights: 'FullAccess' });
      const [r] = await rows(`SELECT json_extract_string(fields['AuditData'], '$.ModifiedProperties[0].NewValue') AS role FROM events WHERE member_path = 'purview-audit-export.csv' AND activity = 'Add member to role.'`);
      expect(r).toEqual({ role: 'Global Administrator' });
    });

    it('the classic export (CreationDate,UserIds,Operations,AuditData)', async () => {
      const f = path.join(FX, 'purview-audit-classic.csv');
      expect(csvStartLines(f)).toHaveLength(3);
      expect(members.get('purview-audit-classic.csv')).toMatchObject({ format: 'm365_audit_csv', records: 3, loaded: 3, rejected: 0 });
      expect((await ev('purview-audit-classic.csv', 'activity')).map((e) => e.activity)).toEqual(['UserLoggedIn', 'UserLoginFailed', 'Add-MailboxPermission']);
    });

    it('Search-UnifiedAuditLog | Export-Csv with its #TYPE line: the line is skipped and still counted', async () => {
      const f = path.join(FX, 'search-unifiedauditlog-ps51.csv');
      expect(sh(`head -1 ${q(f)}`)).toMatch(/^#TYPE /);
      const starts = csvStartLines(f, 1);
      expect(starts).toEqual([3, 4, 5, 6]);
      expect(members.get('search-unifiedauditlog-ps51.csv')).toMatchObject({ format: 'm365_audit_csv', records: 4, loaded: 4, rejected: 0 });
      expect(await ev('search-unifiedauditlog-ps51.csv', "line, activity, event_code, fields['RecordType'] AS rt, fields['ResultIndex'] AS ri")).toEqual([
        { line: '3', activity: 'UserLoggedIn', event_code: '15', rt: 'AzureActiveDirectoryStsLogon', ri: '1' },
        { line: '4', activity: 'UserLoginFailed', event_code: '15', rt: 'AzureActiveDirectoryStsLogon', ri: '2' },
        { line: '5', activity: 'Add-MailboxPermission', event_code: '1', rt: 'ExchangeAdmin', ri: '3' },
        { line: '6', activity: 'Add member to role.', event_code: '8', rt: 'AzureActiveDirectory', ri: '4' },
      ]);
    });

    it('Search-UnifiedAuditLog | ConvertTo-Json: the AuditData text is the record', async () => {
      const f = path.join(FX, 'search-unifiedauditlog.json');
      expect(Number(sh(`jq length ${q(f)}`).trim())).toBe(3);
      expect(members.get('search-unifiedauditlog.json')).toMatchObject({ format: 'm365_audit', records: 3, loaded: 3, rejected: 0 });
      const want = sh(`jq -r '.[] | .AuditData | fromjson | [.Operation, .UserId, .Id] | @tsv' ${q(f)}`).trim().split('\n').map((l) => l.split('\t'));
      const got = await ev('search-unifiedauditlog.json', 'activity, actor_user, record_id');
      expect(got.map((g) => Object.values(g))).toEqual(want);
      expect((await ev('search-unifiedauditlog.json', 'source_format')).map((g) => g.source_format)).toEqual(['m365_audit_search', 'm365_audit_search', 'm365_audit_search']);
    });

    it('Graph auditLogRecord page: the sign-in name, not the object id, is the actor; the outcome from auditData', async () => {
      const f = path.join(FX, 'graph-auditlogrecords.json');
      expect(Number(sh(`jq '.value | length' ${q(f)}`).trim())).toBe(2);
      expect(members.get('graph-auditlogrecords.json')).toMatchObject({ format: 'm365_audit', records: 2, loaded: 2, rejected: 0 });
      expect(await ev('graph-auditlogrecords.json', "strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS t, activity, event_code, category, status, actor_user, actor_id, actor_type, src_ip, service, source_format")).toEqual([
        { t: '2024-03-04T08:31:17Z', activity: 'Add-MailboxPermission', event_code: 'exchangeAdmin', category: 'iam', status: 'success', actor_user: 'admin.bob@contoso.example', actor_id: 'b0b0b0b0-0000-4000-8000-000000000001', actor_type: 'admin', src_ip: '198.51.100.23', service: 'Exchange', source_format: 'm365_audit_graph' },
        { t: '2024-03-04T08:40:55Z', activity: 'Add member to role.', event_code: 'azureActiveDirectory', category: 'iam', status: 'success', actor_user: 'admin.bob@contoso.example', actor_id: 'b0b0b0b0-0000-4000-8000-000000000001', actor_type: 'user', src_ip: null, service: 'AzureActiveDirectory', source_format: 'm365_audit_graph' },
      ]);
    });

    it('reads CreationTime as UTC whatever the case time zone (documented UTC, no offset written) and says so', async () => {
      const [e] = await rows(`SELECT strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS t, time_raw, time_inferred FROM events WHERE member_path = 'management-api-content.json' AND record_index = 1`);
      expect(e).toEqual({ t: '2024-03-04T09:05:33Z', time_raw: '2024-03-04T09:05:33', time_inferred: 'no UTC offset: read as UTC (documented as UTC by Microsoft)' });
    });

    it('rejects what is not an audit record, with its reason', async () => {
      expect(members.get('api-rejects.jsonl')).toMatchObject({ format: 'm365_audit', records: 10, loaded: 6, rejected: 4 });
      expect(await reasons('api-rejects.jsonl')).toEqual([
        { record_index: '7', reason: 'invalid JSON' },
        { record_index: '8', reason: 'not a JSON object' },
        { record_index: '9', reason: 'not a Microsoft 365 audit record: Operation missing' },
        { record_index: '10', reason: 'no event time: CreationTime missing' },
      ]);
      expect(members.get('search-rejects.json')).toMatchObject({ format: 'm365_audit', records: 5, loaded: 3, rejected: 2 });
      expect(await reasons('search-rejects.json')).toEqual([
        { record_index: '4', reason: 'no AuditData in this Search-UnifiedAuditLog record' },
        { record_index: '5', reason: 'AuditData is not a JSON object (cut off or edited?)' },
      ]);
      expect(members.get('purview-rejects.csv')).toMatchObject({ format: 'm365_audit_csv', records: 4, loaded: 3, rejected: 1 });
      expect(await reasons('purview-rejects.csv')).toEqual([{ record_index: '4', reason: 'AuditData column empty' }]);
    });
  });
});
