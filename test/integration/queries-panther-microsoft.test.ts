/**
 * Canned queries for Azure Activity Log (`azure`), Microsoft Entra (`entra`) and the Microsoft 365 unified audit log
 * (`m365`) against Panther's rule test events (../shared/corpus/panther-analysis-tests), the OTRF Golden SAML capture
 * (../shared/corpus/otrf-security-datasets) and hand-made fixtures (test/fixtures/{azure,entra,m365}-queries, written
 * by test/fixtures/azure-queries/make-fixtures.py). A query is mapped to a Panther rule only when their intents match;
 * a query wider than a rule is checked to flag every event the rule expects true (and, where the query has a column
 * for the rule's narrower test, that the column tells the rule's true and false events apart).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../electron/engine/api.js';
import { compareWithRules, pantherLines, writeJsonl, type PantherLine } from '../support/panther.js';
import { CORPUS, newCase, REPO, type TestCase } from '../support/tmp-case.js';

const PERIOD = { periodStart: '2010-01-01', periodEnd: '2030-12-31' };
const api = createApi();

type Row = Record<string, unknown>;

async function run(dir: string, id: string, params: Record<string, string | number | boolean> = {}): Promise<Row[]> {
  const r = await api.invoke('query.run', { dir, id, params });
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])));
}

/** The record number (line of the loaded file) an event id ends with. */
const lineOf = (r: Row) => Number(String(r['event_id']).split('-').pop());

interface Loaded {
  c: TestCase;
  lines: PantherLine[];
  loaded: Set<number>;
}

async function loadPanther(logType: string, file: string): Promise<Loaded> {
  const lines = pantherLines(logType);
  const c = await newCase(PERIOD);
  await c.ingest([writeJsonl(lines, file)]);
  const loaded = new Set<number>();
  for (const r of await c.rows<{ record_index: string }>('SELECT record_index::VARCHAR AS record_index FROM events')) loaded.add(Number(r.record_index));
  return { c, lines, loaded };
}

async function expectExact(l: Loaded, query: string, rules: string[]): Promise<void> {
  const o = await compareWithRules(l.c.dir, query, rules, l.lines, l.loaded);
  expect(o.positives + o.negatives, 'the rules have judged events').toBeGreaterThan(0);
  expect({ missed: o.missed, falsePositives: o.falsePositives }).toEqual({ missed: [], falsePositives: [] });
  // Test events a rule judges but that cannot be loaded (no readable time) are rejected, never judged.
  for (const line of o.notLoaded) {
    const reason = await l.c.one<string>(`SELECT reason FROM rejects WHERE record_index = ${line}`);
    expect(reason).toMatch(/time/);
  }
}

/** Lines the rule expects true / false (mocked tests left out). */
function verdicts(l: Loaded, rule: string): { yes: number[]; no: number[] } {
  const mine = l.lines.filter((x) => x.rule === rule && !x.mocks);
  expect(mine.length, `${rule} has test events`).toBeGreaterThan(0);
  return { yes: mine.filter((x) => x.expected).map((x) => x.line), no: mine.filter((x) => !x.expected).map((x) => x.line) };
}

// ---------------------------------------------------------------------------------------------------------------
// Azure Activity Log: Azure.MonitorActivity (its AKS audit events have no `time` and are rejected)
// ---------------------------------------------------------------------------------------------------------------

/** query id → Panther rule ids it implements. */
const AZURE: Array<[string, string[]]> = [
  ['azure.logging_removed', ['Azure.MonitorActivity.DiagnosticSettings.Deleted', 'Azure.MonitorActivity.LogAnalyticsWorkspace.Deleted']],
  // KeyVault.Purged is not mapped: its false event (a vault deletion) is one this query reports on purpose; its true
  // events are checked below.
  ['azure.key_vault_deleted_or_access_changed', ['Azure.MonitorActivity.KeyVault.Deleted', 'Azure.MonitorActivity.KeyVault.KeyPurged']],
  ['azure.policy_or_lock_removed', ['Azure.MonitorActivity.Authorization.ResourceLockDeleted']],
  // Not mapped: Network.NSGModifiedOrDeleted (every NSG change; azure.nsg_open_to_internet needs an Internet-open rule
  // in the body, which these events do not carry); RoleAssignment.PrivilegedOrElevated (checked below against
  // azure.role_assignment_changed and azure.elevate_access together); the storage, automation, compute and
  // alert-rule rules have no query here.
];

describe('Azure Activity Log queries against Panther rule tests', () => {
  let l: Loaded;
  beforeAll(async () => {
    l = await loadPanther('Azure.MonitorActivity', 'azure-activity.jsonl');
  }, 120_000);

  it.each(AZURE)('%s flags exactly what %s expects', async (query, rules) => {
    await expectExact(l, query, rules);
  });

  it('azure.key_vault_deleted_or_access_changed flags every vault purge Panther expects', async () => {
    const flagged = new Set((await run(l.c.dir, 'azure.key_vault_deleted_or_access_changed')).map(lineOf));
    const v = verdicts(l, 'Azure.MonitorActivity.KeyVault.Purged');
    expect(v.yes.filter((n) => !flagged.has(n))).toEqual([]);
  });

  it('privileged role assignments and elevate access: role_assignment_changed (privileged_role) with elevate_access', async () => {
    const v = verdicts(l, 'Azure.MonitorActivity.RoleAssignment.PrivilegedOrElevated');
    const roles = new Map((await run(l.c.dir, 'azure.role_assignment_changed')).map((r) => [lineOf(r), r]));
    const elevate = new Set((await run(l.c.dir, 'azure.elevate_access')).map(lineOf));
    const privileged = (n: number) => elevate.has(n) || roles.get(n)?.['privileged_role'] === true;
    expect(v.yes.filter((n) => !privileged(n))).toEqual([]);
    expect(v.no.filter(privileged)).toEqual([]);
    // the false event is a Reader assignment: still a role assignment, reported as not privileged
    for (const n of v.no) expect(roles.get(n)).toMatchObject({ role_name: 'Reader', privileged_role: false, scope_level: 'subscription' });
    expect(roles.get(v.yes[0]!)).toMatchObject({ change: 'role assignment created', role_name: 'Owner', scope: '/subscriptions/12345678-1234-1234-1234-123456789abc' });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Entra: Azure.Audit (diagnostic-setting records of AuditLogs and SignInLogs)
// ---------------------------------------------------------------------------------------------------------------

const ENTRA: Array<[string, string[]]> = [
  ['azure.elevate_access', ['Azure.Audit.ElevateUserAccessAdministrator']],
  ['entra.app_credential_added', ['Azure.Audit.ServicePrincipalCredentialsAdded']],
  ['entra.federation_changed', ['Azure.Audit.DomainSettingsModified']],
  // Not mapped: RoleChangedPIM (PIM completions only; entra.directory_role_member_added also reports direct
  // assignments) and MFADisabled (one kind of Conditional Access change): both checked below as subsets;
  // PolicyChanged (any directory policy except additions; entra.conditional_access_changed is about Conditional
  // Access and includes additions); InviteExternalUsers (entra.user_created_or_deleted reports every invitation);
  // OIDC.Changed and the sign-in rules (risk, legacy authentication, device code, brute force) have no query here.
];

describe('Entra queries against Panther rule tests', () => {
  let l: Loaded;
  beforeAll(async () => {
    l = await loadPanther('Azure.Audit', 'entra-diagnostic.jsonl');
  }, 120_000);

  it.each(ENTRA)('%s flags exactly what %s expects', async (query, rules) => {
    await expectExact(l, query, rules);
  });

  it('entra.directory_role_member_added reports every PIM completion, and the direct assignment, not the request', async () => {
    const v = verdicts(l, 'Azure.Audit.RoleChangedPIM');
    const rows = new Map((await run(l.c.dir, 'entra.directory_role_member_added')).map((r) => [lineOf(r), r]));
    expect(v.yes.filter((n) => !rows.has(n))).toEqual([]);
    const requested = l.lines.find((x) => x.rule === 'Azure.Audit.RoleChangedPIM' && /requested/.test(String(x.log['operationName'])))!;
    expect(rows.has(requested.line)).toBe(false);
    expect(rows.get(v.yes[0]!)).toMatchObject({ role_name: 'Application Administrator', member: 'Malenia', admin_role: true, critical_role: false });
  });

  it('entra.conditional_access_changed: mfa_removed is true exactly where Panther sees MFA taken out of a policy', async () => {
    const v = verdicts(l, 'Azure.Audit.MFADisabled');
    const rows = new Map((await run(l.c.dir, 'entra.conditional_access_changed')).map((r) => [lineOf(r), r]));
    for (const n of v.yes) expect(rows.get(n)?.['mfa_removed'], `line ${n}`).toBe(true);
    for (const n of v.no) expect(rows.get(n)?.['mfa_removed'] ?? false, `line ${n}`).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Microsoft 365 unified audit log: Exchange and AzureActiveDirectory records
// ---------------------------------------------------------------------------------------------------------------

describe('Microsoft 365 queries against Panther rule tests', () => {
  let exchange: Loaded;
  let directory: Loaded;
  beforeAll(async () => {
    exchange = await loadPanther('Microsoft365.Audit.Exchange', 'm365-exchange.jsonl');
    directory = await loadPanther('Microsoft365.Audit.AzureActiveDirectory', 'm365-aad.jsonl');
  }, 120_000);

  it('m365.external_mail_forwarding flags exactly what Microsoft365.Exchange.External.Forwarding expects', async () => {
    await expectExact(exchange, 'm365.external_mail_forwarding', ['Microsoft365.Exchange.External.Forwarding']);
  });

  it('entra.password_or_mfa_reset flags exactly what Microsoft365.MFA.Disabled expects', async () => {
    // Not mapped: Microsoft365.Brute.Force.Login.by.User (a threshold over failed logins, not one event).
    await expectExact(directory, 'entra.password_or_mfa_reset', ['Microsoft365.MFA.Disabled']);
    const rows = await run(directory.c.dir, 'entra.password_or_mfa_reset');
    expect(rows.map((r) => [r['source_family'], r['credential_change'], r['target']])).toEqual([['m365', 'MFA methods removed', 'sample.user@yourorg.onmicrosoft.com']]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// OTRF Golden SAML AD FS mail access: the attacker adds a secret to an application and grants it Mail.ReadWrite
// ---------------------------------------------------------------------------------------------------------------

describe('Entra queries on the OTRF Golden SAML capture (Sentinel AuditLogs export)', () => {
  let c: TestCase;
  beforeAll(async () => {
    c = await newCase(PERIOD);
    await c.ingest([path.join(CORPUS, 'otrf-security-datasets/compound/GoldenSAMLADFSMailAccess/AADAuditEvents.Zip')]);
  }, 120_000);

  it('entra.app_credential_added finds the two application secret additions', async () => {
    const rows = await run(c.dir, 'entra.app_credential_added');
    expect(rows.map((r) => [lineOf(r), r['target'], r['object_type'], r['actor_user']])).toEqual([
      [1, 'SimuLandApp', 'Application', 'pgustavo@simulandlabs.com'],
      [2, 'SimuLandApp', 'Application', 'pgustavo@simulandlabs.com'],
    ]);
    expect(String(rows[0]!['credential'])).toMatch(/KeyType=Password.*DisplayName=SimuLandCreds/);
  });

  it('entra.app_consent_granted finds the tenant-wide Mail.ReadWrite grant', async () => {
    const rows = await run(c.dir, 'entra.app_consent_granted');
    expect(rows.map((r) => [lineOf(r), r['activity'], r['target'], r['permissions'], r['admin_consent']])).toEqual([
      [4, 'Add delegated permission grant', 'Microsoft Graph', 'User.Read Mail.ReadWrite', true],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Hand-made fixtures: what no Panther rule tests
// ---------------------------------------------------------------------------------------------------------------

const FIX = path.join(REPO, 'test/fixtures');

describe('Azure, Entra and Microsoft 365 queries on hand-made fixtures', () => {
  let c: TestCase;
  const at = (file: string) => async (id: string, params: Record<string, string | number | boolean> = {}) =>
    (await run(c.dir, id, params)).filter((r) => String(r['event_id']).startsWith(memberKeys.get(file)!));
  const memberKeys = new Map<string, string>();
  beforeAll(async () => {
    c = await newCase(PERIOD);
    await c.ingest([
      path.join(FIX, 'azure-queries/activity-diagnostic.jsonl'),
      path.join(FIX, 'entra-queries/graph-directoryaudits.json'),
      path.join(FIX, 'entra-queries/graph-signins.json'),
      path.join(FIX, 'm365-queries/management-api.jsonl'),
    ]);
    for (const r of await c.rows<{ member_path: string; k: string }>(
      `SELECT member_path, min(split_part(event_id, '-', 1)) AS k FROM events GROUP BY member_path`,
    ))
      memberKeys.set(r.member_path, r.k);
  }, 120_000);

  it('loads every fixture record', async () => {
    expect(await c.one<string>('SELECT count(*)::VARCHAR FROM events')).toBe('52');
    expect(await c.one<string>('SELECT count(*)::VARCHAR FROM rejects')).toBe('0');
  });

  it('azure.nsg_open_to_internet: inbound Allow from any source, in a rule or a whole group, request or response body', async () => {
    const rows = await at('activity-diagnostic.jsonl')('azure.nsg_open_to_internet');
    expect(rows.map((r) => [lineOf(r), r['status'], r['rule_name'], r['source_prefixes'], r['destination_ports']])).toEqual([
      [1, null, 'allow-rdp', '*', '3389'],
      [2, 'success', 'allow-rdp', '*', '3389'],
      [5, 'success', 'allow-ssh', 'Internet', '22'],
      [6, 'success', 'allow-mixed', '["203.0.113.0/24","0.0.0.0/0"]', '1433'],
    ]);
    expect(rows[0]!['correlation_id']).toBe('c0ffee00-0000-4000-8000-000000000001');
  });

  it('azure.role_assignment_changed: scope level, role and change; Start records left out', async () => {
    const rows = await at('activity-diagnostic.jsonl')('azure.role_assignment_changed');
    expect(rows.map((r) => [lineOf(r), r['change'], r['role_name'], r['privileged_role'], r['scope_level']])).toEqual([
      [8, 'role assignment created', 'Owner', true, 'management group'],
      [9, 'role assignment deleted', 'Contributor', true, 'resource group'],
      [10, 'custom role created or changed', null, false, null],
    ]);
    expect(rows[2]!['role_definition_id']).toBe('cccccccc-0000-4000-8000-000000000010');
  });

  it('azure guardrail, vault and logging queries', async () => {
    const q = at('activity-diagnostic.jsonl');
    expect((await q('azure.policy_or_lock_removed')).map((r) => [lineOf(r), r['guardrail'], r['name']])).toEqual([
      [12, 'policy assignment deleted', 'require-tls'],
      [13, 'policy exemption created or changed', 'legacy-app'],
    ]);
    expect((await q('azure.key_vault_deleted_or_access_changed')).map((r) => [lineOf(r), r['vault']])).toEqual([[14, 'prod-kv']]);
    expect((await q('azure.logging_removed')).map(lineOf)).toEqual([15, 16]);
    expect(await q('azure.elevate_access')).toEqual([]);
  });

  it('entra.directory_role_member_added: PIM activation and eligible assignment, not the request', async () => {
    const rows = await at('graph-directoryaudits.json')('entra.directory_role_member_added');
    expect(rows.map((r) => [lineOf(r), r['role_name'], r['member'], r['critical_role']])).toEqual([
      [1, 'Global Administrator', 'carol@contoso.example', true],
      [2, 'Privileged Role Administrator', 'dave@contoso.example', true],
    ]);
  });

  it('entra.password_or_mfa_reset: password reset, security info, per-user MFA removed; other user updates left out', async () => {
    const rows = await at('graph-directoryaudits.json')('entra.password_or_mfa_reset');
    expect(rows.map((r) => [lineOf(r), r['credential_change'], r['target'], r['self_service']])).toEqual([
      [4, 'password reset or changed', 'erin@contoso.example', false],
      [5, 'security info deleted', 'erin@contoso.example', false],
      [6, 'security info registered', 'frank@contoso.example', false],
      [7, 'per-user MFA requirement removed', 'grace@contoso.example', false],
    ]);
  });

  it('entra lifecycle, consent, Conditional Access, federation and credential queries', async () => {
    const q = at('graph-directoryaudits.json');
    expect((await q('entra.user_created_or_deleted')).map((r) => [lineOf(r), r['change'], r['target']])).toEqual([
      [9, 'created', 'henry@contoso.example'],
      [10, 'permanently deleted', 'ivan@contoso.example'],
    ]);
    expect((await q('entra.app_consent_granted')).map((r) => [lineOf(r), r['target'], r['admin_consent']])).toEqual([
      [12, 'Mail Archiver', true],
      [13, 'Microsoft Graph', true],
    ]);
    expect((await q('entra.app_consent_granted'))[1]!['permissions']).toBe('Mail.ReadWrite');
    expect((await q('entra.conditional_access_changed')).map((r) => [lineOf(r), r['target'], r['policy_state'], r['mfa_removed']])).toEqual([
      [14, 'Block legacy auth', 'enabledForReportingButNotEnforced', false],
      [15, 'Head office', null, false],
    ]);
    expect((await q('entra.federation_changed')).map((r) => [lineOf(r), r['target'], r['live_type']])).toEqual([[16, 'contoso.example', 'Federated']]);
    expect(await q('entra.app_credential_added')).toEqual([]); // the only credential addition failed
  });

  it('entra.admin_account_signins: break-glass and admin accounts by default, any pattern on request', async () => {
    const q = at('graph-signins.json');
    const rows = await q('entra.admin_account_signins');
    expect(rows.map((r) => [lineOf(r), r['actor_user'], r['status'], r['error_code'], r['auth_requirement'], r['country']])).toEqual([
      [1, 'breakglass01@contoso.example', 'success', null, 'singleFactorAuthentication', 'NL'],
      [2, 'admin@contoso.example', 'failure', '50126', 'singleFactorAuthentication', 'NL'],
      [3, 'jane.admin@contoso.example', 'success', null, 'multiFactorAuthentication', 'NL'],
    ]);
    expect((await q('entra.admin_account_signins', { admin_accounts: '^alice@' })).map(lineOf)).toEqual([4]);
  });

  it('m365 audit, eDiscovery, permission and forwarding queries', async () => {
    const q = at('management-api.jsonl');
    expect((await q('m365.audit_logging_disabled')).map((r) => [lineOf(r), r['change']])).toEqual([
      [1, 'unified audit log ingestion turned off'],
      [3, 'mailbox audit bypass granted'],
      [4, 'mailbox auditing turned off'],
      [12, 'mailbox auditing turned off for the organisation'],
    ]);
    expect((await q('m365.ediscovery_search_or_export')).map((r) => [lineOf(r), r['action'], r['search_name']])).toEqual([
      [6, 'created or changed', 'case-42'],
      [7, 'export', 'case-42'],
      [8, 'export', 'case-42_Export'],
    ]);
    expect((await q('m365.exchange_permission_changed')).map((r) => [lineOf(r), r['object'], r['grantee']])).toEqual([
      [9, 'Organization Management', 'mallory@contoso.example'],
    ]);
    expect((await q('m365.external_mail_forwarding')).map((r) => [lineOf(r), r['external_recipients']])).toEqual([[11, 'partner@fabrikam.example']]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Every export shape: the format fixtures of the families (Graph, diagnostic, Log Analytics, CSV, Search-UnifiedAuditLog)
// ---------------------------------------------------------------------------------------------------------------

describe('Entra and Microsoft 365 queries read every export shape', () => {
  let c: TestCase;
  beforeAll(async () => {
    c = await newCase(PERIOD);
    const files = [
      'entra/graph-directoryaudits.json', 'entra/audit-portal.csv',
      'm365/management-api-content.json', 'm365/search-unifiedauditlog.json', 'm365/graph-auditlogrecords.json',
      'm365/purview-audit-export.csv', 'm365/purview-audit-classic.csv', 'm365/search-unifiedauditlog-ps51.csv',
    ];
    await c.ingest(files.map((f) => path.join(FIX, f)));
  }, 120_000);

  /** [file, record, …columns] of a query's rows, sorted by file and record. */
  async function where(id: string, cols: string[]): Promise<unknown[][]> {
    const rows = await run(c.dir, id);
    const files = new Map(
      (await c.rows<{ event_id: string; member_path: string }>('SELECT event_id, member_path FROM events')).map((f) => [f.event_id, f.member_path]),
    );
    return rows
      .map((r) => [files.get(String(r['event_id'])), lineOf(r), ...cols.map((k) => r[k])])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));
  }

  it('entra.directory_role_member_added finds the Global Administrator grant in Entra and unified audit log shapes', async () => {
    // the portal CSV download carries no modified properties: the role is not named there
    expect(await where('entra.directory_role_member_added', ['source_family', 'role_name', 'member'])).toEqual([
      ['audit-portal.csv', 1, 'entra', null, 'mallory@contoso.example'],
      ['graph-auditlogrecords.json', 2, 'm365', 'Global Administrator', 'mallory@contoso.example'],
      ['graph-directoryaudits.json', 1, 'entra', 'Global Administrator', 'mallory@contoso.example'],
      ['purview-audit-export.csv', 4, 'm365', 'Global Administrator', 'mallory@contoso.example'],
      ['search-unifiedauditlog-ps51.csv', 4, 'm365', 'Global Administrator', 'mallory@contoso.example'],
      ['search-unifiedauditlog.json', 2, 'm365', 'Global Administrator', 'mallory@contoso.example'],
    ]);
  });

  it('m365.exchange_permission_changed finds the FullAccess grant in every unified audit log shape', async () => {
    const rows = await where('m365.exchange_permission_changed', ['object', 'grantee', 'rights', 'full_access']);
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['graph-auditlogrecords.json', 1],
      ['purview-audit-classic.csv', 3],
      ['purview-audit-export.csv', 3],
      ['search-unifiedauditlog-ps51.csv', 3],
      ['search-unifiedauditlog.json', 1],
    ]);
    for (const r of rows) expect(r.slice(2, 4).concat(r[5]), String(r[0])).toEqual(['ceo@contoso.example', 'mallory@contoso.example', true]);
  });
});
