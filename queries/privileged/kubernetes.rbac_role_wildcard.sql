/*
id: kubernetes.rbac_role_wildcard
version: 3
title: RBAC Role or ClusterRole created or changed with wildcard verbs or resources
pack: privileged
families:
- kubernetes
severity: high
category: PG
detects: Roles and ClusterRoles created, updated or patched (not failed) with a rule whose verbs or resources contain
  "*", by anyone but the cluster's own components (system:* users other than service accounts, nodes, eks:*,
  kube-system service accounts, AKS masterclient and aksService). A wildcard in apiGroups alone is not flagged. The
  rules are read from the logged request or response body (level Request or RequestResponse). One row per request
  (its last logged stage), with the wildcard rules.
why: A wildcard rule grants every current and future verb or resource (including secrets, escalate, bind and
  impersonate), so whoever is bound to the role becomes an administrator of its scope; least privilege (AC-6) and
  PCI 10.2.1.5 require such grants to be deliberate and approved.
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
- Operators and Helm charts that ship a ClusterRole with wildcard verbs on their own custom resources.
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
- role_kind
- wildcard_rules
references:
- ../shared/docs/controls.md §2.7
- Panther Kubernetes.Role.Wildcard
*/
WITH c AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host, activity, target, status,
         ewb_json(raw) AS j
  FROM events
  WHERE source_family = 'kubernetes'
    AND time >= $period_start AND time < $period_end
    AND activity IN ('create roles', 'update roles', 'patch roles', 'create clusterroles', 'update clusterroles', 'patch clusterroles')
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
r AS (
  -- the rules as requested, else as the API server returned the role
  SELECT *, list_filter(coalesce(nullif(json_extract(ev, '$.requestObject.rules[*]'), []), json_extract(ev, '$.responseObject.rules[*]')),
                        x -> list_contains(json_extract_string(x, '$.verbs[*]'), '*') OR list_contains(json_extract_string(x, '$.resources[*]'), '*')) AS wild
  FROM k
  WHERE status IS DISTINCT FROM 'failure'
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host AS cluster, activity, target, status,
       CASE WHEN activity LIKE '% clusterroles' THEN 'ClusterRole' ELSE 'Role' END AS role_kind,
       array_to_string(list_transform(wild, x -> 'apiGroups=' || coalesce(json_extract(x, '$.apiGroups')::VARCHAR, '[]')
         || ' resources=' || coalesce(json_extract(x, '$.resources')::VARCHAR, '[]') || ' verbs=' || coalesce(json_extract(x, '$.verbs')::VARCHAR, '[]')), '; ') AS wildcard_rules
FROM r
WHERE len(wild) > 0
ORDER BY time, event_id
