/**
 * Canned queries for Kubernetes API-server audit logs (`kubernetes`) and Linux audit logs (`linux`, source_format
 * `auditd`): against Panther's rule test events (../shared/corpus/panther-analysis-tests, Amazon.EKS.Audit), the
 * Kubernetes and auditd samples of the CrowdSec hub tests, Elastic fixtures and OTRF datasets, the repository's
 * format fixtures (test/fixtures/kubernetes, test/fixtures/auditd) and hand-made query fixtures
 * (test/fixtures/kubernetes-queries, test/fixtures/auditd-queries, each written by its make-fixtures.py). A query is
 * mapped to a Panther rule only when their intents match; where a query is deliberately wider or narrower, the events
 * the rule judges are checked one by one and the difference is named.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../electron/engine/api.js';
import { compareWithRules, pantherLines, writeJsonl, type PantherLine } from '../support/panther.js';
import { CORPUS, newCase, REPO, type TestCase } from '../support/tmp-case.js';

const PERIOD = { periodStart: '2010-01-01', periodEnd: '2030-12-31' };
const api = createApi();
const FIX = path.join(REPO, 'test/fixtures');

type Row = Record<string, unknown>;

async function run(dir: string, id: string): Promise<Row[]> {
  const r = await api.invoke('query.run', { dir, id, params: {} });
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])));
}

/** The record number (line of the loaded file) an event id ends with. */
const lineOf = (r: Row) => Number(String(r['event_id']).split('-').pop());

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes: Panther's Amazon.EKS.Audit rule tests
// ---------------------------------------------------------------------------------------------------------------

/**
 * Most of Panther's EKS test events carry no timestamp at all (no requestReceivedTimestamp, stageTimestamp or
 * p_event_time), and the loader rejects an event without a time. They get a fixed requestReceivedTimestamp here; no
 * rule's verdict depends on the time, so the oracle is unchanged.
 */
const FIXED_TIME = '2024-01-01T00:00:00Z';
const withTime = (log: Record<string, unknown>) =>
  'requestReceivedTimestamp' in log || 'stageTimestamp' in log || 'p_event_time' in log ? log : { ...log, requestReceivedTimestamp: FIXED_TIME };

/** query id → Panther rule ids it implements. */
const KUBERNETES: Array<[string, string[]]> = [
  ['kubernetes.pod_exec_or_attach', ['Kubernetes.Pod.Exec']],
  ['kubernetes.secrets_read_by_user', ['Kubernetes.BulkSecretAccess']],
  [
    'kubernetes.privileged_pod_created',
    ['Kubernetes.Pod.Host.IPC', 'Kubernetes.Pod.Host.Network', 'Kubernetes.Pod.Host.PID', 'Kubernetes.Pod.HostPath.Volume', 'Kubernetes.Pod.Dangerous.Capabilities'],
  ],
  ['kubernetes.anonymous_request_allowed', ['Kubernetes.API.AnonymousAccess']],
  // Not mapped (checked one by one below): ClusterRoleBinding.Privileged (ClusterRoleBindings only; the query also
  // reports privileged ClusterRoles bound in RoleBindings); Role.Wildcard and AdmissionController.Created (creations
  // only; the query also reports updates); Secrets.DumpAllNamespaces (cluster-wide lists only: the all_namespaces
  // column); Pod.Privileged.Created (also counts a container running as root, which the query shows but does not
  // flag); Amazon.EKS.AnonymousAPIAccess (also alerts on denied anonymous probes and on /healthz or /version read from
  // public addresses, the endpoints every cluster opens to anyone); Secret.AccessDenied (counts a 404 as denied and
  // leaves out list requests and kube-system service accounts, where kubernetes.privileged_request_denied takes every
  // 401/403 on secrets from anyone but the cluster's system:* components); Kubectl.CP.Operation and
  // Pod.StealServiceAccountToken (narrower: exec with particular commands).
  // No query for: the 403 bursts and public-IP rules (Multiple403, SystemNamespaceFromPublicIP,
  // System.Principal.PublicIP, IOC.Activity need counts, IP ranges or threat feeds), Pod.SystemNamespace, CronJob,
  // DaemonSet, Ingress.NoTLS, Service.NodePort, ServiceAccount.TokenCreated, ClientCertificate.Created,
  // Role.NodeProxyPermissions, Role.PodExec, Role.WritePermissions, SystemRole.Modified.
];

describe('Kubernetes queries against Panther rule tests (Amazon.EKS.Audit)', () => {
  let c: TestCase;
  let lines: PantherLine[];
  const loaded = new Set<number>();
  let flagged: (query: string, rule: string) => Promise<number[]>;

  beforeAll(async () => {
    lines = pantherLines('Amazon.EKS.Audit');
    c = await newCase(PERIOD);
    await c.ingest([writeJsonl(lines, 'eks-audit.jsonl', withTime)]);
    for (const r of await c.rows<{ record_index: string }>('SELECT record_index::VARCHAR AS record_index FROM events')) loaded.add(Number(r.record_index));
    flagged = async (query, rule) => {
      const mine = new Set(lines.filter((l) => l.rule === rule && !l.mocks).map((l) => l.line));
      return (await run(c.dir, query)).map(lineOf).filter((n) => mine.has(n)).sort((a, b) => a - b);
    };
  }, 120_000);

  const verdict = (rule: string, expected: boolean) => lines.filter((l) => l.rule === rule && l.expected === expected && !l.mocks).map((l) => l.line);

  it('loads every test event but the one that is no audit event', async () => {
    expect(loaded.size).toBe(lines.length - 1);
    // Kubernetes.API.AnonymousAccess "Localhost Access": only kind, apiVersion, sourceIPs and user.
    expect(await c.rows('SELECT record_index::INTEGER AS n, reason FROM rejects')).toEqual([
      { n: 27, reason: 'not a Kubernetes audit event: verb, requestURI and auditID missing' },
    ]);
  });

  it.each(KUBERNETES)('%s flags exactly what %s expects', async (query, rules) => {
    const o = await compareWithRules(c.dir, query, rules, lines, loaded);
    expect(o.positives + o.negatives, 'the rules have judged events').toBeGreaterThan(0);
    expect({ missed: o.missed, falsePositives: o.falsePositives }).toEqual({ missed: [], falsePositives: [] });
    for (const line of o.notLoaded) {
      const reason = await c.one<string>(`SELECT reason FROM rejects WHERE record_index = ${line}`);
      expect(reason).toMatch(/verb, requestURI and auditID missing|time/);
    }
  });

  it('kubernetes.privileged_role_bound: the rule true events, and cluster-admin bound in a RoleBinding as well', async () => {
    const rule = 'Kubernetes.ClusterRoleBinding.Privileged';
    expect(verdict(rule, true)).toEqual([36, 37]);
    expect(await flagged('kubernetes.privileged_role_bound', rule)).toEqual([36, 37, 39]);
    const rows = new Map((await run(c.dir, 'kubernetes.privileged_role_bound')).map((r) => [lineOf(r), r]));
    expect(rows.get(36)).toMatchObject({ binding_kind: 'ClusterRoleBinding', role_name: 'cluster-admin', subjects: 'User:attacker@example.com' });
    expect(rows.get(37)).toMatchObject({ role_name: 'system:kube-controller-manager', subjects: 'ServiceAccount:default/attacker-sa' });
    // line 39 ("RoleBinding (not ClusterRoleBinding)"): cluster-admin granted over the namespace default
    expect(rows.get(39)).toMatchObject({ binding_kind: 'RoleBinding', role_name: 'cluster-admin', target: 'default/rolebindings/admin-binding' });
  });

  it('kubernetes.rbac_role_wildcard: the rule true events, and a wildcard role updated as well', async () => {
    const rule = 'Kubernetes.Role.Wildcard';
    expect(verdict(rule, true)).toEqual([118, 119]);
    expect(await flagged('kubernetes.rbac_role_wildcard', rule)).toEqual([118, 119, 124]);
    const rows = new Map((await run(c.dir, 'kubernetes.rbac_role_wildcard')).map((r) => [lineOf(r), r]));
    expect(rows.get(119)!['wildcard_rules']).toBe('apiGroups=["*"] resources=["secrets"] verbs=["*"]');
    expect(rows.get(124)).toMatchObject({ activity: 'update clusterroles', role_kind: 'ClusterRole' });
    // wildcard apiGroups alone (121), a kube-system service account (122) and a refused request (123) are left out
  });

  it('kubernetes.admission_or_audit_config_changed: the webhook created, and the one updated as well', async () => {
    const rule = 'Kubernetes.AdmissionController.Created';
    expect(verdict(rule, true)).toEqual([21]);
    expect(await flagged('kubernetes.admission_or_audit_config_changed', rule)).toEqual([21, 22]);
    const rows = new Map((await run(c.dir, 'kubernetes.admission_or_audit_config_changed')).map((r) => [lineOf(r), r]));
    expect(rows.get(21)!['webhooks']).toBe('mutate.example.com -> https://webhook.example.com/mutate');
    expect(rows.get(22)!['activity']).toBe('update mutatingwebhookconfigurations');
  });

  it('kubernetes.secrets_read_by_user: all_namespaces and success tell the cluster-wide dumps apart', async () => {
    const rule = 'Kubernetes.Secrets.DumpAllNamespaces';
    const rows = new Map((await run(c.dir, 'kubernetes.secrets_read_by_user')).map((r) => [lineOf(r), r]));
    const dump = (n: number) => rows.get(n)?.['all_namespaces'] === true && rows.get(n)?.['status'] === 'success';
    expect(verdict(rule, true).filter((n) => !dump(n))).toEqual([]);
    expect(verdict(rule, false).filter(dump)).toEqual([]);
    // the rule's false events the query still reports: a namespaced list, a single get, a refused cluster-wide list
    expect(await flagged('kubernetes.secrets_read_by_user', rule)).toEqual([145, 146, 147, 148, 151]);
    expect(rows.get(151)).toMatchObject({ all_namespaces: true, status: 'failure', error_code: '403' });
  });

  it('kubernetes.privileged_pod_created: the privileged container, not a container merely running as root', async () => {
    const rule = 'Kubernetes.Pod.Privileged.Created';
    expect(verdict(rule, true)).toEqual([99, 100, 101]);
    expect(await flagged('kubernetes.privileged_pod_created', rule)).toEqual([99]);
    // and a DaemonSet created by a person with the Docker socket mounted (Kubernetes.DaemonSet.Created's true event)
    const ds = (await run(c.dir, 'kubernetes.privileged_pod_created')).find((r) => lineOf(r) === 48);
    expect(ds).toMatchObject({ activity: 'create daemonsets', host_paths: '/var/run/docker.sock', privileged: false });
  });

  it('kubernetes.anonymous_request_allowed: of the EKS anonymous-access events, only the resource read', async () => {
    const rule = 'Amazon.EKS.AnonymousAPIAccess';
    expect(verdict(rule, true)).toEqual([1, 3, 7, 8]);
    // 3: /version and 7: /healthz are public by design; 8: a denied probe (anonymous, but not allowed)
    expect(await flagged('kubernetes.anonymous_request_allowed', rule)).toEqual([1]);
  });

  it('kubernetes.pod_exec_or_attach reports every exec the narrower rules expect, not refused ones', async () => {
    const exec = new Set((await run(c.dir, 'kubernetes.pod_exec_or_attach')).map(lineOf));
    for (const rule of ['Kubernetes.Kubectl.CP.Operation', 'Kubernetes.Pod.StealServiceAccountToken']) {
      expect(verdict(rule, true).filter((n) => !exec.has(n)), rule).toEqual([]);
    }
    expect([68, 170].filter((n) => exec.has(n))).toEqual([]); // 403
  });

  it('kubernetes.privileged_request_denied: 401/403 on privileged resources, whoever but cluster components', async () => {
    const rows = await run(c.dir, 'kubernetes.privileged_request_denied');
    expect(rows.map(lineOf).sort((a, b) => a - b)).toEqual([24, 33, 41, 68, 110, 116, 123, 129, 131, 133, 135, 137, 141, 151, 161, 170, 177, 187]);
    // not: coredns watching endpointslices (10, 11, 16, 69, 70), a web scanner's paths (8, 180, 181), pod and
    // workload creations (77, 83, ...), a secret that does not exist (132: 404)
    expect(rows.every((r) => r['status'] === 'failure' && r['error_code'] === '403')).toBe(true);
  });

  it('finds no impersonation and no Event deletion in these tests', async () => {
    expect(await run(c.dir, 'kubernetes.impersonation')).toEqual([]);
    expect(await run(c.dir, 'kubernetes.events_deleted')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes: hand-made fixtures, the repository's format fixtures, CrowdSec and Elastic samples
// ---------------------------------------------------------------------------------------------------------------

describe('Kubernetes queries on fixtures and corpus samples', () => {
  let c: TestCase;
  /** event_id → "<folder>/<member>:<record>" */
  const label = new Map<string, string>();
  const at = async (id: string): Promise<Row[]> => (await run(c.dir, id)).map((r): Row => ({ ...r, at: label.get(String(r['event_id'])) }));
  const where = async (id: string) => (await at(id)).map((r) => String(r['at'])).sort();

  const K8S = path.join(FIX, 'kubernetes');
  const KQ = path.join(FIX, 'kubernetes-queries');
  const CROWDSEC = path.join(CORPUS, 'crowdsec-hub-tests/tests');
  const SHAPES = ['audit.jsonl', 'eventlist.json', 'aks-records.json', 'aks-azurediagnostics.jsonl', 'eks-insights.json', 'eks-filter-log-events.json', 'es-source.jsonl'];

  beforeAll(async () => {
    c = await newCase(PERIOD);
    await c.ingest([
      ...['audit.jsonl', 'aks-records.json', 'eks-insights.json'].map((f) => path.join(KQ, f)),
      ...SHAPES.map((f) => path.join(K8S, f)),
      path.join(CROWDSEC, 'k8s-audit-pod-exec-file/k8s-audit-pod-exec-file.log'),
      path.join(CROWDSEC, 'k8s-audit-priv-pod-file/k8s-audit-priv-pod-file.log'),
      path.join(CORPUS, 'elastic-fixtures/integrations/packages/kubernetes/data_stream/audit_logs/_dev/test/pipeline/test-kube-audit.log'),
    ]);
    for (const r of await c.rows<{ event_id: string; p: string; m: string; n: string }>(
      `SELECT e.event_id, a.path AS p, e.member_path AS m, e.record_index::VARCHAR AS n FROM events e JOIN archives a ON a.sha256 = e.archive_sha256`,
    ))
      label.set(r.event_id, `${path.basename(path.dirname(r.p))}/${r.m}:${r.n}`);
  }, 120_000);

  it('loads every record', async () => {
    expect(await c.one<string>('SELECT count(*)::VARCHAR FROM events')).toBe(String(28 + 3 + 1 + 7 * 5 + 3));
    expect(await c.one<string>('SELECT count(*)::VARCHAR FROM rejects')).toBe('0');
  });

  it('kubernetes.privileged_role_bound: the role from the request or, for a patch, the response; not view, not the API server', async () => {
    const rows = await at('kubernetes.privileged_role_bound');
    expect(rows.map((r) => [r['at'], r['binding_kind'], r['role_name'], r['subjects']]).sort()).toEqual([
      ['kubernetes-queries/aks-records.json:1', 'ClusterRoleBinding', 'cluster-admin', 'User:mallory@contoso.com'],
      // the ResponseComplete stage (2), not the RequestReceived one (1)
      ['kubernetes-queries/audit.jsonl:2', 'ClusterRoleBinding', 'cluster-admin', 'User:carol@example.com, Group:oncall'],
      ['kubernetes-queries/audit.jsonl:3', 'RoleBinding', 'edit', 'ServiceAccount:ci/ci-bot'],
    ]);
    expect(rows.find((r) => r['at'] === 'kubernetes-queries/aks-records.json:1')).toMatchObject({
      cluster: 'AKS-PROD',
      cloud_account: '11111111-2222-3333-4444-555555555555',
      actor_user: 'alice@contoso.com',
    });
    // the service account's refused ClusterRoleBinding (test/fixtures/kubernetes) is no grant
  });

  it('kubernetes.pod_exec_or_attach: port-forward known only by its ResponseStarted stage, debug, and exec in every delivery shape', async () => {
    expect(await where('kubernetes.pod_exec_or_attach')).toEqual(
      [
        'k8s-audit-pod-exec-file/k8s-audit-pod-exec-file.log:1',
        'kubernetes-queries/audit.jsonl:10',
        'kubernetes-queries/audit.jsonl:9',
        ...SHAPES.map((f) => `kubernetes/${f}:3`),
      ].sort(),
    );
    const rows = await at('kubernetes.pod_exec_or_attach');
    expect(rows.find((r) => r['at'] === 'kubernetes/aks-records.json:3')).toMatchObject({ access: 'exec', container: 'api', command_line: 'sh -c cat /etc/shadow', cluster: 'AKS-PROD' });
    // CrowdSec k8s-audit-pod-exec scenario: minikube-user execs /bin/bash in foo/test-pod-1 from 192.168.49.1
    expect(rows.find((r) => String(r['at']).startsWith('k8s-audit-pod-exec-file'))).toMatchObject({
      actor_user: 'minikube-user',
      src_ip: '192.168.49.1',
      target: 'foo/pods/test-pod-1',
      command_line: '/bin/bash',
      container: 'centos',
    });
    expect(rows.find((r) => r['at'] === 'kubernetes-queries/audit.jsonl:9')).toMatchObject({ access: 'portforward', status: 'success' });
  });

  it('kubernetes.secrets_read_by_user: people only, one row per request', async () => {
    const rows = await at('kubernetes.secrets_read_by_user');
    expect(rows.map((r) => [r['at'], r['actor_user'], r['all_namespaces']]).sort()).toEqual([
      ['kubernetes-queries/audit.jsonl:13', 'eve@example.com', true],
      ['kubernetes-queries/audit.jsonl:28', 'frank@example.com', false],
    ]);
    // not: the RequestReceived stage (12), a workload's service account (14), an anonymous client (15), a node (the
    // repository fixtures' record 5)
  });

  it('kubernetes.privileged_pod_created: pods and pod templates, host access listed; the cluster\'s own in kube-system left out', async () => {
    const rows = await at('kubernetes.privileged_pod_created');
    expect(rows.map((r) => [r['at'], r['privileged'], r['host_namespaces'], r['host_paths'], r['added_capabilities'], r['runs_as_root']]).sort()).toEqual([
      ['k8s-audit-priv-pod-file/k8s-audit-priv-pod-file.log:1', true, null, null, null, false],
      ['kubernetes-queries/audit.jsonl:23', true, 'hostNetwork,hostPID', '/proc,/', null, false],
      ['kubernetes-queries/audit.jsonl:25', true, null, null, null, false],
      ['kubernetes-queries/audit.jsonl:26', false, null, null, 'NET_ADMIN', true],
    ]);
    // not: the kube-proxy pod in kube-system (24), a pod only running as root (27), aksService in kube-system
    // (aks-records.json:3). The CrowdSec pod's last-applied-configuration annotation repeats "privileged":true as
    // text: the flag comes from the spec, not from that string.
    expect(rows.find((r) => String(r['at']).startsWith('k8s-audit-priv-pod-file'))).toMatchObject({ actor_user: 'minikube-user', target: 'foo/pods/test-pod-1' });
  });

  it('kubernetes.anonymous_request_allowed: secrets listed and the issuer keys read; not /readyz, not refused', async () => {
    const rows = await at('kubernetes.anonymous_request_allowed');
    expect(rows.map((r) => [r['at'], r['activity'], r['target']]).sort()).toEqual([
      ['kubernetes-queries/audit.jsonl:15', 'list secrets', 'payments/secrets'],
      ['kubernetes-queries/audit.jsonl:17', 'get', '/openid/v1/jwks'],
    ]);
    expect(rows[0]!['authz_reason']).toMatch(/RoleBinding "oops" of ClusterRole "view" to Group "system:unauthenticated"/);
  });

  it('kubernetes.rbac_role_wildcard: from the plain log and from CloudWatch; not the aggregation controller', async () => {
    const rows = await at('kubernetes.rbac_role_wildcard');
    expect(rows.map((r) => [r['at'], r['role_kind'], r['wildcard_rules']]).sort()).toEqual([
      ['kubernetes-queries/audit.jsonl:6', 'ClusterRole', 'apiGroups=["apps"] resources=["deployments"] verbs=["*"]'],
      ['kubernetes-queries/eks-insights.json:1', 'Role', 'apiGroups=["","apps"] resources=["*"] verbs=["get","list","watch","update"]'],
    ]);
    expect(rows.find((r) => r['at'] === 'kubernetes-queries/eks-insights.json:1')).toMatchObject({ cluster: 'prod-cluster', cloud_account: '123456789012', actor_user: 'kubernetes-admin' });
  });

  it('kubernetes.admission_or_audit_config_changed, events_deleted, privileged_request_denied, impersonation', async () => {
    const adm = await at('kubernetes.admission_or_audit_config_changed');
    expect(adm.map((r) => [r['at'], r['activity'], r['webhooks']]).sort()).toEqual([
      ['kubernetes-queries/aks-records.json:2', 'create mutatingwebhookconfigurations', 'inject.sidecar.example.com -> service mesh/injector'],
      ['kubernetes-queries/audit.jsonl:22', 'delete validatingwebhookconfigurations', null],
    ]);
    expect(await where('kubernetes.events_deleted')).toEqual(['kubernetes-queries/audit.jsonl:19']); // not the namespace controller (20)
    // refused exec, refused impersonation, and the refused ClusterRoleBinding of the repository fixtures (its
    // ResponseComplete stage, record 2) in every shape
    expect(await where('kubernetes.privileged_request_denied')).toEqual(
      ['kubernetes-queries/audit.jsonl:11', 'kubernetes-queries/audit.jsonl:21', ...SHAPES.map((f) => `kubernetes/${f}:2`)].sort(),
    );
    const imp = await at('kubernetes.impersonation');
    expect(imp.map((r) => r['at']).sort()).toEqual(['kubernetes-queries/audit.jsonl:28', ...SHAPES.map((f) => `kubernetes/${f}:3`)].sort());
    expect(imp.find((r) => r['at'] === 'kubernetes/es-source.jsonl:3')).toMatchObject({
      actor_user: 'alice@example.com',
      impersonated_user: 'system:admin',
      impersonated_groups: '["system:masters"]',
      command_line: 'sh -c cat /etc/shadow',
    });
  });

  it('flags nothing in the Elastic AKS sample (aksService renewing a lease)', async () => {
    const all = await api.invoke('query.list', { family: 'kubernetes' });
    const ids = all.filter((q) => q.families.includes('kubernetes')).map((q) => q.id);
    expect(ids.length).toBeGreaterThanOrEqual(10);
    for (const id of ids) expect((await where(id)).filter((x) => String(x).startsWith('pipeline/')), id).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Linux audit (auditd): corpus samples, the repository's ENRICHED fixture and the hand-made query fixture
// ---------------------------------------------------------------------------------------------------------------

describe('Linux queries on audit logs (auditd)', () => {
  let c: TestCase;
  /** event_id → "<member>#<serial>" */
  const label = new Map<string, string>();
  const at = async (id: string): Promise<Row[]> => (await run(c.dir, id)).map((r): Row => ({ ...r, at: label.get(String(r['event_id'])) }));
  const where = async (id: string) => (await at(id)).map((r) => String(r['at'])).sort();
  const CROWDSEC = path.join(CORPUS, 'crowdsec-hub-tests/tests');
  const OTRF = path.join(CORPUS, 'otrf-security-datasets/atomic/linux');

  beforeAll(async () => {
    c = await newCase(PERIOD);
    await c.ingest([
      path.join(CROWDSEC, 'auditd-logs/auditd-logs.log'),
      path.join(CROWDSEC, 'auditd-postexploit-rm/auditd-postexploit-rm.log'),
      path.join(CROWDSEC, 'auditd-suid-crash/auditd-suid-crash.log'),
      path.join(CORPUS, 'elastic-fixtures/beats/filebeat/module/auditd/log/test/useradd.log'),
      path.join(OTRF, 'defense_evasion/host/sh_binary_padding_dd.zip'),
      path.join(OTRF, 'discovery/host/sh_arp_cache.zip'),
      path.join(FIX, 'auditd/enriched.log'),
      path.join(FIX, 'auditd-queries/audit.log'),
    ]);
    for (const r of await c.rows<{ event_id: string; m: string; s: string }>(`SELECT event_id, member_path AS m, record_id AS s FROM events`))
      label.set(r.event_id, `${r.m}#${r.s}`);
  }, 120_000);

  it('loads every event', async () => {
    // 4 + 10 + 3 (CrowdSec) + 8 (Elastic) + 1 + 2 (OTRF) + 9 (enriched) + 46 (query fixture)
    expect(await c.one<string>('SELECT count(*)::VARCHAR FROM events')).toBe('83');
    expect(await c.one<string>('SELECT count(*)::VARCHAR FROM rejects')).toBe('0');
  });

  it('linux.user_created: ADD_USER with the new UID (a second UID 0 account flagged)', async () => {
    const rows = await at('linux.user_created');
    expect(rows.map((r) => [r['at'], r['target'], r['uid'], r['privileged']]).sort()).toEqual([
      ['audit.log#118', 'svc-backup', '0', true],
      ['enriched.log#550', 'backdoor', '1001', false],
      // Elastic: "op=adding user id=1004" (no account name in the record)
      ['useradd.log#591', '1004', '1004', false],
    ]);
  });

  it('linux.account_changed_or_deleted: groups added (groupadd writes three records), memberships, userdel', async () => {
    expect(await where('linux.account_changed_or_deleted')).toEqual(
      ['audit.log#114', 'audit.log#115', 'audit.log#116', 'audit.log#117', 'useradd.log#584', 'useradd.log#586', 'useradd.log#587'].sort(),
    );
  });

  it('linux.password_changed: USER_CHAUTHTOK and GRP_CHAUTHTOK', async () => {
    const rows = await at('linux.password_changed');
    expect(rows.map((r) => [r['at'], r['target'], r['service']]).sort()).toEqual([
      ['audit.log#119', 'mallory', 'auditd'],
      ['audit.log#120', null, 'auditd'], // a group password (gpasswd): the group is in fields['grp']
      ['useradd.log#594', 'charlie', 'auditd'],
    ]);
  });

  it('linux.user_added_to_admin_group: wheel and its shadow group, not users', async () => {
    const rows = await at('linux.user_added_to_admin_group');
    expect(rows.map((r) => [r['at'], r['target'], r['group_name']]).sort()).toEqual([
      ['audit.log#114', 'mallory', 'wheel'],
      ['audit.log#115', 'mallory', 'wheel'],
    ]);
  });

  it('linux.sudo_to_root: USER_CMD with the run-as account from sudo\'s PAM records; unknown run-as kept', async () => {
    const rows = await at('linux.sudo_to_root');
    expect(rows.map((r) => [r['at'], r['actor_user'], r['target'], r['command_line']]).sort()).toEqual([
      ['audit.log#102', '1000', 'root', 'systemctl restart nginx'],
      // the ENRICHED fixture has no CRED_REFR/USER_START for this sudo: run-as not logged, kept like a syslog line without USER=
      ['enriched.log#530', 'alice', null, 'systemctl stop auditd'],
    ]);
    // not: sudo -u postgres (105, its session opened for postgres), refused commands (108)
  });

  it('linux.sudo_failures, su_to_root, su_failures, root_ssh_login', async () => {
    expect(await where('linux.sudo_failures')).toEqual(['audit.log#107', 'audit.log#108']);
    expect(await where('linux.su_to_root')).toEqual(['audit.log#110']);
    expect(await where('linux.su_failures')).toEqual(['audit.log#111']); // not sshd's failed USER_AUTH (enriched.log#501)
    const root = await at('linux.root_ssh_login');
    expect(root.map((r) => [r['at'], r['actor_user'], r['src_ip']])).toEqual([['audit.log#112', '0', '198.51.100.23']]);
  });

  it('linux.logging_stopped: auditd and rsyslog stopped, auditd aborted, rules removed, auditing disabled', async () => {
    expect(await where('linux.logging_stopped')).toEqual(
      ['audit.log#124', 'audit.log#125', 'audit.log#128', 'audit.log#129', 'enriched.log#531', 'enriched.log#540', 'enriched.log#9001'].sort(),
    );
  });

  it('linux.system_time_changed: settimeofday, and clock changes the kernel recorded; not an adjtimex that changed nothing', async () => {
    expect(await where('linux.system_time_changed')).toEqual(['audit.log#137', 'audit.log#139', 'audit.log#140']);
  });

  it('linux.auditd_audit_config_changed: rule changes by a user, disabling; a rules file written; not the boot-time load', async () => {
    const rows = await at('linux.auditd_audit_config_changed');
    expect(rows.map((r) => [r['at'], r['change'], r['rule_key']]).sort()).toEqual([
      ['audit.log#124', 'remove_rule list=4', 'identity'],
      ['audit.log#125', 'set audit_enabled=0 old=1', null],
      ['audit.log#127', 'add_rule list=4', 'tmp-exec'],
      ['audit.log#134', 'file opened for writing', 'audit-config'],
      ['enriched.log#540', 'remove_rule list=4', 'exec_watch'],
    ]);
  });

  it('linux.auditd_sensitive_file_write: sudoers replaced, passwd opened for writing, shadow chmod; not a read', async () => {
    const rows = await at('linux.auditd_sensitive_file_write');
    expect(rows.map((r) => [r['at'], r['files'], r['change'], r['process']]).sort()).toEqual([
      ['audit.log#130', '/etc/sudoers', 'replaced, linked or deleted', '/usr/sbin/visudo'],
      ['audit.log#132', '/etc/passwd', 'opened for writing', '/usr/bin/python3.11'],
      ['audit.log#133', '/etc/shadow', 'permissions, owner or attributes changed', '/usr/bin/chmod'],
    ]);
    // not: 131 (O_RDONLY), enriched.log#561 (refused), 143 (refused)
  });

  it('linux.auditd_privilege_tool_executed: su (CrowdSec SUID test, run as root) and pkexec; not bash, id, rm', async () => {
    const rows = await at('linux.auditd_privilege_tool_executed');
    expect(rows.map((r) => [r['at'], r['actor_user'], r['euid'], r['command_line'], r['rule_key']]).sort()).toEqual([
      ['audit.log#141', '1000', '0', 'pkexec /bin/bash', 'priv_esc'],
      ['auditd-suid-crash.log#8282', 'bui', 'root', '/usr/bin/su --help', 'priv_esc'],
    ]);
  });

  it('linux.auditd_kernel_module_loaded: load (with the module name), unload, refused load', async () => {
    const rows = await at('linux.auditd_kernel_module_loaded');
    expect(rows.map((r) => [r['at'], r['activity'], r['status'], r['module']]).sort()).toEqual([
      ['audit.log#135', 'syscall:finit_module', 'success', 'diamorphine'],
      ['audit.log#136', 'syscall:delete_module', 'success', null],
      ['audit.log#144', 'syscall:finit_module', 'failure', null],
    ]);
  });

  it('linux.auditd_selinux_role_changed: newrole and semanage; not a login keeping its default context', async () => {
    const rows = await at('linux.auditd_selinux_role_changed');
    expect(rows.map((r) => [r['at'], r['from_context'], r['to_context']]).sort()).toEqual([
      ['audit.log#121', 'staff_u:staff_r:staff_t:s0-s0:c0.c1023', 'staff_u:sysadm_r:sysadm_t:s0-s0:c0.c1023'],
      ['audit.log#123', 'seuser=unconfined_u role=? range=?', 'seuser=staff_u role=staff_r,sysadm_r range=s0-s0:c0.c1023'],
    ]);
  });

  it('linux.auditd_access_denied: EACCES and EPERM only (the CrowdSec perl ENOENT and a missing file left out)', async () => {
    const rows = await at('linux.auditd_access_denied');
    expect(rows.map((r) => [r['at'], r['error_code'], r['target']]).sort()).toEqual([
      ['audit.log#143', 'EACCES', '/etc/shadow'],
      ['audit.log#144', 'EPERM', null],
      ['enriched.log#561', 'EACCES', '/etc/shadow'],
    ]);
  });

  it('flags nothing in the OTRF captures or the CrowdSec execve and rm logs', async () => {
    const quiet = ['sh_binary_padding_dd', 'sh_arp_cache', 'auditd-logs.log', 'auditd-postexploit-rm.log'];
    const ids = (await api.invoke('query.list', { family: 'linux' })).filter((q) => q.families.includes('linux') && q.pack === 'privileged').map((q) => q.id);
    for (const id of ids) expect((await where(id)).filter((x) => quiet.some((m) => String(x).startsWith(m))), id).toEqual([]);
  });
});
