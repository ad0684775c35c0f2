/**
 * Google Cloud audit logs (family `gcp`, format `gcp_audit`): Panther's GCP.AuditLog rule-test events reshaped with jq
 * into the exports a customer has (JSON Lines, a `gcloud logging read --format=json` array, Cloud Storage sink
 * files, a forwarder wrapper), the Elastic GCP audit fixture (nanosecond timestamp; ELv2, read by path only), and
 * synthetic Pub/Sub and BigQuery exports (test/fixtures/gcp). Expected counts, reject reasons and field values are
 * derived by python3 from the records themselves, not by the parser under test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, REPO, newCase, sh, tmpDir, shellQuote as q } from '../support/tmp-case.js';
import { sniffFormat } from '../../electron/engine/formats/registry.js';

const PANTHER = path.join(CORPUS, 'panther-analysis-tests/by_log_type');
const ELASTIC_GCP = path.join(CORPUS, 'elastic-fixtures/integrations/packages/gcp/data_stream/audit/_dev/test/pipeline/test-iamcredentials-googleapis-com.log');
const FIX = path.join(REPO, 'test/fixtures/gcp');

/**
 * The oracle: what each LogEntry line should become, written from Google's LogEntry/AuditLog documentation in python
 * (its own JSON and time parsing). A record is an audit entry when it has a protoPayload (any key casing a data lake
 * gives it, or BigQuery's protopayload_auditlog) naming its methodName; its time is `timestamp` (else
 * `receiveTimestamp`), UTC when no offset is written, truncated to microseconds.
 */
const ORACLE = String.raw`
import json, re, sys, calendar
TIME = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:?\d{2}| UTC)?$')
def epoch_us(v):
    m = TIME.match(v)
    if not m: return None
    y, mo, d, h, mi, s, frac, tz = m.groups()
    secs = calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(s)))
    if tz and tz not in ('Z', 'z', ' UTC'):
        sign = -1 if tz[0] == '-' else 1
        t = tz[1:].replace(':', '')
        secs -= sign * (int(t[:2]) * 3600 + int(t[2:4]) * 60)
    return secs * 1000000 + int(((frac or '') + '000000')[:6])
def g(o, *ks):
    for k in ks:
        o = o.get(k) if isinstance(o, dict) else None
    return o
def first(*vs):  # SQL coalesce: the first value that is not null ("" counts)
    return next((v for v in vs if v is not None), None)
out = []
for line in open(sys.argv[1]):
    if not line.strip(): continue
    r = json.loads(line)
    pp = first(r.get('protoPayload'), r.get('protopayload'), r.get('protopayload_auditlog'))
    e = {}
    if not isinstance(pp, dict): e['reason'] = 'not a Cloud Audit Logs entry: protoPayload missing'
    elif not isinstance(pp.get('methodName'), str): e['reason'] = 'not a Cloud Audit Logs entry: protoPayload.methodName missing'
    else:
        t = first(r.get('timestamp'), r.get('receiveTimestamp'), r.get('receivetimestamp'))
        if t is None: e['reason'] = 'unparseable or missing timestamp: no time value'
        elif epoch_us(t) is None: e['reason'] = 'unparseable or missing timestamp: "%s"' % t
        else:
            code = g(pp, 'status', 'code') or 0
            e = {'us': str(epoch_us(t)), 'time_raw': t, 'activity': pp['methodName'], 'service': pp.get('serviceName'),
                 'actor_user': first(g(pp, 'authenticationInfo', 'principalEmail'), g(pp, 'authenticationInfo', 'principalSubject')),
                 'src_ip': first(g(pp, 'requestMetadata', 'callerIp'), g(pp, 'requestMetadata', 'callerIP')),
                 'user_agent': g(pp, 'requestMetadata', 'callerSuppliedUserAgent'),
                 'target': pp.get('resourceName'), 'record_id': first(r.get('insertId'), r.get('insertid')),
                 'project': g(r, 'resource', 'labels', 'project_id'),
                 'status': 'success' if code == 0 else 'failure'}
    out.append(e)
print(json.dumps(out))
`;

interface Expected {
  reason?: string;
  us?: string;
  time_raw?: string;
  activity?: string;
  service?: string | null;
  actor_user?: string | null;
  src_ip?: string | null;
  user_agent?: string | null;
  target?: string | null;
  record_id?: string | null;
  project?: string | null;
  status?: string;
}

let work: string;
let jsonl: string;
let expected: Expected[];

beforeAll(() => {
  work = tmpDir();
  jsonl = path.join(work, 'gcp-audit.jsonl');
  // jq (independent of our parser) takes each rule test's LogEntry out of Panther's test wrapper.
  sh(`jq -c '.log' ${q(path.join(PANTHER, 'GCP.AuditLog.jsonl'))} > ${q(jsonl)}`);
  fs.writeFileSync(path.join(work, 'oracle.py'), ORACLE);
  expected = JSON.parse(sh(`python3 ${q(path.join(work, 'oracle.py'))} ${q(jsonl)}`)) as Expected[];
});

/** Loads one file and checks the member's books and every record against the oracle. */
async function checkAgainstOracle(file: string, format = 'gcp_audit'): Promise<void> {
  const c = await newCase();
  const r = await c.ingest([file]);
  const m = r.archives[0]!.members[0]!;
  const good = expected.filter((e) => !e.reason);
  expect(m.format).toBe(format);
  expect(m).toMatchObject({ records: expected.length, loaded: good.length, rejected: expected.length - good.length });
  const rejects = await c.rows<{ record_index: string; reason: string }>(`SELECT record_index, reason FROM rejects ORDER BY record_index`);
  expect(rejects.map((x) => [Number(x.record_index), x.reason])).toEqual(expected.flatMap((e, i) => (e.reason ? [[i + 1, e.reason]] : [])));
  const ev = await c.rows<Record<string, string | null>>(
    `SELECT record_index, epoch_us(time)::VARCHAR AS us, time_raw, activity, service, actor_user, src_ip, user_agent, target, record_id, cloud_account, status
     FROM events ORDER BY record_index`,
  );
  expect(ev).toHaveLength(good.length);
  for (const row of ev) {
    const e = expected[Number(row['record_index']) - 1]!;
    const where = `record ${row['record_index']}`;
    expect(row['us'], where).toBe(e.us);
    expect(row['time_raw'], where).toBe(e.time_raw);
    expect(row['activity'], where).toBe(e.activity);
    expect(row['service'], where).toBe(e.service ?? null);
    expect(row['actor_user'], where).toBe(e.actor_user ?? null);
    expect(row['src_ip'], where).toBe(e.src_ip ?? null);
    expect(row['user_agent'], where).toBe(e.user_agent ?? null);
    expect(row['target'], where).toBe(e.target ?? null);
    expect(row['record_id'], where).toBe(e.record_id ?? null);
    if (e.project) expect(row['cloud_account'], where).toBe(e.project);
    expect(row['status'], where).toBe(e.status);
  }
}

describe('Panther GCP.AuditLog events', () => {
  it('the oracle sees the corpus README counts: 206 events, 143 usable audit entries', () => {
    expect(expected).toHaveLength(206);
    expect(expected.filter((e) => !e.reason)).toHaveLength(143);
    const reasons = new Map<string, number>();
    for (const e of expected) if (e.reason) reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1);
    expect(Object.fromEntries(reasons)).toEqual({
      'not a Cloud Audit Logs entry: protoPayload missing': 8,
      'not a Cloud Audit Logs entry: protoPayload.methodName missing': 8,
      'unparseable or missing timestamp: no time value': 46,
      'unparseable or missing timestamp: "..."': 1,
    });
  });

  it('loads as JSON Lines (Cloud Logging export): every event loaded or rejected with its reason, fields as the oracle says', async () => {
    await checkAgainstOracle(jsonl);
  });

  it('loads the same events as a gcloud logging read --format=json array', async () => {
    const arr = path.join(work, 'gcloud-read.json');
    sh(`jq -s '.' ${q(jsonl)} > ${q(arr)}`);
    expect(fs.readFileSync(arr, 'utf8').trimStart().startsWith('[')).toBe(true);
    await checkAgainstOracle(arr);
  });

  it('unwraps LogEntries a forwarder put in a Splunk HEC "event"', async () => {
    const hec = path.join(work, 'hec.jsonl');
    sh(`jq -c '{time: 0, host: "gcp", sourcetype: "google:gcp:pubsub:message", event: .}' ${q(jsonl)} > ${q(hec)}`);
    await checkAgainstOracle(hec);
  });

  it('classifies logging, IAM and KMS changes as the Panther rules about them expect', async () => {
    const c = await newCase();
    await c.ingest([jsonl]);
    // rule id of each line, from Panther's own test metadata (jq), for the events those rules must fire on
    const rules = sh(`jq -r '.rule_id + " " + (.expected_result|tostring)' ${q(path.join(PANTHER, 'GCP.AuditLog.jsonl'))}`).trim().split('\n');
    const ev = await c.rows<{ record_index: string; category: string }>(`SELECT record_index, category FROM events`);
    const cat = new Map(ev.map((e) => [Number(e.record_index), e.category]));
    const want: Record<string, string> = {
      'GCP.Log.Bucket.Or.Sink.Deleted': 'audit_logging',
      'GCP.Logging.Sink.Modified': 'audit_logging',
      'GCP.Logging.Settings.Modified': 'audit_logging',
      'GCP.IAM.CustomRoleChanges': 'iam',
      'GCP.Service.Account.or.Keys.Created': 'iam',
      'GCP.Workload.Identity.Pool.Created.or.Updated': 'iam',
      'GCP.Compute.IAM.Policy.Update': 'iam',
      'GCP.GCS.IAMChanges': 'iam',
      'GCP.KMS.EraseKey': 'key_management',
    };
    let checked = 0;
    rules.forEach((line, i) => {
      const [rule, verdict] = line.split(' ');
      if (verdict !== 'true' || !want[rule!] || !cat.has(i + 1)) return;
      expect(cat.get(i + 1), `${rule} line ${i + 1}`).toBe(want[rule!]);
      checked++;
    });
    expect(checked).toBe(14);
    // GCP.Service.Account.Access.Denied fires on a status code 7 call: a failure with its google.rpc name.
    const who = JSON.parse(
      sh(`jq -c 'select(.rule_id == "GCP.Service.Account.Access.Denied" and .expected_result) | .log.protoPayload.authenticationInfo' ${q(path.join(PANTHER, 'GCP.AuditLog.jsonl'))}`),
    ) as { principalEmail: string; principalSubject: string };
    const denied = await c.rows(`SELECT status, error_code, actor_user, actor_id, actor_type FROM events WHERE activity = 'google.iam.admin.v1.CreateServiceAccount' AND status = 'failure'`);
    expect(denied).toEqual([{ status: 'failure', error_code: 'PERMISSION_DENIED', actor_user: who.principalEmail, actor_id: who.principalSubject, actor_type: 'service_account' }]);
  });

  it('reads top-level keys lower-cased by a data lake (insertid, logname) and the callerIP spelling', async () => {
    const c = await newCase();
    await c.ingest([jsonl]);
    const n = Number(sh(`jq -c 'select(.insertid != null and .timestamp != null and (.protoPayload // .protopayload).methodName != null)' ${q(jsonl)} | wc -l`).trim());
    expect(n).toBe(24);
    const rows = await c.rows<{ n: string }>(`SELECT count(*) AS n FROM events WHERE raw LIKE '%"insertid"%' AND record_id IS NOT NULL AND fields['log_type'] IS NOT NULL`);
    expect(Number(rows[0]!.n)).toBe(n);
  });

  it('is not claimed for other Panther log types (HTTP load balancer LogEntries included)', () => {
    for (const f of fs.readdirSync(PANTHER)) {
      const text = sh(`jq -c '.log' ${q(path.join(PANTHER, f))} | head -c 65536`);
      const hit = sniffFormat({ path: f, head: Buffer.from(text), text, complete: false });
      if (f === 'GCP.AuditLog.jsonl') expect(hit?.format.name, f).toBe('gcp_audit');
      else expect(hit?.format.name, f).not.toBe('gcp_audit');
    }
  });
});

describe('Cloud Storage sink files', () => {
  it('loads the hourly cloudaudit.googleapis.com/activity objects of a bucket copied into a zip', async () => {
    const dir = path.join(work, 'bucket');
    const key = 'cloudaudit.googleapis.com/activity/2024/03/05';
    fs.mkdirSync(path.join(dir, key), { recursive: true });
    // The three audit entries of logentries.jsonl (the fourth is a syslog entry a cloudaudit sink would not carry).
    sh(`head -n 3 ${q(path.join(FIX, 'logentries.jsonl'))} > ${q(path.join(dir, key, '09:00:00_09:59:59_S0.json'))}`);
    // The Panther entries the oracle found usable, as the next hour's object.
    const lines = fs.readFileSync(jsonl, 'utf8').split('\n').filter((l) => l.trim());
    fs.writeFileSync(path.join(dir, key, '10:00:00_10:59:59_S0.json'), lines.filter((_, i) => !expected[i]!.reason).join('\n') + '\n');
    sh(`cd ${q(dir)} && python3 -c "import os,zipfile; z=zipfile.ZipFile('../sink.zip','w'); [z.write(os.path.join(r,f)) for r,_,fs in sorted(os.walk('cloudaudit.googleapis.com')) for f in sorted(fs)]; z.close()"`);
    const panther = Number(sh(`wc -l < ${q(path.join(dir, key, '10:00:00_10:59:59_S0.json'))}`).trim());
    expect(panther).toBe(143);
    const c = await newCase();
    const r = await c.ingest([path.join(work, 'sink.zip')]);
    expect(r.archives[0]!.status).toBe('loaded');
    expect(r.archives[0]!.members.map((m) => [m.path, m.format, m.records, m.loaded])).toEqual([
      [`${key}/09:00:00_09:59:59_S0.json`, 'gcp_audit', 3, 3],
      [`${key}/10:00:00_10:59:59_S0.json`, 'gcp_audit', panther, panther],
    ]);
  });
});

describe('Elastic GCP audit fixture (nanosecond timestamp)', () => {
  it('keeps the time to the microsecond and the nanoseconds in time_raw', async () => {
    const c = await newCase();
    const r = await c.ingest([ELASTIC_GCP]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'gcp_audit', records: 1, loaded: 1, rejected: 0 });
    const raw = JSON.parse(fs.readFileSync(ELASTIC_GCP, 'utf8')) as { timestamp: string; insertId: string };
    expect(raw.timestamp).toBe('2024-11-19T00:49:55.293368631Z');
    const ev = await c.rows<Record<string, string | null>>(
      `SELECT strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') AS t, time_raw, time_inferred, activity, service, category, status, actor_user, actor_type,
         src_ip, user_agent, cloud_account, target, record_id, fields['log_type'] AS log_type, fields['permissions'] AS permissions FROM events`,
    );
    expect(ev).toEqual([
      {
        t: '2024-11-19T00:49:55.293368Z',
        time_raw: raw.timestamp,
        time_inferred: null,
        activity: 'GenerateAccessToken',
        service: 'iamcredentials.googleapis.com',
        category: 'iam',
        status: 'success',
        // No principalEmail: a workload-identity federation principal acted.
        actor_user: 'principal://iam.googleapis.com/projects/project-id/locations/global/workloadIdentityPools/...',
        actor_type: 'federated',
        src_ip: '175.16.199.45',
        user_agent: 'Go-http-client/2.0,gzip(gfe)',
        cloud_account: 'project-id',
        target: 'projects/-/serviceAccounts/somenumber',
        record_id: raw.insertId,
        log_type: 'data_access',
        permissions: 'iam.serviceAccounts.getAccessToken',
      },
    ]);
  });
});

describe('synthetic Pub/Sub and BigQuery exports (test/fixtures/gcp)', () => {
  it('decodes LogEntries from a gcloud pubsub subscriptions pull --format=json array', async () => {
    const file = path.join(FIX, 'pubsub-pull.json');
    // jq decodes the base64 payloads itself: 4 messages, 3 of them audit entries, 1 a syslog LogEntry.
    const decoded = sh(`jq -c '.[].message.data | @base64d | fromjson | {m: .protoPayload.methodName, t: .timestamp, id: .insertId}' ${q(file)}`)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { m: string | null; t: string; id: string });
    expect(decoded).toHaveLength(4);
    const c = await newCase({ timezone: 'Europe/Berlin' });
    const r = await c.ingest([file]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'gcp_audit', records: 4, loaded: 3, rejected: 1 });
    expect(r.archives[0]!.members[0]!.reason).toMatch(/Pub\/Sub/);
    expect(await c.rows(`SELECT record_index, reason FROM rejects`)).toEqual([{ record_index: '4', reason: 'not a Cloud Audit Logs entry: protoPayload missing' }]);
    const ev = await c.rows<Record<string, string | null>>(
      `SELECT time_raw, activity, category, status, error_code, actor_user, actor_type, src_ip, region, target, record_id,
         fields['denied_permissions'] AS denied FROM events ORDER BY record_index`,
    );
    expect(ev.map((e) => [e['time_raw'], e['activity'], e['record_id']])).toEqual(decoded.slice(0, 3).map((d) => [d.t, d.m, d.id]));
    expect(ev).toEqual([
      expect.objectContaining({ activity: 'google.logging.v2.ConfigServiceV2.DeleteSink', category: 'audit_logging', status: 'success', actor_user: 'mallory@example.com', src_ip: '203.0.113.10' }),
      // SetIamPolicy that removes Data Access audit configs: a logging change, not only an IAM one.
      expect.objectContaining({ activity: 'SetIamPolicy', category: 'audit_logging', target: 'projects/acme-prod' }),
      expect.objectContaining({
        activity: 'v1.compute.instances.delete',
        category: 'api_call',
        status: 'failure',
        error_code: 'PERMISSION_DENIED',
        actor_type: 'service_account',
        region: 'us-central1-a',
        denied: 'compute.instances.delete',
      }),
    ]);
    // Nanoseconds: .000000001 is below DuckDB's microsecond and is truncated; time_raw keeps it.
    expect(await c.one(`SELECT strftime(time, '%H:%M:%S.%f') FROM events WHERE record_index = 3`)).toBe('09:15:30.000000');
  });

  it('reads BigQuery sink rows (protopayload_auditlog, times written "… UTC")', async () => {
    const c = await newCase({ timezone: 'America/New_York' });
    const r = await c.ingest([path.join(FIX, 'bigquery-activity.json')]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'gcp_audit', records: 2, loaded: 2, rejected: 0 });
    const ev = await c.rows<Record<string, string | null>>(
      `SELECT strftime(time, '%Y-%m-%d %H:%M:%S.%f') AS t, time_inferred, activity, category, status, error_code, src_ip, cloud_account, region,
         fields['status_message'] AS msg FROM events ORDER BY record_index`,
    );
    expect(ev).toEqual([
      { t: '2024-03-05 10:01:02.345678', time_inferred: null, activity: 'storage.setIamPermissions', category: 'iam', status: 'success', error_code: null, src_ip: '203.0.113.10', cloud_account: 'acme-prod', region: 'europe-west3', msg: null },
      { t: '2024-03-05 10:07:40.000000', time_inferred: null, activity: 'cloudsql.instances.delete', category: 'api_call', status: 'failure', error_code: 'NOT_FOUND', src_ip: '2001:db8::5', cloud_account: 'acme-prod', region: 'europe-west3', msg: 'The Cloud SQL instance does not exist.' },
    ]);
  });

  it('rejects damaged lines, non-objects and Pub/Sub messages or wrappers without a LogEntry, each with its reason', async () => {
    const entries = fs.readFileSync(path.join(FIX, 'logentries.jsonl'), 'utf8').split('\n').filter((l) => l);
    const jsonlFile = path.join(work, 'damaged.jsonl');
    fs.writeFileSync(jsonlFile, [...entries.slice(0, 3), entries[0]!.slice(0, 80), '[1, 2]', '"just text"'].join('\n') + '\n');
    const pull = JSON.parse(fs.readFileSync(path.join(FIX, 'pubsub-pull.json'), 'utf8')) as Array<{ message: Record<string, unknown> }>;
    const b64 = (t: string) => Buffer.from(t).toString('base64');
    const pubsubFile = path.join(work, 'damaged-pull.json');
    fs.writeFileSync(pubsubFile, JSON.stringify([...pull.slice(0, 3), { ackId: 'x1', message: { data: b64('not json'), messageId: '1' } }, { ackId: 'x2', message: { messageId: '2' } }]));
    const hecFile = path.join(work, 'damaged-hec.jsonl');
    fs.writeFileSync(hecFile, [...entries.slice(0, 3).map((e) => `{"time":0,"event":${e}}`), '{"time":0,"event":"oops"}', '{"time":0}'].join('\n') + '\n');
    const c = await newCase();
    const r = await c.ingest([jsonlFile, pubsubFile, hecFile]);
    expect(r.archives.map((a) => [a.members[0]!.format, a.members[0]!.records, a.members[0]!.loaded])).toEqual([
      ['gcp_audit', 6, 3],
      ['gcp_audit', 5, 3],
      ['gcp_audit', 5, 3],
    ]);
    expect(await c.rows(`SELECT member_path, record_index, reason FROM rejects ORDER BY member_path, record_index`)).toEqual([
      { member_path: 'damaged-hec.jsonl', record_index: '4', reason: 'no LogEntry inside the record (expected it in "event")' },
      { member_path: 'damaged-hec.jsonl', record_index: '5', reason: 'no LogEntry inside the record (expected it in "event")' },
      { member_path: 'damaged-pull.json', record_index: '4', reason: 'no LogEntry inside the Pub/Sub message (expected base64 JSON in message.data)' },
      { member_path: 'damaged-pull.json', record_index: '5', reason: 'no LogEntry inside the Pub/Sub message (expected base64 JSON in message.data)' },
      { member_path: 'damaged.jsonl', record_index: '4', reason: 'invalid JSON' },
      { member_path: 'damaged.jsonl', record_index: '5', reason: 'not a JSON object' },
      { member_path: 'damaged.jsonl', record_index: '6', reason: 'not a JSON object' },
    ]);
  });

  it('reads a LogEntry time without offset as UTC (Google documents UTC), falls back to receiveTimestamp, and says so', async () => {
    const file = path.join(work, 'naive.jsonl');
    const first = path.join(FIX, 'logentries.jsonl');
    fs.writeFileSync(
      file,
      sh(`head -n 1 ${q(first)} | jq -c '.timestamp = "2024-03-05 09:12:44.123456"'`) +
        sh(`head -n 1 ${q(first)} | jq -c 'del(.timestamp)'`) +
        sh(`head -n 1 ${q(first)} | jq -c 'del(.timestamp) | .receiveTimestamp = "2024-03-05 09:12:45.5"'`),
    );
    const c = await newCase({ timezone: 'Asia/Tokyo' });
    await c.ingest([file]);
    expect(await c.rows(`SELECT strftime(time, '%Y-%m-%d %H:%M:%S.%f') AS t, time_raw, time_inferred FROM events ORDER BY record_index`)).toEqual([
      { t: '2024-03-05 09:12:44.123456', time_raw: '2024-03-05 09:12:44.123456', time_inferred: 'no UTC offset: read as UTC (LogEntry times are UTC)' },
      { t: '2024-03-05 09:12:45.008812', time_raw: '2024-03-05T09:12:45.008812431Z', time_inferred: 'timestamp missing: receiveTimestamp (when Cloud Logging received the entry) used' },
      {
        t: '2024-03-05 09:12:45.500000',
        time_raw: '2024-03-05 09:12:45.5',
        time_inferred: 'timestamp missing: receiveTimestamp (when Cloud Logging received the entry) used; no UTC offset: read as UTC (LogEntry times are UTC)',
      },
    ]);
  });
});
