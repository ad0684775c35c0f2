/**
 * Canned GCP, Okta and GitHub privileged-activity queries, checked two ways per family:
 * - against Panther's rule test events (../shared/corpus/panther-analysis-tests): every query whose intent matches a
 *   Panther rule (or the union of several) flags exactly the events those rules expect true and none they expect
 *   false. Rules that are narrower, wider or otherwise different are not mapped; the reason is written beside them.
 * - against small hand-made fixtures (test/fixtures/<family>-queries, README there), for the queries no Panther rule
 *   covers and for the shapes Panther's tests lack (wrappers, BigQuery rows, CSV exports): every query of the family
 *   is run and must flag exactly the listed records (by record id), in order.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../electron/engine/api.js';
import { compareWithRules, pantherLines, writeJsonl, type PantherLine } from '../support/panther.js';
import { newCase, REPO, type TestCase } from '../support/tmp-case.js';

const PERIOD = { periodStart: '2010-01-01', periodEnd: '2030-12-31' };
const api = createApi();
const fixture = (family: string, file: string) => path.join(REPO, 'test/fixtures', family, file);

/** Loads a Panther log type's test events into a fresh case; returns the case and the line numbers that loaded. */
async function pantherCase(logType: string, name: string): Promise<{ c: TestCase; lines: PantherLine[]; loaded: Set<number> }> {
  const lines = pantherLines(logType);
  const c = await newCase(PERIOD);
  await c.ingest([writeJsonl(lines, name)]);
  const loaded = new Set<number>();
  for (const r of await c.rows<{ record_index: string }>('SELECT record_index::VARCHAR AS record_index FROM events')) loaded.add(Number(r.record_index));
  return { c, lines, loaded };
}

/** Runs a query and returns the record id (insertId / uuid / _document_id) of each row's event, in the query's order. */
async function flagged(c: TestCase, query: string, params: Record<string, string | number | boolean> = {}): Promise<string[]> {
  const r = await api.invoke('query.run', { dir: c.dir, id: query, params });
  const idx = r.columns.indexOf('event_id');
  const ids = r.rows.map((row) => String(row[idx]));
  if (ids.length === 0) return [];
  const rec = new Map(
    (await c.rows<{ event_id: string; record_id: string }>(`SELECT event_id, record_id FROM events WHERE event_id IN (${ids.map((i) => `'${i}'`).join(', ')})`)).map((x) => [
      x.event_id,
      x.record_id,
    ]),
  );
  return ids.map((i) => rec.get(i) ?? `?${i}`);
}

/** Runs a query and returns its rows as objects. */
async function rowsOf(c: TestCase, query: string, params: Record<string, string | number | boolean> = {}): Promise<Array<Record<string, unknown>>> {
  const r = await api.invoke('query.run', { dir: c.dir, id: query, params });
  return r.rows.map((row) => Object.fromEntries(r.columns.map((k, i) => [k, row[i]])));
}

async function expectOracle(p: { c: TestCase; lines: PantherLine[]; loaded: Set<number> }, query: string, rules: string[], rejectReason: RegExp) {
  const o = await compareWithRules(p.c.dir, query, rules, p.lines, p.loaded);
  expect(o.positives + o.negatives, 'the rules have judged events').toBeGreaterThan(0);
  expect({ missed: o.missed, falsePositives: o.falsePositives }).toEqual({ missed: [], falsePositives: [] });
  // Test events a rule judges but that cannot be loaded are rejected (with the reason stored), never judged.
  for (const line of o.notLoaded) {
    const reason = await p.c.one<string>(`SELECT reason FROM rejects WHERE record_index = ${line}`);
    expect(reason).toMatch(rejectReason);
  }
}

/** GCP query id → Panther rule ids it implements. */
const GCP_RULES: Array<[string, string[]]> = [
  ['gcp.org_or_folder_iam_policy_changed', ['GCP.IAM.OrgFolderIAMChanges']],
  // gcp.project_iam_policy_changed: no Panther rule reports project-level IAM changes (GCP.IAM.CorporateEmail only judges the member's domain).
  // gcp.privileged_role_granted is wider than GCP.Permissions.Granted.to.Create.or.Manage.Service.Account.Key (two SA roles) and GCP.Project.ExternalUserOwnershipInvite (outside domains only).
  ['gcp.service_account_key_created', ['GCP.iam.serviceAccountKeys.create']],
  // GCP.Service.Account.or.Keys.Created is service-account *and* key creation by human principals: a different population.
  [
    'gcp.service_account_impersonation',
    ['GCP.IAM.serviceAccounts.getAccessToken.Privilege.Escalation', 'GCP.IAM.serviceAccounts.signBlob', 'GCP.IAM.serviceAccounts.signJwt.Privilege.Escalation'],
  ],
  ['gcp.logging_sink_or_bucket_deleted', ['GCP.Log.Bucket.Or.Sink.Deleted']],
  ['gcp.logging_config_updated', ['GCP.Logging.Sink.Modified', 'GCP.Logging.Settings.Modified']],
  // gcp.audit_config_or_exclusion_changed, gcp.firewall_open_to_world, gcp.org_policy_changed: no Panther rule (fixtures below).
  ['gcp.kms_key_disabled_or_destroyed', ['GCP.KMS.EraseKey']],
  ['gcp.firewall_rule_changed', ['GCP.Firewall.Rule.Created', 'GCP.Firewall.Rule.Modified', 'GCP.Firewall.Rule.Deleted']],
  ['gcp.vpc_flow_logs_disabled', ['GCP.VPC.Flow.Logs.Disabled']],
  // GCP.iam.roles.update.Privilege.Escalation (permission iam.roles.update on any call) is not mapped: both its test events lack a timestamp.
  ['gcp.custom_role_changed', ['GCP.IAM.CustomRoleChanges']],
  // GCP.Privileged.Operation mixes IAM policy changes with token, HMAC and API-key methods; no single query has that scope.
];

/** Every GCP query → the fixture records (insertId) it must flag, in order. */
const GCP_FIXTURES: Array<[string, string[]]> = [
  ['gcp.org_or_folder_iam_policy_changed', ['q-folder-editor-granted']],
  ['gcp.project_iam_policy_changed', ['q-proj-owner-granted', 'q-proj-viewer-granted', 'q-audit-config-removed', 'q-audit-config-added', 'q-bq-proj-iamadmin-granted']],
  ['gcp.privileged_role_granted', ['q-proj-owner-granted', 'q-bucket-admin-granted', 'q-sa-token-creator-granted', 'q-folder-editor-granted', 'q-bq-proj-iamadmin-granted']],
  ['gcp.service_account_key_created', []],
  ['gcp.service_account_impersonation', []],
  ['gcp.logging_sink_or_bucket_deleted', []],
  ['gcp.logging_config_updated', ['q-sink-filter-updated']],
  ['gcp.audit_config_or_exclusion_changed', ['q-audit-config-removed', 'q-audit-config-added', 'q-exclusion-created']],
  ['gcp.kms_key_disabled_or_destroyed', []],
  ['gcp.firewall_rule_changed', ['q-fw-ssh-open', 'q-fw-internal', 'q-fw-deny-any', 'q-fw-open-disabled', 'q-fw-policy-rule-open', 'q-bq-fw-opened']],
  ['gcp.firewall_open_to_world', ['q-fw-ssh-open', 'q-fw-policy-rule-open', 'q-bq-fw-opened']],
  ['gcp.vpc_flow_logs_disabled', []],
  ['gcp.custom_role_changed', []],
  ['gcp.org_policy_changed', ['q-orgpolicy-sa-keys-allowed', 'q-orgpolicy-v1-set']],
];

describe('GCP privileged-activity queries', () => {
  let p: Awaited<ReturnType<typeof pantherCase>>;
  let f: TestCase;
  beforeAll(async () => {
    p = await pantherCase('GCP.AuditLog', 'gcp.jsonl');
    f = await newCase(PERIOD);
    await f.ingest([fixture('gcp-queries', 'logentries.jsonl'), fixture('gcp-queries', 'pubsub-pull.json'), fixture('gcp-queries', 'bigquery-rows.json')]);
  }, 120_000);

  it.each(GCP_RULES)('%s flags exactly what %s expects', async (query, rules) => {
    await expectOracle(p, query, rules, /timestamp|protoPayload/);
  });

  it('covers every GCP query in the fixture table', async () => {
    const ids = (await api.invoke('query.list', { family: 'gcp' })).filter((q) => q.pack === 'privileged' && q.families.includes('gcp')).map((q) => q.id);
    expect(GCP_FIXTURES.map(([q]) => q).sort()).toEqual(ids.sort());
  });

  it.each(GCP_FIXTURES)('%s flags exactly the fixture records listed', async (query, expected) => {
    expect(await flagged(f, query)).toEqual(expected);
  });

  it('reads the details from plain, Pub/Sub and BigQuery entries alike', async () => {
    const granted = await rowsOf(f, 'gcp.privileged_role_granted');
    expect(granted.map((r) => r['privileged_bindings_added'])).toEqual([
      'roles/owner user:bob@example.com',
      'roles/storage.admin user:eve@example.net',
      'roles/iam.serviceAccountTokenCreator user:bob@example.com',
      'roles/editor group:contractors@example.net',
      'roles/resourcemanager.projectIamAdmin user:frank@example.com',
    ]);
    const folder = await rowsOf(f, 'gcp.org_or_folder_iam_policy_changed');
    expect(folder[0]).toMatchObject({ level: 'folder', cloud_account: 'folders/456789', bindings_added: 'roles/editor group:contractors@example.net', bindings_removed: null });
    const proj = await rowsOf(f, 'gcp.project_iam_policy_changed');
    expect(proj[0]).toMatchObject({ bindings_removed: 'roles/editor user:dave@example.com' });
    const audit = await rowsOf(f, 'gcp.audit_config_or_exclusion_changed');
    expect(audit.map((r) => [r['change'], r['narrows_logging']])).toEqual([
      ['REMOVE allServices DATA_READ; REMOVE allServices DATA_WRITE', true],
      ['ADD storage.googleapis.com DATA_READ', false],
      ['protoPayload.serviceName="iam.googleapis.com"', true],
    ]);
    const open = await rowsOf(f, 'gcp.firewall_open_to_world');
    expect(open.map((r) => r['source_ranges'])).toEqual(['0.0.0.0/0', '::/0', '0.0.0.0/0']);
    const org = await rowsOf(f, 'gcp.org_policy_changed');
    expect(org.map((r) => r['policy_name'])).toEqual(['organizations/123456789012/policies/iam.disableServiceAccountKeyCreation', 'constraints/compute.vmExternalIpAccess']);
  });

  it('reads the Panther events the mapped rules do not judge the same way (columns)', async () => {
    const kms = await rowsOf(p.c, 'gcp.kms_key_disabled_or_destroyed');
    expect(kms.map((r) => r['new_state'])).toEqual(['DISABLED', 'DESTROY_SCHEDULED']);
    const sink = await rowsOf(p.c, 'gcp.audit_config_or_exclusion_changed');
    expect(sink.every((r) => String(r['change']).startsWith('sink exclusions now: '))).toBe(true);
  });
});

/** Okta query id → Panther rule ids it implements. */
const OKTA_RULES: Array<[string, string[]]> = [
  // Okta.Group.Admin.Role.Assigned is not mapped: its only positive test event has outcome FAILURE; the query reports grants Okta completed.
  ['okta.admin_role_granted', ['Okta.AdminRoleAssigned']],
  // Okta.User.MFA.Factor.Suspend is not mapped: its negative test event is a reset_all, which this query reports on purpose.
  // Standard.MFADisabled is not mapped: it treats a user resetting their own factor as a negative; the query reports every reset.
  ['okta.mfa_factor_reset_or_deactivated', ['Okta.User.MFA.Reset.All', 'Okta.User.MFA.Reset.Single']],
  ['okta.org_mfa_factor_deactivated', ['Okta.Global.MFA.Disabled']],
  ['okta.api_token_created', ['Okta.APIKeyCreated']],
  ['okta.support_access', ['Okta.Support.Access', 'Okta.Support.Reset']],
  ['okta.admin_console_new_device_and_ip', ['Okta.New.Behavior.Accessing.Admin.Console']],
  ['okta.identity_provider_changed', ['Okta.Identity.Provider.Created.Modified']],
  // okta.policy_or_zone_changed, okta.log_stream_or_hook_changed, okta.account_created_unlocked_or_reset: no Panther rule (fixtures below).
  // okta.brute_force_then_success: Standard.BruteForceByUser/ByIP count across events with a mocked cache; their test events carry no sequence.
];

const OKTA_FIXTURES: Array<[string, string[]]> = [
  ['okta.admin_role_granted', ['b3c4d5e6-dadc-11ee-a1b2-4c5d6e7f8a9b', 'okq-eb-super-admin', 'okq-eb-group-admin']],
  ['okta.mfa_factor_reset_or_deactivated', []],
  ['okta.org_mfa_factor_deactivated', []],
  ['okta.policy_or_zone_changed', ['okq-policy-updated', 'okq-rule-deleted', 'okq-zone-deactivated', 'okq-eb-mfa-rule-updated']],
  ['okta.api_token_created', ['okq-token-created']],
  ['okta.support_access', []],
  ['okta.log_stream_or_hook_changed', ['okq-stream-deactivated', 'okq-hook-deleted', 'c1d2e3f4-dadc-11ee-b2c3-5d6e7f8a9b0c']],
  ['okta.account_created_unlocked_or_reset', ['okq-user-created', 'okq-unlock-by-admin', 'okq-admin-password-reset']],
  ['okta.admin_console_new_device_and_ip', []],
  ['okta.brute_force_then_success', ['okq-bob-success']],
  ['okta.identity_provider_changed', []],
];

describe('Okta privileged-activity queries', () => {
  let p: Awaited<ReturnType<typeof pantherCase>>;
  let f: TestCase;
  beforeAll(async () => {
    p = await pantherCase('Okta.SystemLog', 'okta.jsonl');
    f = await newCase(PERIOD);
    await f.ingest([fixture('okta-queries', 'system-log.jsonl'), fixture('okta-queries', 'eventbridge.jsonl'), fixture('okta', 'api-logs-page.json')]);
  }, 120_000);

  it.each(OKTA_RULES)('%s flags exactly what %s expects', async (query, rules) => {
    await expectOracle(p, query, rules, /timestamp|eventType missing/);
  });

  it('covers every Okta query in the fixture table', async () => {
    const ids = (await api.invoke('query.list', { family: 'okta' })).filter((q) => q.pack === 'privileged' && q.families.includes('okta')).map((q) => q.id);
    expect(OKTA_FIXTURES.map(([q]) => q).sort()).toEqual(ids.sort());
  });

  it.each(OKTA_FIXTURES)('%s flags exactly the fixture records listed', async (query, expected) => {
    expect(await flagged(f, query)).toEqual(expected);
  });

  it('reads privileges, policy types and failure counts, also inside EventBridge records', async () => {
    const grants = await rowsOf(f, 'okta.admin_role_granted');
    expect(grants.map((r) => [r['privilege_granted'], r['super_admin']])).toEqual([
      ['Super administrator', true],
      ['Super administrator', true],
      ['Help Desk administrator', false],
    ]);
    const pol = await rowsOf(f, 'okta.policy_or_zone_changed');
    expect(pol.map((r) => r['policy_type'])).toEqual(['OKTA_SIGN_ON', 'OKTA_SIGN_ON', null, 'MFA_ENROLL']);
    const bf = await rowsOf(f, 'okta.brute_force_then_success');
    expect(bf).toHaveLength(1);
    expect(bf[0]).toMatchObject({ actor_user: 'bob@acme.example', failures: 5, failure_sources: '198.51.100.7, 198.51.100.8' });
    // With a lower threshold Dave is reported too: only his three failures inside the 60-minute window count.
    const low = await rowsOf(f, 'okta.brute_force_then_success', { min_failures: 3 });
    expect(low.map((r) => [r['actor_user'], r['failures']])).toEqual([
      ['bob@acme.example', 5],
      ['dave@acme.example', 3],
    ]);
  });

  it('reads the behaviours whichever way Panther wrote them (array, object, JSON string)', async () => {
    const rows = await rowsOf(p.c, 'okta.admin_console_new_device_and_ip');
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r['outcome'] === 'CHALLENGE')).toBe(true);
  });
});

/** GitHub query id → Panther rule ids it implements. */
const GITHUB_RULES: Array<[string, string[]]> = [
  ['github.admin_role_granted', ['GitHub.User.RoleUpdated', 'Standard.AdminRoleAssigned']],
  ['github.org_membership_changed', ['GitHub.Org.Modified']],
  ['github.repo_collaborator_changed', ['Github.Repo.CollaboratorChange']],
  // GitHub.Repo.RulesetModified (any ruleset change, creation included) is wider; its test events have no readable time anyway.
  ['github.branch_protection_weakened', ['GitHub.Branch.ProtectionDisabled', 'GitHub.Branch.PolicyOverride']],
  // GitHub.Org.AuthChange is not mapped: it also reports SAML, 2FA and OAuth restrictions being enabled.
  ['github.auth_requirement_disabled', ['Standard.MFADisabled']],
  // Github.Repo.VisibilityChange (any visibility change) and Github.Repository.Transfer (incoming transfers too) are wider.
  ['github.repo_made_public_or_transferred', ['Github.Public.Repository.Created']],
  ['github.credential_or_app_access_granted', ['GitHub.User.AccessKeyCreated', 'Github.Organization.App.Integration.Installed']],
  // The rule's enterprise SAML/OIDC/2FA actions are reported by github.auth_requirement_disabled; its test events are all code-security ones.
  ['github.security_feature_disabled', ['GitHub.Advanced.Security.Change']],
  ['github.ip_allow_list_changed', ['GitHub.Org.IpAllowlist']],
  // github.audit_log_streaming_changed: no Panther rule (fixtures below).
];

const GITHUB_FIXTURES: Array<[string, string[]]> = [
  ['github.admin_role_granted', ['ghq-enterprise-owner-added', 'ghq-collab-admin', 'ghq-team-repo-admin', 'ghq-hec-owner-invite', 'ghq-csv-collab-promoted']],
  ['github.org_membership_changed', ['ghq-member-added', 'ghq-hec-owner-invite']],
  ['github.repo_collaborator_changed', ['ghq-collab-admin', 'ghq-collab-write', 'ghq-csv-collab-promoted']],
  [
    'github.branch_protection_weakened',
    ['ghq-force-push-allowed', 'Pq1Rs2Tu3Vw4Xy5Za6Bc7d', 'ghq-admins-exempted', 'ghq-reviews-off', 'ghq-ruleset-deleted', 'ghq-ruleset-disabled'],
  ],
  ['github.auth_requirement_disabled', ['ghq-2fa-requirement-off']],
  ['github.repo_made_public_or_transferred', ['ghq-repo-made-public', 'ghq-hec-visibility-public', 'ghq-csv-public-repo']],
  ['github.credential_or_app_access_granted', ['ghq-pat-granted', 'ghq-sso-credential-authorized']],
  ['github.audit_log_streaming_changed', ['Zz9Yy8Xx7Ww6Vv5Uu4Tt3s', 'ghq-stream-paused']],
  ['github.security_feature_disabled', ['ghq-push-protection-bypass']],
  ['github.ip_allow_list_changed', ['ghq-allowlist-entry']],
];

describe('GitHub privileged-activity queries', () => {
  let p: Awaited<ReturnType<typeof pantherCase>>;
  let f: TestCase;
  beforeAll(async () => {
    p = await pantherCase('GitHub.Audit', 'github.jsonl');
    f = await newCase(PERIOD);
    await f.ingest([
      fixture('github-queries', 'audit-log.jsonl'),
      fixture('github-queries', 'audit-log-export.csv'),
      fixture('github-queries', 'splunk-hec.jsonl'),
      fixture('github', 'audit-log-api.json'),
    ]);
  }, 120_000);

  it.each(GITHUB_RULES)('%s flags exactly what %s expects', async (query, rules) => {
    await expectOracle(p, query, rules, /timestamp|action missing/);
  });

  it('covers every GitHub query in the fixture table', async () => {
    const ids = (await api.invoke('query.list', { family: 'github' })).filter((q) => q.pack === 'privileged' && q.families.includes('github')).map((q) => q.id);
    expect(GITHUB_FIXTURES.map(([q]) => q).sort()).toEqual(ids.sort());
  });

  it.each(GITHUB_FIXTURES)('%s flags exactly the fixture records listed', async (query, expected) => {
    expect(await flagged(f, query)).toEqual(expected);
  });

  it('reads permissions, settings and visibility from JSON, CSV and Splunk HEC records', async () => {
    const admins = await rowsOf(f, 'github.admin_role_granted');
    expect(admins.map((r) => r['permission'])).toEqual([null, 'admin', 'admin', 'admin', 'admin']);
    const bp = await rowsOf(f, 'github.branch_protection_weakened');
    expect(bp.map((r) => [r['change'], r['setting'], r['new_value']])).toEqual([
      ['weakened', 'allow_force_pushes_enforcement_level', '2'],
      ['bypassed', null, null],
      ['weakened', 'admin_enforced', 'false'],
      ['weakened', 'pull_request_reviews_enforcement_level', '0'],
      ['removed', null, null],
      ['weakened', 'ruleset_enforcement', 'disabled'],
    ]);
    const pub = await rowsOf(f, 'github.repo_made_public_or_transferred');
    expect(pub.map((r) => [r['visibility'], r['previous_visibility']])).toEqual([
      ['public', 'private'],
      ['public', 'internal'],
      ['public', null],
    ]);
  });
});
