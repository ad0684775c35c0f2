/**
 * Kubernetes API-server audit logs: real events written by others (CrowdSec hub tests, the Elastic AKS fixture,
 * Panther's EKS rule tests) and the hand-written fixtures in every delivery shape (test/fixtures/kubernetes). Counts
 * come from jq; field values from the corpus' own assertions or from the files themselves (jq).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, REPO, newCase, sh, tmpDir, type TestCase, shellQuote as q } from '../support/tmp-case.js';

const CROWDSEC = path.join(CORPUS, 'crowdsec-hub-tests/tests');
const AKS = path.join(CORPUS, 'elastic-fixtures/integrations/packages/kubernetes/data_stream/audit_logs/_dev/test/pipeline/test-kube-audit.log');
const PANTHER = path.join(CORPUS, 'panther-analysis-tests/by_log_type');
const FIX = path.join(REPO, 'test/fixtures/kubernetes');
const SHAPES = ['audit.jsonl', 'eventlist.json', 'aks-records.json', 'aks-azurediagnostics.jsonl', 'eks-insights.json', 'eks-filter-log-events.json', 'es-source.jsonl'];
/** Columns every shape must give alike (the wrappers add cloud_account and fields of their own). */
const EVENT_COLUMNS = `time::VARCHAR, time_raw, time_inferred, activity, event_code, category, service, status, error_code, actor_user, actor_id,
  actor_type, src_ip, user_agent, target, command_line, record_id, fields['stage'], fields['decision'], fields['impersonated_user'],
  fields['groups'], fields['request_uri'], fields['response_code']`;

describe('Kubernetes audit: corpus', () => {
  let c: TestCase;
  let work: string;
  const members = new Map<string, { format: string | null; records: number; loaded: number; rejected: number; status: string; reason: string | null }>();

  beforeAll(async () => {
    work = tmpDir();
    sh(`jq -c '.log' ${q(path.join(PANTHER, 'Amazon.EKS.Audit.jsonl'))} > ${q(path.join(work, 'eks-panther.jsonl'))}`);
    // GKE audit logs are Cloud Logging LogEntry records (protoPayload, serviceName k8s.io): the GCP family's.
    sh(`jq -c 'select(.log.protoPayload.serviceName == "k8s.io") | .log' ${q(path.join(PANTHER, 'GCP.AuditLog.jsonl'))} > ${q(path.join(work, 'gke.jsonl'))}`);
    c = await newCase();
    const r = await c.ingest([
      path.join(CROWDSEC, 'k8s-audit-pod-exec-file/k8s-audit-pod-exec-file.log'),
      path.join(CROWDSEC, 'k8s-audit-priv-pod-file/k8s-audit-priv-pod-file.log'),
      AKS,
      path.join(work, 'eks-panther.jsonl'),
      path.join(work, 'gke.jsonl'),
    ]);
    for (const a of r.archives) for (const m of a.members) members.set(m.path, m);
  }, 120_000);

  it('reads the CrowdSec pod-exec event as its scenario asserts it (user, source, namespace, name, time)', async () => {
    expect(members.get('k8s-audit-pod-exec-file.log')).toMatchObject({ format: 'k8s_audit', records: 1, loaded: 1 });
    const [e] = await c.rows(
      `SELECT strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') t, actor_user, actor_type, src_ip, target, activity, event_code, category, service, status, command_line, record_id, fields['stage'] stage, fields['decision'] decision
       FROM events WHERE member_path = 'k8s-audit-pod-exec-file.log'`,
    );
    // scenario.assert: user minikube-user, source_ip 192.168.49.1, namespace foo, resource_name test-pod-1, timestamp 2023-05-17T15:08:22.76396Z.
    expect(e).toEqual({
      t: '2023-05-17T15:08:22.763960Z',
      actor_user: 'minikube-user',
      actor_type: 'user',
      src_ip: '192.168.49.1',
      target: 'foo/pods/test-pod-1',
      activity: 'create pods/exec',
      event_code: 'create',
      category: 'process',
      service: 'core',
      status: 'success',
      command_line: '/bin/bash',
      record_id: '57a794de-44d3-40ee-a0ad-c0eb096eef6c',
      stage: 'ResponseComplete',
      decision: 'allow',
    });
  });

  it('reads the CrowdSec privileged-pod event as its scenario asserts it', async () => {
    const [e] = await c.rows(`SELECT strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') t, actor_user, src_ip, target, activity, status, fields['response_code'] code FROM events WHERE member_path = 'k8s-audit-priv-pod-file.log'`);
    expect(e).toEqual({ t: '2023-05-17T13:59:57.756152Z', actor_user: 'minikube-user', src_ip: '192.168.49.1', target: 'foo/pods/test-pod-1', activity: 'create pods', status: 'success', code: '201' });
  });

  it('unwraps the AKS diagnostic record (Event as a JSON string in properties.log); values as jq reads them', async () => {
    expect(members.get('test-kube-audit.log')).toMatchObject({ format: 'k8s_audit', records: 1, loaded: 1, rejected: 0 });
    const want = JSON.parse(
      sh(`jq -c '(.properties.log | fromjson) as $e | {id: $e.auditID, user: $e.user.username, ip: $e.sourceIPs[0], verb: $e.verb, ns: $e.objectRef.namespace, res: $e.objectRef.resource, name: $e.objectRef.name, grp: $e.objectRef.apiGroup, t: $e.requestReceivedTimestamp, code: $e.responseStatus.code, cat: .category, sub: (.resourceId | split("/")[2])}' ${q(AKS)}`),
    );
    const [e] = await c.rows(
      `SELECT record_id, actor_user, src_ip, event_code, target, service, strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') t, fields['response_code'] code, fields['wrapper_category'] cat, cloud_account, fields['cluster'] cl_name
       FROM events WHERE member_path = 'test-kube-audit.log'`,
    );
    expect(e).toEqual({
      record_id: want.id,
      actor_user: want.user,
      src_ip: want.ip,
      event_code: want.verb,
      target: `${want.ns}/${want.res}/${want.name}`,
      service: want.grp,
      t: want.t,
      code: String(want.code),
      cat: want.cat,
      cloud_account: want.sub,
      cl_name: 'TEST-CLUSTER',
    });
  });

  it('accounts for every Panther EKS event: loaded when it has a time, else rejected with the reason (jq counts)', async () => {
    const count = (filter: string) => Number(sh(`jq -c 'select(${filter})' ${q(path.join(work, 'eks-panther.jsonl'))} | wc -l`).trim());
    const total = Number(sh(`wc -l < ${q(path.join(work, 'eks-panther.jsonl'))}`).trim());
    const isEvent = '(.verb != null or .requestURI != null or .auditID != null)';
    const hasTime = '(.requestReceivedTimestamp != null or .stageTimestamp != null or .p_event_time != null)';
    const loaded = count(`${isEvent} and ${hasTime}`);
    const noTime = count(`${isEvent} and (${hasTime} | not)`);
    const notEvent = count(`${isEvent} | not`);
    expect(total).toBe(188);
    expect([loaded, noTime, notEvent]).toEqual([19, 168, 1]);
    expect(members.get('eks-panther.jsonl')).toMatchObject({ format: 'k8s_audit', records: total, loaded, rejected: noTime + notEvent, status: 'rejects' });
    expect(await c.rows(`SELECT reason, count(*)::INTEGER n FROM rejects WHERE member_path = 'eks-panther.jsonl' GROUP BY 1 ORDER BY 2 DESC`)).toEqual([
      { reason: 'no time: requestReceivedTimestamp and stageTimestamp missing', n: noTime },
      { reason: 'not a Kubernetes audit event: verb, requestURI and auditID missing', n: notEvent },
    ]);
    // Panther drops the timestamps' "Z": read as UTC and said so; p_event_time stands in when the Event has none.
    const withP = count(`${isEvent} and .requestReceivedTimestamp == null and .stageTimestamp == null and .p_event_time != null`);
    expect(Number(await c.one(`SELECT count(*) FROM events WHERE member_path = 'eks-panther.jsonl' AND time_inferred LIKE 'requestReceivedTimestamp missing: Panther p_event_time used%'`))).toBe(withP);
    const first = JSON.parse(sh(`jq -c 'select(.requestReceivedTimestamp != null) | {t: .requestReceivedTimestamp, u: .user.username}' ${q(path.join(work, 'eks-panther.jsonl'))} | head -1`));
    const [e] = await c.rows(`SELECT strftime(time, '%Y-%m-%d %H:%M:%S.%g') t, time_inferred, actor_user FROM events WHERE member_path = 'eks-panther.jsonl' ORDER BY record_index LIMIT 1`);
    expect(e).toEqual({ t: `${first.t.padEnd(23, '0')}`, time_inferred: 'no UTC offset: read as UTC (Kubernetes writes audit times in UTC)', actor_user: first.u });
  });

  it('types actors: service accounts, nodes, anonymous, system components and users (Panther EKS)', async () => {
    const rows = await c.rows<{ actor_type: string; n: number }>(`SELECT actor_type, count(*)::INTEGER n FROM events WHERE member_path = 'eks-panther.jsonl' GROUP BY 1 ORDER BY 1 NULLS LAST`);
    const jqCount = (re: string) =>
      Number(sh(`jq -c 'select((.verb != null or .requestURI != null or .auditID != null) and (.requestReceivedTimestamp != null or .stageTimestamp != null or .p_event_time != null)) | select((.user.username // "") | test("${re}"))' ${q(path.join(work, 'eks-panther.jsonl'))} | wc -l`).trim());
    const sa = jqCount('^system:serviceaccount:');
    const node = jqCount('^system:node:');
    const anon = jqCount('^system:anonymous$');
    const sys = jqCount('^(system:|eks:)') - sa - node - anon;
    const user = 19 - sa - node - anon - sys - jqCount('^$');
    expect(rows).toEqual(
      [
        { actor_type: 'anonymous', n: anon },
        { actor_type: 'node', n: node },
        { actor_type: 'serviceaccount', n: sa },
        { actor_type: 'system', n: sys },
        { actor_type: 'user', n: user },
      ].filter((r) => r.n > 0),
    );
  });

  it('does not claim GKE audit logs (Cloud Logging LogEntry): they are the GCP family', async () => {
    const m = members.get('gke.jsonl')!;
    expect(m.records).toBe(41);
    expect(m.format).not.toBe('k8s_audit');
    expect(Number(await c.one(`SELECT count(*) FROM events WHERE member_path = 'gke.jsonl' AND source_family = 'kubernetes'`))).toBe(0);
  });
});

describe('Kubernetes audit: every delivery shape (fixtures)', () => {
  let c: TestCase;
  const members = new Map<string, { format: string | null; records: number; loaded: number; rejected: number; status: string }>();

  beforeAll(async () => {
    c = await newCase();
    const r = await c.ingest(SHAPES.map((f) => path.join(FIX, f)));
    for (const a of r.archives) for (const m of a.members) members.set(m.path, m);
  }, 120_000);

  it('loads the 5 events of each shape', () => {
    expect(Number(sh(`jq -c '.items[]' ${q(path.join(FIX, 'eventlist.json'))} | wc -l`))).toBe(5);
    for (const f of SHAPES) expect(members.get(f), f).toMatchObject({ format: 'k8s_audit', records: 5, loaded: 5, rejected: 0, status: 'loaded' });
  });

  it('gives the same event columns in every shape', async () => {
    const rows = await c.rows<{ member_path: string; e: string }>(`SELECT member_path, list(to_json([${EVENT_COLUMNS}])::VARCHAR ORDER BY record_index)::VARCHAR e FROM events GROUP BY 1`);
    expect(rows).toHaveLength(SHAPES.length);
    const ref = rows.find((r) => r.member_path === 'audit.jsonl')!.e;
    for (const r of rows) expect(r.e, r.member_path).toBe(ref);
  });

  it('normalizes each event as documented', async () => {
    const rows = await c.rows(
      `SELECT strftime(time, '%Y-%m-%dT%H:%M:%S.%fZ') t, time_inferred, activity, category, service, status, error_code, actor_user, actor_id, actor_type, src_ip, target, command_line, record_id,
        fields['stage'] stage, fields['decision'] decision, fields['impersonated_user'] imp, fields['source_ips'] ips, fields['iam_arn'] arn, cloud_account
       FROM events WHERE member_path = 'audit.jsonl' ORDER BY record_index`,
    );
    const sa = 'system:serviceaccount:ci:deployer';
    const id = '6f0c2b1e-9f7a-4d7e-8b1a-0c1d2e3f4a5b';
    const base = { time_inferred: null, imp: null, arn: null, cloud_account: null, command_line: null, error_code: null };
    expect(rows).toEqual([
      { ...base, t: '2024-03-05T08:00:00.123456Z', activity: 'create clusterrolebindings', category: 'iam', service: 'rbac.authorization.k8s.io', status: null, actor_user: sa, actor_id: '0a1b2c3d-0000-4000-8000-000000000001', actor_type: 'serviceaccount', src_ip: '10.0.0.12', target: 'clusterrolebindings/ci-admin', record_id: id, stage: 'RequestReceived', decision: null, ips: '["10.0.0.12","192.0.2.10"]' },
      { ...base, t: '2024-03-05T08:00:00.123456Z', activity: 'create clusterrolebindings', category: 'iam', service: 'rbac.authorization.k8s.io', status: 'failure', error_code: '403', actor_user: sa, actor_id: '0a1b2c3d-0000-4000-8000-000000000001', actor_type: 'serviceaccount', src_ip: '10.0.0.12', target: 'clusterrolebindings/ci-admin', record_id: id, stage: 'ResponseComplete', decision: 'forbid', ips: '["10.0.0.12","192.0.2.10"]' },
      { ...base, t: '2024-03-05T08:05:00.000001Z', activity: 'create pods/exec', category: 'process', service: 'core', status: 'success', actor_user: 'alice@example.com', actor_id: null, actor_type: 'user', src_ip: '203.0.113.50', target: 'payments/pods/api-7d9f8-abcde', command_line: 'sh -c cat /etc/shadow', record_id: '0b9e7c55-1d2e-4c3b-a4f5-061728394a5b', stage: 'ResponseStarted', decision: 'allow', imp: 'system:admin', ips: null },
      { ...base, t: '2024-03-05T08:10:00.000000Z', activity: 'get', category: 'api_call', service: null, status: 'success', actor_user: 'system:anonymous', actor_id: null, actor_type: 'anonymous', src_ip: '198.51.100.77', target: '/healthz', record_id: 'c3d4e5f6-0000-4111-8222-933344455566', stage: 'ResponseComplete', decision: 'allow', ips: null },
      { ...base, t: '2024-03-05T08:15:00.500000Z', time_inferred: 'requestReceivedTimestamp missing: stageTimestamp used', activity: 'get secrets', category: 'api_call', service: 'core', status: 'success', actor_user: 'system:node:ip-10-0-1-23.eu-west-1.compute.internal', actor_id: null, actor_type: 'node', src_ip: '10.0.1.23', target: 'kube-system/secrets/bootstrap-token-abcdef', record_id: 'd4e5f6a7-1111-4222-8333-a44455566677', stage: 'ResponseComplete', decision: 'allow', ips: null, arn: 'arn:aws:sts::123456789012:assumed-role/eks-node-role/i-0abc', cloud_account: '123456789012' },
    ]);
  });

  it('picks one row per request with the ResponseComplete stage', async () => {
    const n = await c.rows(`SELECT record_id, count(*)::INTEGER stages, count(*) FILTER (WHERE fields['stage'] = 'ResponseComplete')::INTEGER complete FROM events WHERE member_path = 'audit.jsonl' GROUP BY 1 ORDER BY 1`);
    expect(n.map((r) => [r['stages'], r['complete']])).toEqual([
      [1, 0],
      [2, 1],
      [1, 1],
      [1, 1],
    ]);
  });

  it('takes the cluster (the host: one log stream per cluster) and the account from the wrapper', async () => {
    const rows = await c.rows(`SELECT member_path, list(DISTINCT cloud_account ORDER BY cloud_account) acc, list(DISTINCT fields['cluster']) cl, list(DISTINCT host) h FROM events WHERE member_path IN ('aks-records.json', 'aks-azurediagnostics.jsonl', 'eks-insights.json') GROUP BY 1 ORDER BY 1`);
    expect(rows).toEqual([
      { member_path: 'aks-azurediagnostics.jsonl', acc: ['11111111-2222-3333-4444-555555555555'], cl: ['AKS-PROD'], h: ['AKS-PROD'] },
      { member_path: 'aks-records.json', acc: ['11111111-2222-3333-4444-555555555555'], cl: ['AKS-PROD'], h: ['AKS-PROD'] },
      { member_path: 'eks-insights.json', acc: ['123456789012'], cl: ['prod-cluster'], h: ['prod-cluster'] },
    ]);
  });
});

describe('Kubernetes audit: what is rejected or not claimed', () => {
  it('rejects records that are not audit events, each with its reason', async () => {
    const dir = tmpDir();
    // Five good events first: a member is claimed by what most of its sampled records are.
    const good = fs.readFileSync(path.join(FIX, 'audit.jsonl'), 'utf8').trim();
    const lines = [
      good,
      '{"kind":"Event","apiVersion":"v1","verb":"x","involvedObject":{"kind":"Pod"}}',
      '{"kind":"Pod","verb":"get"}',
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","stage":"ResponseComplete"}',
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"get","auditID":"a"}',
      '{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"get","auditID":"b","requestReceivedTimestamp":"yesterday"}',
      '{"kind":"Event", broken',
      '[1]',
    ];
    fs.writeFileSync(path.join(dir, 'audit.log'), lines.join('\n') + '\n');
    const aks = sh(`head -c 100000 ${q(AKS)}`).trim();
    fs.writeFileSync(
      path.join(dir, 'aks.json'),
      [aks, aks, aks, '{"category":"kube-audit","properties":{"pod":"x"}}', '{"category":"kube-audit","properties":{"log":"not json"}}'].join('\n') + '\n',
    );
    const c = await newCase();
    const r = await c.ingest([path.join(dir, 'audit.log'), path.join(dir, 'aks.json')]);
    const m = new Map(r.archives.flatMap((a) => a.members.map((x) => [x.path, x] as const)));
    expect(m.get('audit.log')).toMatchObject({ format: 'k8s_audit', records: 12, loaded: 5, rejected: 7 });
    expect(m.get('aks.json')).toMatchObject({ format: 'k8s_audit', records: 5, loaded: 3, rejected: 2 });
    expect(await c.rows(`SELECT member_path, record_index i, reason FROM rejects ORDER BY 1, record_index`)).toEqual([
      { member_path: 'aks.json', i: '4', reason: 'no Kubernetes audit event inside the record (expected it in "properties.log")' },
      { member_path: 'aks.json', i: '5', reason: 'the Kubernetes audit event in "properties.log" is not a JSON object' },
      { member_path: 'audit.log', i: '6', reason: 'not a Kubernetes audit event: apiVersion "v1" is not audit.k8s.io' },
      { member_path: 'audit.log', i: '7', reason: 'not a Kubernetes audit event: kind is "Pod", not "Event"' },
      { member_path: 'audit.log', i: '8', reason: 'not a Kubernetes audit event: verb, requestURI and auditID missing' },
      { member_path: 'audit.log', i: '9', reason: 'no time: requestReceivedTimestamp and stageTimestamp missing' },
      { member_path: 'audit.log', i: '10', reason: 'unparseable or missing timestamp: "yesterday"' },
      { member_path: 'audit.log', i: '11', reason: 'invalid JSON' },
      { member_path: 'audit.log', i: '12', reason: 'not a JSON object' },
    ]);
  });

  it('leaves core v1 Events (kubectl get events) and CloudTrail to their own modules', async () => {
    const dir = tmpDir();
    fs.writeFileSync(
      path.join(dir, 'events.jsonl'),
      '{"kind":"Event","apiVersion":"v1","metadata":{"name":"x"},"involvedObject":{"kind":"Pod","name":"p"},"reason":"Killing","message":"Stopping","firstTimestamp":"2024-03-05T08:00:00Z"}\n'.repeat(3),
    );
    sh(`jq -c '.log' ${q(path.join(PANTHER, 'AWS.CloudTrail.jsonl'))} | head -20 > ${q(path.join(dir, 'ct.jsonl'))}`);
    const c = await newCase();
    const r = await c.ingest([path.join(dir, 'events.jsonl'), path.join(dir, 'ct.jsonl')]);
    const formats = r.archives.flatMap((a) => a.members.map((m) => m.format));
    expect(formats).not.toContain('k8s_audit');
    expect(formats).toContain('cloudtrail');
  });
});
