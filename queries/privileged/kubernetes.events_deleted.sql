/*
id: kubernetes.events_deleted
version: 2
title: Kubernetes Event records deleted through the API
pack: privileged
families:
- kubernetes
severity: medium
category: LT
detects: delete and deletecollection requests (not failed) on events (core v1 and events.k8s.io) by anyone but the
  cluster's own components (system:* users other than service accounts, nodes, eks:*, kube-system service accounts,
  such as the namespace controller emptying a deleted namespace, AKS masterclient and aksService). Events expire on
  their own after their time to live; deleting them by hand erases the cluster's record of what happened to its
  objects. One row per request (its last logged stage).
why: Kubernetes Events (scheduling, image pulls, kills, failed mounts) are evidence next to the audit log; a person
  deleting them looks like covering tracks and must be explained (PCI 10.2.1.6).
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  soc2:
  - CC7.2
  pci:
  - 10.2.1.6
  - 10.7.2
  nist:
  - AU-9
  - AU-5
  cis:
  - '8.2'
params: []
false_positives:
- Administrators clearing event noise from a namespace while debugging.
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
- user_agent
references:
- ../shared/docs/controls.md §2.7
- Sigma kubernetes_audit_events_deleted
*/
WITH c AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host, activity, target, status, user_agent
  FROM events
  WHERE source_family = 'kubernetes'
    AND time >= $period_start AND time < $period_end
    AND activity IN ('delete events', 'deletecollection events')
    AND NOT (coalesce(actor_type IN ('system', 'node'), false) OR coalesce(actor_user LIKE 'system:serviceaccount:kube-system:%', false)
             OR coalesce(actor_user IN ('masterclient', 'aksService'), false))
  -- one row per request: the last stage logged of it
  QUALIFY ewb_k8s_stage_rank(fields['stage'])
        = max(ewb_k8s_stage_rank(fields['stage'])) OVER (PARTITION BY coalesce(record_id, event_id), activity, actor_user)
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host AS cluster, activity, target, status, user_agent
FROM c
WHERE status IS DISTINCT FROM 'failure'
ORDER BY time, event_id
