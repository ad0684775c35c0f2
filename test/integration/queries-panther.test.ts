/**
 * Canned queries against Panther's rule test events (../shared/corpus/panther-analysis-tests): for every query that
 * matches a Panther rule's intent, the query flags exactly the events that rule expects true and none it expects
 * false. The mapping (query ↔ rules) is the table below; a rule whose intent is narrower or wider than the query's is
 * not mapped, and the reason is written next to it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compareWithRules, pantherLines, writeJsonl, type PantherLine } from '../support/panther.js';
import { newCase, type TestCase } from '../support/tmp-case.js';

const PERIOD = { periodStart: '2010-01-01', periodEnd: '2030-12-31' };

/** query id → Panther rule ids it implements. */
const CLOUDTRAIL: Array<[string, string[]]> = [
  ['aws.root_console_login', ['AWS.Console.RootLogin']],
  ['aws.root_console_login_failed', ['AWS.Console.RootLoginFailed']],
  ['aws.root_activity', ['AWS.Root.Activity']],
  ['aws.root_access_key_created', ['AWS.CloudTrail.RootAccessKeyCreated']],
  ['aws.iam_user_created', ['AWS.IAM.CreateUser']],
  ['aws.iam_admin_policy_attached', ['AWS.IAM.AttachAdminUserPolicy', 'AWS.IAM.AttachAdminRolePolicy']],
  ['aws.iam_policy_changed', ['AWS.IAM.PolicyModified']],
  ['aws.iam_access_key_for_other_user', ['AWS.IAM.Backdoor.User.Keys']],
  // aws.iam_role_trust_changed (every trust change) is wider than BackdoorRole (trust opened to "*"): see iam_role_trust_open.
  ['aws.iam_role_trust_open', ['AWS.IAM.BackdoorRole']],
  // aws.iam_login_profile_changed (every password change) is wider than these rules (another user's, no reset required).
  ['aws.iam_password_set_for_other_user', ['AWS.User.Login.Profile.Modified', 'AWS.CloudTrail.LoginProfileCreatedOrModified']],
  ['aws.cloudtrail_stopped_or_deleted', ['AWS.CloudTrail.Stopped']],
  ['aws.cloudtrail_mgmt_events_excluded', ['AWS.CloudTrail.EventSelectorsDisabled']],
  ['aws.kms_key_disabled_or_deleted', ['AWS.KMS.CustomerManagedKeyLoss']],
  ['aws.security_group_changed', ['AWS.EC2.SecurityGroupModified']],
  ['aws.network_acl_open_to_world', ['AWS.CloudTrail.NetworkACLPermissiveEntry']],
  ['aws.s3_bucket_policy_changed', ['AWS.S3.BucketPolicyModified']],
  ['aws.s3_public_access_block_removed', ['AWS.S3.DeletePublicAccessBlock']],
  ['aws.leave_organization', ['AWS.CloudTrail.AttemptToLeaveOrg']],
  ['aws.log_sinks_removed', ['AWS.VPCFlow.LogsDeleted', 'AWS.CloudTrail.DNSLogsDeleted', 'AWS.S3.DisableBucketLogging']],
  ['aws.security_services_disabled', ['AWS.ConfigService.DisabledDeleted']],
];

describe('CloudTrail queries against Panther rule tests', () => {
  let c: TestCase;
  let lines: PantherLine[];
  const loaded = new Set<number>();
  beforeAll(async () => {
    lines = pantherLines('AWS.CloudTrail');
    c = await newCase(PERIOD);
    await c.ingest([writeJsonl(lines, 'cloudtrail.jsonl')]);
    for (const r of await c.rows<{ record_index: string }>('SELECT record_index::VARCHAR AS record_index FROM events')) loaded.add(Number(r.record_index));
  }, 120_000);

  it.each(CLOUDTRAIL)('%s flags exactly what %s expects', async (query, rules) => {
    const o = await compareWithRules(c.dir, query, rules, lines, loaded);
    expect(o.positives + o.negatives, 'the rules have judged events').toBeGreaterThan(0);
    expect({ missed: o.missed, falsePositives: o.falsePositives }).toEqual({ missed: [], falsePositives: [] });
    // Test events a rule judges but that cannot be loaded (no readable eventTime) are rejected, never judged.
    for (const line of o.notLoaded) {
      const reason = await c.one<string>(`SELECT reason FROM rejects WHERE record_index = ${line}`);
      expect(reason).toMatch(/timestamp|eventName or eventSource/);
    }
  });
});
