/**
 * Okta System Log (family `okta`, format `okta_system_log`): Panther's Okta.SystemLog rule-test events reshaped with
 * jq into the exports a customer has (JSON Lines, an /api/v1/logs JSON array, Elasticsearch hits), Panther's Okta
 * attack scenarios (YAML, converted by python3), and synthetic API-page and EventBridge fixtures (test/fixtures/okta).
 * Expected counts, reject reasons and field values are derived by python3 from the records, not by the parser.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, REPO, newCase, sh, tmpDir, shellQuote as q } from '../support/tmp-case.js';
import { sniffFormat } from '../../electron/engine/formats/registry.js';

const PANTHER = path.join(CORPUS, 'panther-analysis-tests/by_log_type');
const SCENARIOS = path.join(CORPUS, 'panther-analysis-tests/test_scenarios');
const FIX = path.join(REPO, 'test/fixtures/okta');

/**
 * The oracle, written from Okta's LogEvent documentation in python: an event needs an eventType (a data lake may
 * lower-case top-level keys) and a `published` time (UTC; no offset written means UTC); SUCCESS/ALLOW are successes,
 * FAILURE/DENY failures, anything else unknown; the target is the first target's alternateId unless Okta wrote
 * "unknown" there.
 */
const ORACLE = String.raw`
import json, re, sys, calendar
TIME = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2})?$')
def epoch_us(v):
    m = TIME.match(v)
    if not m: return None
    y, mo, d, h, mi, s, frac, tz = m.groups()
    secs = calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(s)))
    if tz and tz not in ('Z', 'z'):
        sign = -1 if tz[0] == '-' else 1
        t = tz[1:].replace(':', '')
        secs -= sign * (int(t[:2]) * 3600 + int(t[2:4]) * 60)
    return secs * 1000000 + int(((frac or '') + '000000')[:6])
def g(o, *ks):
    for k in ks:
        if isinstance(o, list): o = o[k] if isinstance(k, int) and len(o) > k else None
        else: o = o.get(k) if isinstance(o, dict) else None
    return o
def first(*vs):
    return next((v for v in vs if v is not None), None)
out = []
for line in open(sys.argv[1]):
    if not line.strip(): continue
    r = json.loads(line)
    et = first(r.get('eventType'), r.get('eventtype'))
    p = r.get('published')
    if not isinstance(et, str): e = {'reason': 'not an Okta System Log event: eventType missing'}
    elif p is None: e = {'reason': 'unparseable or missing timestamp: no time value'}
    elif epoch_us(p) is None: e = {'reason': 'unparseable or missing timestamp: "%s"' % p}
    else:
        res = (g(r, 'outcome', 'result') or '').upper()
        alt = g(r, 'target', 0, 'alternateId')
        e = {'us': str(epoch_us(p)), 'activity': et, 'event_code': first(r.get('legacyEventType'), r.get('legacyeventtype')),
             'actor_user': g(r, 'actor', 'alternateId'), 'actor_id': g(r, 'actor', 'id'), 'actor_type': g(r, 'actor', 'type'),
             'src_ip': first(g(r, 'client', 'ipAddress'), g(r, 'request', 'ipChain', 0, 'ip')),
             'user_agent': g(r, 'client', 'userAgent', 'rawUserAgent'), 'record_id': r.get('uuid'),
             'status': 'success' if res in ('SUCCESS', 'ALLOW') else 'failure' if res in ('FAILURE', 'DENY') else None,
             'error_code': None if res in ('SUCCESS', 'ALLOW') else g(r, 'outcome', 'reason'),
             'target': first(alt if alt != 'unknown' else None, g(r, 'target', 0, 'displayName'), g(r, 'target', 0, 'id'))}
    out.append(e)
print(json.dumps(out))
`;

type Expected = Record<string, string | null | undefined> & { reason?: string };

let work: string;
let jsonl: string;
let expected: Expected[];

beforeAll(() => {
  work = tmpDir();
  jsonl = path.join(work, 'okta.jsonl');
  sh(`jq -c '.log' ${q(path.join(PANTHER, 'Okta.SystemLog.jsonl'))} > ${q(jsonl)}`);
  fs.writeFileSync(path.join(work, 'oracle.py'), ORACLE);
  expected = JSON.parse(sh(`python3 ${q(path.join(work, 'oracle.py'))} ${q(jsonl)}`)) as Expected[];
});

const COLS = ['activity', 'event_code', 'actor_user', 'actor_id', 'actor_type', 'src_ip', 'user_agent', 'record_id', 'status', 'error_code', 'target'];

async function checkAgainstOracle(file: string, exp: Expected[] = expected): Promise<void> {
  const c = await newCase();
  const r = await c.ingest([file]);
  const m = r.archives[0]!.members[0]!;
  const good = exp.filter((e) => !e.reason);
  expect(m.format).toBe('okta_system_log');
  expect(m).toMatchObject({ records: exp.length, loaded: good.length, rejected: exp.length - good.length });
  const rejects = await c.rows<{ record_index: string; reason: string }>(`SELECT record_index, reason FROM rejects ORDER BY record_index`);
  expect(rejects.map((x) => [Number(x.record_index), x.reason])).toEqual(exp.flatMap((e, i) => (e.reason ? [[i + 1, e.reason]] : [])));
  const ev = await c.rows<Record<string, string | null>>(`SELECT record_index, epoch_us(time)::VARCHAR AS us, service, ${COLS.join(', ')} FROM events ORDER BY record_index`);
  expect(ev).toHaveLength(good.length);
  for (const row of ev) {
    const e = exp[Number(row['record_index']) - 1]!;
    const where = `record ${row['record_index']}`;
    expect(row['us'], where).toBe(e['us']);
    expect(row['service'], where).toBe('okta');
    for (const k of COLS) expect(row[k], `${where} ${k}`).toBe(e[k] ?? null);
  }
}

describe('Panther Okta.SystemLog events', () => {
  it('the oracle sees the corpus README count (88 events) and 69 usable ones', () => {
    expect(expected).toHaveLength(88);
    expect(expected.filter((e) => !e.reason)).toHaveLength(69);
    const reasons = new Map<string, number>();
    for (const e of expected) if (e.reason) reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1);
    expect(Object.fromEntries(reasons)).toEqual({
      'not an Okta System Log event: eventType missing': 2,
      'unparseable or missing timestamp: no time value': 13,
      'unparseable or missing timestamp: "redacted"': 4,
    });
  });

  it('loads as JSON Lines (camel-case and data-lake lower-case keys mixed): every event loaded or rejected with its reason', async () => {
    await checkAgainstOracle(jsonl);
  });

  it('loads the same events as an /api/v1/logs JSON array', async () => {
    const arr = path.join(work, 'logs.json');
    sh(`jq -s '.' ${q(jsonl)} > ${q(arr)}`);
    await checkAgainstOracle(arr);
  });

  it('unwraps events exported from Elasticsearch (_source)', async () => {
    const es = path.join(work, 'es-hits.jsonl');
    sh(`jq -c '{_index: "okta-logs", _id: (.uuid // "x"), _source: .}' ${q(jsonl)} > ${q(es)}`);
    await checkAgainstOracle(es);
  });

  it('classifies events as the Panther rules about them expect', async () => {
    const c = await newCase();
    await c.ingest([jsonl]);
    const rules = sh(`jq -r '.rule_id + " " + (.expected_result|tostring)' ${q(path.join(PANTHER, 'Okta.SystemLog.jsonl'))}`).trim().split('\n');
    const ev = await c.rows<{ record_index: string; category: string | null; status: string | null }>(`SELECT record_index, category, status FROM events`);
    const got = new Map(ev.map((e) => [Number(e.record_index), e]));
    const want: Record<string, { category: string; status?: string | null }> = {
      'Okta.AdminRoleAssigned': { category: 'iam', status: 'success' },
      'Okta.APIKeyCreated': { category: 'iam', status: 'success' },
      'Okta.User.Account.Locked': { category: 'authentication', status: 'failure' },
      'Okta.Login.Success': { category: 'authentication', status: 'success' },
      'Okta.Rate.Limits': { category: 'security', status: 'failure' },
      'Okta.Global.MFA.Disabled': { category: 'admin', status: null },
      'Okta.New.Behavior.Accessing.Admin.Console': { category: 'authentication', status: null },
    };
    let checked = 0;
    rules.forEach((line, i) => {
      const [rule, verdict] = line.split(' ');
      const w = want[rule!];
      if (verdict !== 'true' || !w || !got.has(i + 1)) return;
      expect(got.get(i + 1)!.category, `${rule} line ${i + 1}`).toBe(w.category);
      if (w.status !== undefined) expect(got.get(i + 1)!.status, `${rule} line ${i + 1}`).toBe(w.status);
      checked++;
    });
    expect(checked).toBe(11);
  });

  it('is not claimed for other Panther log types', () => {
    for (const f of fs.readdirSync(PANTHER)) {
      const text = sh(`jq -c '.log' ${q(path.join(PANTHER, f))} | head -c 65536`);
      const hit = sniffFormat({ path: f, head: Buffer.from(text), text, complete: false });
      if (f === 'Okta.SystemLog.jsonl') expect(hit?.format.name, f).toBe('okta_system_log');
      else expect(hit?.format.name, f).not.toBe('okta_system_log');
    }
  });
});

describe('Panther Okta attack scenarios (test_scenarios/*.yml)', () => {
  const files = [
    'compromised-root-creds/attacker_okta.yml',
    'compromised-root-creds/victim_okta.yml',
    'okta-add-administrator/admin_privs_assigned.yml',
    'okta-add-administrator/brute_force_logins.yml',
    'okta-add-administrator/legit_login.yml',
    'okta-add-administrator/new-user.yml',
  ];

  it('every Okta scenario loads completely, fields as the oracle reads them', async () => {
    // Every scenario whose LogType is Okta.SystemLog, found by python3 (so a new one cannot be missed silently).
    const okta = sh(`cd ${q(SCENARIOS)} && python3 -c "import glob,yaml; print('\\n'.join(f for f in sorted(glob.glob('*/*.yml')) if yaml.safe_load(open(f))['LogType'] == 'Okta.SystemLog'))"`).trim().split('\n');
    expect(okta).toEqual([...files].sort());
    for (const f of files) {
      const out = path.join(work, f.replace('/', '_').replace('.yml', '.jsonl'));
      sh(`python3 -c "import json,sys,yaml; [print(json.dumps(l)) for l in yaml.safe_load(open(sys.argv[1]))['Logs']]" ${q(path.join(SCENARIOS, f))} > ${q(out)}`);
      const exp = JSON.parse(sh(`python3 ${q(path.join(work, 'oracle.py'))} ${q(out)}`)) as Expected[];
      expect(exp.every((e) => !e.reason), f).toBe(true);
      await checkAgainstOracle(out, exp);
    }
  });

  it('tells the story: nine failed logins then a success, a new user and an admin grant; the org from the request origin', async () => {
    const c = await newCase();
    await c.ingest(files.map((f) => path.join(work, f.replace('/', '_').replace('.yml', '.jsonl'))));
    expect(Number(await c.one(`SELECT count(*) FROM events`))).toBe(20);
    const brute = await c.rows<Record<string, string | null>>(
      `SELECT status, error_code, category FROM events WHERE member_path LIKE '%brute_force_logins%' ORDER BY time`,
    );
    expect(brute.map((b) => b['status'])).toEqual([...Array(9).fill('failure'), 'success']);
    expect(new Set(brute.slice(0, 9).map((b) => b['error_code']))).toEqual(new Set(['VERIFICATION_ERROR']));
    expect(new Set(brute.map((b) => b['category']))).toEqual(new Set(['authentication']));
    expect(await c.rows(`SELECT activity, category, actor_user, target, fields['display_message'] AS msg FROM events WHERE member_path LIKE '%admin_privs%' OR member_path LIKE '%new-user%' ORDER BY time`)).toEqual([
      { activity: 'user.account.privilege.grant', category: 'iam', actor_user: 'jack.naglieri@runpanther.io', target: 'thomas12223391@gmail.com', msg: 'Grant user privilege' },
      { activity: 'user.lifecycle.create', category: 'iam', actor_user: 'jack.naglieri@runpanther.io', target: 'thomas12223391@gmail.com', msg: 'Create okta user' },
    ]);
    // victim_okta.yml carries debugData.origin https://acme.okta.com; the attacker's events carry no org URL.
    expect(await c.rows(`SELECT member_path, cloud_account FROM events WHERE member_path LIKE '%root-creds%' ORDER BY time`)).toEqual([
      { member_path: 'compromised-root-creds_attacker_okta.jsonl', cloud_account: null },
      { member_path: 'compromised-root-creds_attacker_okta.jsonl', cloud_account: null },
      { member_path: 'compromised-root-creds_victim_okta.jsonl', cloud_account: 'acme.okta.com' },
    ]);
  });
});

describe('synthetic Okta exports (test/fixtures/okta)', () => {
  it('reads an /api/v1/logs page (pretty-printed array)', async () => {
    const file = path.join(FIX, 'api-logs-page.json');
    expect(Number(sh(`jq length ${q(file)}`).trim())).toBe(5);
    const c = await newCase({ timezone: 'Europe/Berlin' });
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'okta_system_log', records: 5, loaded: 5, rejected: 0 });
    expect(await c.rows(`SELECT strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS t, time_inferred, activity, event_code, category, status, error_code, actor_user, src_ip, cloud_account, target, fields['outcome_result'] AS result FROM events ORDER BY record_index`)).toEqual([
      { t: '2024-03-05T08:00:01.234000Z', time_inferred: null, activity: 'user.session.start', event_code: 'core.user_auth.login_success', category: 'authentication', status: 'success', error_code: null, actor_user: 'alice@acme.example', src_ip: '198.51.100.7', cloud_account: 'acme.okta.com', target: null, result: 'SUCCESS' },
      { t: '2024-03-05T08:03:17.001000Z', time_inferred: null, activity: 'user.authentication.auth_via_mfa', event_code: 'core.user.factor.attempt_fail', category: 'authentication', status: 'failure', error_code: 'INVALID_CREDENTIALS', actor_user: 'bob@acme.example', src_ip: '203.0.113.66', cloud_account: null, target: 'Okta Verify', result: 'FAILURE' },
      // CHALLENGE is neither success nor failure: status stays unknown, the reason is kept.
      { t: '2024-03-05T08:03:16.880000Z', time_inferred: null, activity: 'policy.evaluate_sign_on', event_code: null, category: 'authentication', status: null, error_code: 'Sign-on policy evaluation resulted in CHALLENGE', actor_user: 'bob@acme.example', src_ip: '203.0.113.66', cloud_account: null, target: 'Catch-all Rule', result: 'CHALLENGE' },
      // The admin console host acme-admin.okta.com names the org acme.okta.com.
      { t: '2024-03-05T08:10:42.517000Z', time_inferred: null, activity: 'user.account.privilege.grant', event_code: 'core.user.admin_privilege.granted', category: 'iam', status: 'success', error_code: null, actor_user: 'alice@acme.example', src_ip: '198.51.100.7', cloud_account: 'acme.okta.com', target: 'bob@acme.example', result: 'SUCCESS' },
      { t: '2024-03-05T08:12:09.090000Z', time_inferred: null, activity: 'system.log_stream.lifecycle.deactivate', event_code: null, category: 'audit_logging', status: 'success', error_code: null, actor_user: 'alice@acme.example', src_ip: '198.51.100.7', cloud_account: null, target: 'Splunk Cloud stream', result: 'SUCCESS' },
    ]);
  });

  it('reads Log Streaming events delivered through EventBridge and Firehose (concatenated objects, event in detail)', async () => {
    const file = path.join(FIX, 'eventbridge-firehose.json');
    // python3's raw_decode walks the concatenated objects: 2 events, no newline between them.
    const n = Number(sh(`python3 -c "import json,sys; s=open(sys.argv[1]).read(); d=json.JSONDecoder(); i=0; n=0
while i < len(s):
    o, i = d.raw_decode(s, i); n += 1
print(n)" ${q(file)}`).trim());
    expect(n).toBe(2);
    const c = await newCase();
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'okta_system_log', records: 2, loaded: 2, rejected: 0 });
    expect(r.archives[0]!.members[0]!.reason).toMatch(/inside "detail"/);
    expect(await c.rows(`SELECT activity, status, record_id FROM events ORDER BY record_index`)).toEqual([
      { activity: 'user.session.start', status: 'success', record_id: '6f2c1f0e-dadb-11ee-9b1e-1b2f3c4d5e6f' },
      { activity: 'user.authentication.auth_via_mfa', status: 'failure', record_id: '8a1d2e3f-dadb-11ee-8c2d-3a4b5c6d7e8f' },
    ]);
  });

  it('rejects damaged lines, non-objects, foreign objects and wrappers without an event, each with its reason', async () => {
    const events = (JSON.parse(fs.readFileSync(path.join(FIX, 'api-logs-page.json'), 'utf8')) as unknown[]).map((e) => JSON.stringify(e));
    const file = path.join(work, 'damaged.jsonl');
    fs.writeFileSync(file, [...events, events[0]!.slice(0, 100), '[]', '{"actor":{"alternateId":"x"},"published":"2024-03-05T08:00:00Z"}'].join('\n') + '\n');
    const eb = path.join(work, 'damaged-eventbridge.jsonl');
    fs.writeFileSync(eb, [...events.slice(0, 3).map((e) => `{"detail-type":"SystemLog","detail":${e}}`), '{"detail-type":"SystemLog"}', '{"detail-type":"SystemLog","detail":[1]}'].join('\n') + '\n');
    const c = await newCase();
    const r = await c.ingest([file, eb]);
    expect(r.archives.map((a) => [a.members[0]!.format, a.members[0]!.records, a.members[0]!.loaded])).toEqual([
      ['okta_system_log', 8, 5],
      ['okta_system_log', 5, 3],
    ]);
    expect(await c.rows(`SELECT member_path, record_index, reason FROM rejects ORDER BY member_path, record_index`)).toEqual([
      { member_path: 'damaged-eventbridge.jsonl', record_index: '4', reason: 'no Okta event inside the record (expected it in "detail")' },
      { member_path: 'damaged-eventbridge.jsonl', record_index: '5', reason: 'no Okta event inside the record (expected it in "detail")' },
      { member_path: 'damaged.jsonl', record_index: '6', reason: 'invalid JSON' },
      { member_path: 'damaged.jsonl', record_index: '7', reason: 'not a JSON object' },
      { member_path: 'damaged.jsonl', record_index: '8', reason: 'not an Okta System Log event: eventType missing' },
    ]);
  });

  it('reads a published time without offset as UTC (Okta documents UTC) and says so', async () => {
    const file = path.join(work, 'naive.jsonl');
    fs.writeFileSync(file, sh(`jq -c '.[0] | .published = "2024-03-05 08:00:01.234"' ${q(path.join(FIX, 'api-logs-page.json'))}`));
    const c = await newCase({ timezone: 'America/Los_Angeles' });
    await c.ingest([file]);
    expect(await c.rows(`SELECT strftime(time, '%Y-%m-%d %H:%M:%S.%f') AS t, time_inferred FROM events`)).toEqual([
      { t: '2024-03-05 08:00:01.234000', time_inferred: 'no UTC offset: read as UTC (Okta publishes UTC)' },
    ]);
  });
});
