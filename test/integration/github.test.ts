/**
 * GitHub audit log (family `github`, formats `github_audit` and `github_audit_csv`): Panther's GitHub.Audit rule-test
 * events reshaped with jq into the exports a customer has (JSON Lines as streamed, a JSON array as the UI/API give
 * it, the UI's CSV, a Splunk HEC wrapper), synthetic CSV and REST API fixtures (test/fixtures/github), and Panther's
 * GitHub.Webhook events, which are not the audit log and must not be read as it. Expected counts, reject reasons and
 * field values are derived by python3 from the records, not by the parser under test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, REPO, newCase, sh, tmpDir, shellQuote as q } from '../support/tmp-case.js';
import { sniffFormat } from '../../electron/engine/formats/registry.js';

const PANTHER = path.join(CORPUS, 'panther-analysis-tests/by_log_type');
const FIX = path.join(REPO, 'test/fixtures/github');

/**
 * The oracle, written from GitHub's audit-log documentation in python: an entry needs an action; its time is
 * `@timestamp` (Panther's data lake calls it at_sign_timestamp), else `created_at`: epoch milliseconds (other units by
 * digit count), or ISO text (no offset: the case time zone, UTC in these tests). Reads JSON Lines, or CSV with `csv`.
 */
const ORACLE = String.raw`
import csv, json, re, sys, calendar
TIME = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})?$')
def epoch_us(v):
    if re.fullmatch(r'\d{9,19}', v):
        n = len(v)
        return int(v) * 1000000 if n <= 10 else int(v) * 1000 if n <= 13 else int(v) if n <= 16 else int(v) // 1000
    m = TIME.match(v)
    if not m: return None
    y, mo, d, h, mi, s, frac, tz = m.groups()
    secs = calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(s)))
    if tz and tz not in ('Z', 'z'):
        sign = -1 if tz[0] == '-' else 1
        t = tz[1:].replace(':', '')
        secs -= sign * (int(t[:2]) * 3600 + int(t[2:4]) * 60)
    return secs * 1000000 + int(((frac or '') + '000000')[:6])
def first(*vs):
    return next((v for v in vs if v is not None), None)
def text(v):
    return None if v is None else v if isinstance(v, str) else json.dumps(v)
if sys.argv[2] == 'csv':
    rows = [{k: (v if v != '' else None) for k, v in r.items()} for r in csv.DictReader(open(sys.argv[1], newline=''))]
else:
    rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
out = []
for r in rows:
    a = r.get('action')
    tv = text(first(r.get('@timestamp'), r.get('at_sign_timestamp'), r.get('created_at')))
    if not isinstance(a, str): e = {'reason': 'not a GitHub audit log event: action missing'}
    elif tv is None: e = {'reason': 'unparseable or missing timestamp: no time value'}
    elif epoch_us(tv) is None: e = {'reason': 'unparseable or missing timestamp: "%s"' % tv}
    else:
        e = {'us': str(epoch_us(tv)), 'time_raw': tv, 'activity': a, 'service': a.split('.')[0] or None, 'actor_user': text(r.get('actor')),
             'actor_id': text(r.get('actor_id')), 'src_ip': text(r.get('actor_ip')), 'user_agent': text(r.get('user_agent')),
             'cloud_account': text(first(r.get('org'), r.get('business'))), 'record_id': text(r.get('_document_id'))}
    out.append(e)
print(json.dumps(out))
`;

type Expected = Record<string, string | null | undefined> & { reason?: string };
const COLS = ['time_raw', 'activity', 'service', 'actor_user', 'actor_id', 'src_ip', 'user_agent', 'cloud_account', 'record_id'];

let work: string;
let jsonl: string;
let expected: Expected[];

function oracle(file: string, kind: 'json' | 'csv'): Expected[] {
  return JSON.parse(sh(`python3 ${q(path.join(work, 'oracle.py'))} ${q(file)} ${kind}`)) as Expected[];
}

beforeAll(() => {
  work = tmpDir();
  jsonl = path.join(work, 'github-audit.jsonl');
  sh(`jq -c '.log' ${q(path.join(PANTHER, 'GitHub.Audit.jsonl'))} > ${q(jsonl)}`);
  fs.writeFileSync(path.join(work, 'oracle.py'), ORACLE);
  expected = oracle(jsonl, 'json');
});

async function checkAgainstOracle(file: string, format: string, exp: Expected[] = expected): Promise<void> {
  const c = await newCase();
  const r = await c.ingest([file]);
  const m = r.archives[0]!.members[0]!;
  const good = exp.filter((e) => !e.reason);
  expect(m.format).toBe(format);
  expect(m).toMatchObject({ records: exp.length, loaded: good.length, rejected: exp.length - good.length });
  const rejects = await c.rows<{ record_index: string; reason: string }>(`SELECT record_index, reason FROM rejects ORDER BY record_index`);
  expect(rejects.map((x) => [Number(x.record_index), x.reason])).toEqual(exp.flatMap((e, i) => (e.reason ? [[i + 1, e.reason]] : [])));
  const ev = await c.rows<Record<string, string | null>>(`SELECT record_index, epoch_us(time)::VARCHAR AS us, ${COLS.join(', ')} FROM events ORDER BY record_index`);
  expect(ev).toHaveLength(good.length);
  for (const row of ev) {
    const e = exp[Number(row['record_index']) - 1]!;
    const where = `record ${row['record_index']}`;
    expect(row['us'], where).toBe(e['us']);
    for (const k of COLS) expect(row[k], `${where} ${k}`).toBe(e[k] ?? null);
  }
}

describe('Panther GitHub.Audit events', () => {
  it('the oracle sees the corpus README count (107 events) and 72 usable ones', () => {
    expect(expected).toHaveLength(107);
    expect(expected.filter((e) => !e.reason)).toHaveLength(72);
    const reasons = new Map<string, number>();
    for (const e of expected) if (e.reason) reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1);
    expect(Object.fromEntries(reasons)).toEqual({
      'unparseable or missing timestamp: no time value': 31,
      'unparseable or missing timestamp: "2024-12-17 00:00:00000000"': 4,
    });
  });

  it('loads as JSON Lines (audit-log streaming, Git events export): every event loaded or rejected with its reason', async () => {
    await checkAgainstOracle(jsonl, 'github_audit');
  });

  it('loads the same events as a JSON array (web UI JSON export, REST API page)', async () => {
    const arr = path.join(work, 'export.json');
    sh(`jq -s '.' ${q(jsonl)} > ${q(arr)}`);
    await checkAgainstOracle(arr, 'github_audit');
  });

  it('unwraps events a Splunk HEC forwarder put in "event"', async () => {
    const hec = path.join(work, 'hec.jsonl');
    sh(`jq -c '{time: 0, sourcetype: "github:enterprise:audit", event: .}' ${q(jsonl)} > ${q(hec)}`);
    await checkAgainstOracle(hec, 'github_audit');
  });

  it('loads the same events as the web UI CSV export (columns by key, nested keys dotted)', async () => {
    const file = path.join(work, 'export.csv');
    const cols = ['@timestamp', '_document_id', 'action', 'actor', 'actor_id', 'actor_ip', 'actor_location.country_code', 'business', 'created_at', 'org', 'repo', 'user', 'user_agent'];
    sh(
      `(echo ${q(cols.join(','))}; jq -r '[(."@timestamp" // .at_sign_timestamp), ._document_id, .action, .actor, .actor_id, .actor_ip, .actor_location.country_code?, .business, .created_at, .org, (.repo // .repository), .user, .user_agent] | @csv' ${q(jsonl)}) > ${q(file)}`,
    );
    const exp = oracle(file, 'csv');
    expect(exp).toHaveLength(107);
    expect(exp.filter((e) => !e.reason)).toHaveLength(72);
    await checkAgainstOracle(file, 'github_audit_csv', exp);
  });

  it('classifies and targets events as the Panther rules about them expect', async () => {
    const c = await newCase();
    await c.ingest([jsonl]);
    const rules = sh(`jq -r '.rule_id + " " + (.expected_result|tostring)' ${q(path.join(PANTHER, 'GitHub.Audit.jsonl'))}`).trim().split('\n');
    const ev = await c.rows<{ record_index: string; category: string }>(`SELECT record_index, category FROM events`);
    const cat = new Map(ev.map((e) => [Number(e.record_index), e.category]));
    const iam = ['GitHub.Org.AuthChange', 'Standard.MFADisabled', 'GitHub.Team.Modified', 'GitHub.Org.Modified', 'GitHub.User.RoleUpdated', 'Github.Repo.CollaboratorChange', 'GitHub.User.AccessKeyCreated', 'GitHub.Org.Moderators.Add'];
    const admin = ['GitHub.Branch.ProtectionDisabled', 'GitHub.Branch.PolicyOverride', 'GitHub.Org.IpAllowlist', 'GitHub.Advanced.Security.Change', 'Github.Repo.Created', 'Github.Repo.Archived',
      'Github.Repo.VisibilityChange', 'Github.Repository.Transfer', 'GitHub.Workflow.PermissionsModified', 'Github.Organization.App.Integration.Installed'];
    const want: Record<string, string> = {
      ...Object.fromEntries(iam.map((r) => [r, 'iam'])),
      ...Object.fromEntries(admin.map((r) => [r, 'admin'])),
      'GitHub.Repo.InitialAccess': 'code_change',
      'GitHub.Workflow.DispatchByGitHubBot': 'automation',
    };
    let checked = 0;
    rules.forEach((line, i) => {
      const [rule, verdict] = line.split(' ');
      if (verdict !== 'true' || !want[rule!] || !cat.has(i + 1)) return;
      expect(cat.get(i + 1), `${rule} line ${i + 1}`).toBe(want[rule!]);
      checked++;
    });
    // 41 = the expected-true events of these rules with a readable time (counted apart with python3).
    expect(checked).toBe(41);
    // Membership changes name the member, repository actions the repository.
    const add = JSON.parse(sh(`jq -c 'select(.action == "org.add_member") | {user, repo}' ${q(jsonl)} | head -n 1`)) as { user: string };
    expect(await c.rows(`SELECT target FROM events WHERE activity = 'org.add_member'`)).toEqual([{ target: add.user }]);
    const created = sh(`jq -r 'select(.action == "repo.create" and .created_at != null) | .repo' ${q(jsonl)}`).trim().split('\n');
    const got = await c.rows<{ target: string }>(`SELECT target FROM events WHERE activity = 'repo.create' ORDER BY record_index`);
    expect(got.map((g) => g.target)).toEqual(created);
  });

  it('is not claimed for other Panther log types; GitHub webhooks are not the audit log', async () => {
    for (const f of fs.readdirSync(PANTHER)) {
      const text = sh(`jq -c '.log' ${q(path.join(PANTHER, f))} | head -c 65536`);
      const hit = sniffFormat({ path: f, head: Buffer.from(text), text, complete: false });
      if (f === 'GitHub.Audit.jsonl') expect(hit?.format.name, f).toBe('github_audit');
      else expect(hit?.format.family, f).not.toBe('github');
    }
    // Webhook payloads: `action` is a bare verb ("opened", "created") and the actor is a `sender` object.
    const shapes = sh(`jq -r '.log | [(.action | tostring | test("^[a-z_]+\\\\.")), has("sender")] | @csv' ${q(path.join(PANTHER, 'GitHub.Webhook.jsonl'))} | sort | uniq -c`);
    expect(shapes).not.toMatch(/true,/);
  });
});

describe('synthetic GitHub exports (test/fixtures/github)', () => {
  it('reads the web UI CSV export with the documented keys (created_at in epoch ms, data.* columns)', async () => {
    const file = path.join(FIX, 'audit-log-export.csv');
    const exp = oracle(file, 'csv');
    expect(exp).toHaveLength(9);
    await checkAgainstOracle(file, 'github_audit_csv', exp);
    const c = await newCase();
    await c.ingest([file]);
    expect(await c.rows(`SELECT record_index, reason FROM rejects ORDER BY record_index`)).toEqual([
      { record_index: '8', reason: 'unparseable or missing timestamp: no time value' },
      { record_index: '9', reason: 'not a GitHub audit log event: action missing' },
    ]);
    expect(await c.rows(`SELECT activity, category, target, fields['actor_location.country_code'] AS cc, fields['data.hook_id'] AS hook, fields['data.events'] AS events FROM events ORDER BY record_index`)).toEqual([
      { activity: 'team.create', category: 'iam', target: 'octo-org/engineering', cc: 'US', hook: '', events: '' },
      { activity: 'hook.create', category: 'admin', target: 'octo-org/documentation', cc: 'US', hook: '245', events: '["issues","issue_comment","pull_request"]' },
      { activity: 'hook.events_changed', category: 'admin', target: 'octo-org/documentation', cc: 'US', hook: '245', events: '["issues","pull_request"]' },
      { activity: 'org.invite_member', category: 'iam', target: 'codertocat', cc: 'US', hook: '', events: '' },
      { activity: 'org.add_member', category: 'iam', target: 'codertocat', cc: 'DE', hook: '', events: '' },
      { activity: 'repo.rename', category: 'admin', target: 'octo-org/docs-site', cc: 'GB', hook: '', events: '' },
      { activity: 'org.audit_log_export', category: 'audit_logging', target: null, cc: 'US', hook: '', events: '' },
    ]);
  });

  it('loads a CSV whose header repeats a column name, keeping both values in fields', async () => {
    // A hand-merged export can carry a column twice; fields keeps both ("note", "note (2)"), as for every CSV format.
    const file = path.join(work, 'repeated-column.csv');
    fs.writeFileSync(file, 'action,actor,created_at,note,org,note\nrepo.create,octocat,1709625600123,first,octo-org,second\n');
    const c = await newCase();
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'github_audit_csv', records: 1, loaded: 1, rejected: 0, status: 'loaded' });
    expect(await c.rows(`SELECT activity, actor_user, cloud_account, fields['note'] AS a, fields['note (2)'] AS b FROM events`)).toEqual([
      { activity: 'repo.create', actor_user: 'octocat', cloud_account: 'octo-org', a: 'first', b: 'second' },
    ]);
  });

  it('reads a REST API page (@timestamp, _document_id, actor_ip, token fields)', async () => {
    const file = path.join(FIX, 'audit-log-api.json');
    const c = await newCase({ timezone: 'Europe/Berlin' });
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'github_audit', records: 4, loaded: 4, rejected: 0 });
    expect(await c.rows(`SELECT strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS t, time_inferred, activity, service, category, actor_user, actor_id, actor_type, src_ip, cloud_account, target, record_id, fields['country_code'] AS cc, fields['token_id'] AS token FROM events ORDER BY record_index`)).toEqual([
      { t: '2024-03-06T08:00:00.512000Z', time_inferred: null, activity: 'team.add_member', service: 'team', category: 'iam', actor_user: 'octocat', actor_id: '583231', actor_type: null, src_ip: '198.51.100.44', cloud_account: 'octo-org', target: 'mallory-dev', record_id: 'Xj2kQ8dPq1mN4rT6vW9yZa', cc: 'US', token: null },
      { t: '2024-03-06T08:05:05.077000Z', time_inferred: null, activity: 'git.clone', service: 'git', category: 'data_access', actor_user: 'mallory-dev', actor_id: '7700123', actor_type: null, src_ip: '203.0.113.200', cloud_account: 'octo-org', target: 'octo-org/payments-service', record_id: 'Ab3cD4eF5gH6iJ7kL8mN9o', cc: 'NL', token: '184467' },
      { t: '2024-03-06T08:06:51.900000Z', time_inferred: null, activity: 'protected_branch.policy_override', service: 'protected_branch', category: 'admin', actor_user: 'dependabot[bot]', actor_id: '49699333', actor_type: 'bot', src_ip: null, cloud_account: 'octo-org', target: 'octo-org/payments-service', record_id: 'Pq1Rs2Tu3Vw4Xy5Za6Bc7d', cc: null, token: null },
      // Enterprise-level event: no org, so the enterprise slug is the account.
      { t: '2024-03-06T08:10:00.000000Z', time_inferred: null, activity: 'audit_log_streaming.destroy', service: 'audit_log_streaming', category: 'audit_logging', actor_user: 'enterprise-owner', actor_id: '1200456', actor_type: null, src_ip: '198.51.100.45', cloud_account: 'octo-enterprise', target: null, record_id: 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3s', cc: null, token: null },
    ]);
  });

  it('rejects damaged lines, non-objects, entries without action and wrappers without an event, each with its reason', async () => {
    const events = (JSON.parse(fs.readFileSync(path.join(FIX, 'audit-log-api.json'), 'utf8')) as unknown[]).map((e) => JSON.stringify(e));
    const file = path.join(work, 'damaged.jsonl');
    fs.writeFileSync(file, [...events, events[0]!.slice(0, 60), '42', '{"actor":"octocat","@timestamp":1709712000512,"org":"octo-org"}'].join('\n') + '\n');
    // A shipper that put each event into "message" as a JSON string.
    const msg = path.join(work, 'damaged-message.jsonl');
    fs.writeFileSync(msg, [...events.map((e) => JSON.stringify({ host: 'fwd', message: e })), JSON.stringify({ host: 'fwd', message: 'audit log export started' })].join('\n') + '\n');
    const c = await newCase();
    const r = await c.ingest([file, msg]);
    expect(r.archives.map((a) => [a.members[0]!.format, a.members[0]!.records, a.members[0]!.loaded])).toEqual([
      ['github_audit', 7, 4],
      ['github_audit', 5, 4],
    ]);
    expect(r.archives[1]!.members[0]!.reason).toMatch(/inside "message"/);
    expect(await c.rows(`SELECT member_path, record_index, reason FROM rejects ORDER BY member_path, record_index`)).toEqual([
      { member_path: 'damaged-message.jsonl', record_index: '5', reason: 'no GitHub audit event inside the record (expected it in "message")' },
      { member_path: 'damaged.jsonl', record_index: '5', reason: 'invalid JSON' },
      { member_path: 'damaged.jsonl', record_index: '6', reason: 'not a JSON object' },
      { member_path: 'damaged.jsonl', record_index: '7', reason: 'not a GitHub audit log event: action missing' },
    ]);
  });

  it('reads an ISO time without offset in the case time zone and says so (GitHub documents epoch ms only)', async () => {
    const file = path.join(work, 'naive.jsonl');
    fs.writeFileSync(file, sh(`jq -c '.[0] | del(."@timestamp") | .created_at = "2024-03-06 09:00:00.512"' ${q(path.join(FIX, 'audit-log-api.json'))}`));
    const c = await newCase({ timezone: 'Europe/Berlin' });
    await c.ingest([file]);
    expect(await c.rows(`SELECT strftime(time, '%Y-%m-%d %H:%M:%S.%f') AS t, time_inferred FROM events`)).toEqual([
      { t: '2024-03-06 08:00:00.512000', time_inferred: 'no UTC offset: read as local time in Europe/Berlin' },
    ]);
  });
});
