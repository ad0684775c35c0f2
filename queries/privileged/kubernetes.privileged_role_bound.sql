/*
id: kubernetes.privileged_role_bound
version: 3
title: Privileged ClusterRole bound to a user, group or service account
pack: privileged
families:
- kubernetes
severity: high
category: PG
detects: ClusterRoleBindings and RoleBindings created, updated or patched (not failed) whose roleRef is the ClusterRole
  cluster-admin, admin, edit, system:kube-controller-manager or system:kube-scheduler, by anyone but the cluster's own
  components (system:* users other than service accounts, nodes, eks:*, kube-system service accounts, AKS masterclient
  and aksService). The role is read from the logged request or response body, so the API server must log RBAC writes
  at level Request or RequestResponse. One row per request (its last logged stage), with the subjects bound.
why: cluster-admin gives full control of the cluster; admin and edit bound in a RoleBinding give the same over a
  namespace, including its secrets. Every such grant must trace to an approved access request (PCI 10.2.1.5, SOC 2
  CC6.3).
controls:
  iso27001:
  - A.8.15
  - A.5.18
  soc2:
  - CC6.2
  - CC6.3
  pci:
  - 10.2.1.5
  nist:
  - AC-2
  - AC-6
  - AU-12
params: []
false_positives:
- Platform administrators onboarded through change management; GitOps or CI service accounts applying reviewed RBAC
  manifests.
- Operators (Helm charts, cluster add-ons) that bind admin or edit to their own service account at install time.
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
- binding_kind
- role_name
- subjects
references:
- ../shared/docs/controls.md §2.7
- Panther Kubernetes.ClusterRoleBinding.Privileged
- Sigma kubernetes_audit_rolebinding_modification
*/
WITH c AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host, activity, target, status,
         ewb_json(raw) AS j
  FROM events
  WHERE source_family = 'kubernetes'
    AND time >= $period_start AND time < $period_end
    AND activity IN ('create clusterrolebindings', 'update clusterrolebindings', 'patch clusterrolebindings',
                     'create rolebindings', 'update rolebindings', 'patch rolebindings')
    AND NOT (coalesce(actor_type IN ('system', 'node'), false) OR coalesce(actor_user LIKE 'system:serviceaccount:kube-system:%', false)
             OR coalesce(actor_user IN ('masterclient', 'aksService'), false))
  -- one row per request: the last stage logged of it
  QUALIFY ewb_k8s_stage_rank(fields['stage'])
        = max(ewb_k8s_stage_rank(fields['stage'])) OVER (PARTITION BY coalesce(record_id, event_id), activity, actor_user)
),
k AS (
  -- the audit Event inside whichever wrapper delivered it
  SELECT *, ewb_k8s_event(j) AS ev
  FROM c
),
b AS (
  SELECT *, coalesce(ev->'$.requestObject.roleRef', ev->'$.responseObject.roleRef') AS role_ref,
         coalesce(json_extract(ev, '$.requestObject.subjects[*]'), json_extract(ev, '$.responseObject.subjects[*]')) AS subj
  FROM k
  WHERE status IS DISTINCT FROM 'failure'
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host AS cluster, activity, target, status,
       CASE WHEN activity LIKE '% clusterrolebindings' THEN 'ClusterRoleBinding' ELSE 'RoleBinding' END AS binding_kind,
       (role_ref->>'$.name') AS role_name,
       nullif(array_to_string(list_transform(subj, s -> concat_ws(':', (s->>'$.kind'), concat_ws('/', (s->>'$.namespace'), (s->>'$.name')))), ', '), '') AS subjects
FROM b
WHERE (role_ref->>'$.name') IN ('cluster-admin', 'admin', 'edit', 'system:kube-controller-manager', 'system:kube-scheduler')
  AND coalesce((role_ref->>'$.kind'), 'ClusterRole') = 'ClusterRole'
ORDER BY time, event_id
