/*
id: kubernetes.privileged_pod_created
version: 3
title: Privileged or host-access pod or pod template created
pack: privileged
families:
- kubernetes
severity: high
category: BG
detects: Pods created, and Deployments, DaemonSets, StatefulSets, ReplicaSets, ReplicationControllers, Jobs and
  CronJobs created, updated or patched (not failed), whose pod spec runs a privileged container, shares the node's
  network, PID or IPC namespace (hostNetwork, hostPID, hostIPC), mounts a hostPath volume, or adds a capability that
  breaks out of the container (SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, BPF, DAC_READ_SEARCH, DAC_OVERRIDE, ALL).
  Left out, as in Panther's rules, are the cluster's own components (system:* users other than service accounts, nodes, eks:*,
  kube-system service accounts, AKS masterclient and aksService) creating them in kube-system, kube-public or
  kube-node-lease. The spec is read from the logged request or response body (level Request or RequestResponse).
  One row per request (its last logged stage); a container running as root is shown, not flagged.
why: Each of these gives the pod root-equivalent control of the node it runs on and of every other pod there (the
  Baseline Pod Security Standard forbids them); they must be rare, approved and tied to known system agents (PCI
  10.2.1.2, 10.2.1.7).
controls:
  iso27001:
  - A.8.15
  - A.8.2
  iso27017:
  - 12.4.3
  soc2:
  - CC6.3
  - CC7.2
  pci:
  - 10.2.1.2
  - 10.2.1.7
  nist:
  - AU-12
  - AC-6(9)
  cis:
  - '8.5'
params: []
false_positives:
- Node agents (CNI plugins, log shippers, monitoring exporters, CSI drivers) deployed as DaemonSets in their own
  namespace; their controllers' pod creations are listed too.
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- cluster
- activity
- target
- status
- privileged
- host_namespaces
- host_paths
- added_capabilities
- runs_as_root
references:
- ../shared/docs/controls.md §2.7
- Panther Kubernetes.Pod.Privileged.Created
- Panther Kubernetes.Pod.Host.Network
- Panther Kubernetes.Pod.Host.PID
- Panther Kubernetes.Pod.Host.IPC
- Panther Kubernetes.Pod.HostPath.Volume
- Panther Kubernetes.Pod.Dangerous.Capabilities
*/
WITH c AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host, activity, target, status,
         ewb_json(raw) AS j
  FROM events
  WHERE source_family = 'kubernetes'
    AND time >= $period_start AND time < $period_end
    AND (activity = 'create pods'
         OR activity IN ('create deployments', 'update deployments', 'patch deployments', 'create daemonsets', 'update daemonsets',
                         'patch daemonsets', 'create statefulsets', 'update statefulsets', 'patch statefulsets', 'create replicasets',
                         'update replicasets', 'patch replicasets', 'create replicationcontrollers', 'update replicationcontrollers',
                         'patch replicationcontrollers', 'create jobs', 'update jobs', 'patch jobs', 'create cronjobs',
                         'update cronjobs', 'patch cronjobs'))
  -- one row per request: the last stage logged of it
  QUALIFY ewb_k8s_stage_rank(fields['stage'])
        = max(ewb_k8s_stage_rank(fields['stage'])) OVER (PARTITION BY coalesce(record_id, event_id), activity, actor_user)
),
k AS (
  -- the audit Event inside whichever wrapper delivered it
  SELECT *, ewb_k8s_event(j) AS ev
  FROM c
),
s AS (
  -- the pod spec: of the pod itself, of a workload's pod template, of a CronJob's job template
  SELECT *, CASE WHEN activity = 'create pods' THEN coalesce(ev->'$.requestObject.spec', ev->'$.responseObject.spec')
                 WHEN activity LIKE '% cronjobs' THEN coalesce(ev->'$.responseObject.spec.jobTemplate.spec.template.spec', ev->'$.requestObject.spec.jobTemplate.spec.template.spec')
                 ELSE coalesce(ev->'$.responseObject.spec.template.spec', ev->'$.requestObject.spec.template.spec') END AS spec
  FROM k
  WHERE status IS DISTINCT FROM 'failure'
    AND NOT ((coalesce(actor_type IN ('system', 'node'), false) OR coalesce(actor_user LIKE 'system:serviceaccount:kube-system:%', false)
              OR coalesce(actor_user IN ('masterclient', 'aksService'), false))
             AND coalesce((ev->>'$.objectRef.namespace') IN ('kube-system', 'kube-public', 'kube-node-lease'), false))
),
f AS (
  SELECT *,
         list_concat(json_extract(spec, '$.containers[*].securityContext'), json_extract(spec, '$.initContainers[*].securityContext'),
                     json_extract(spec, '$.ephemeralContainers[*].securityContext')) AS sc,
         list_filter(['hostNetwork', 'hostPID', 'hostIPC'], k -> (spec->>('$.' || k)) = 'true') AS host_ns,
         json_extract_string(spec, '$.volumes[*].hostPath.path') AS hp,
         json_array_length(json_extract(spec, '$.volumes[*].hostPath')) AS hp_count
  FROM s
),
g AS (
  SELECT *,
         list_contains(list_transform(sc, x -> (x->>'$.privileged')), 'true') AS priv,
         list_distinct(list_filter(flatten(list_transform(sc, x -> coalesce(json_extract_string(x, '$.capabilities.add[*]'), []))),
                                   cap -> upper(replace(cap, 'CAP_', '')) IN ('SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'NET_ADMIN', 'BPF', 'DAC_READ_SEARCH', 'DAC_OVERRIDE', 'ALL'))) AS caps
  FROM f
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host AS cluster, activity, target, status,
       priv AS privileged, nullif(array_to_string(host_ns, ','), '') AS host_namespaces,
       CASE WHEN hp_count > 0 THEN coalesce(nullif(array_to_string(hp, ','), ''), '(no path)') END AS host_paths,
       nullif(array_to_string(list_sort(caps), ','), '') AS added_capabilities,
       (coalesce((spec->>'$.securityContext.runAsUser') = '0', false) OR list_contains(list_transform(sc, x -> (x->>'$.runAsUser')), '0')
        OR coalesce((spec->>'$.securityContext.runAsNonRoot') = 'false', false)
        OR list_contains(list_transform(sc, x -> (x->>'$.runAsNonRoot')), 'false')) AS runs_as_root
FROM g
WHERE priv OR len(host_ns) > 0 OR hp_count > 0 OR len(caps) > 0
ORDER BY time, event_id
