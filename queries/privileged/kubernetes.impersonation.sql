/*
id: kubernetes.impersonation
version: 2
title: Kubernetes requests made while impersonating another user or group
pack: privileged
families:
- kubernetes
severity: medium
category: BG
detects: Every request the API server served on behalf of an impersonated identity (kubectl --as / --as-group,
  Impersonate-User and Impersonate-Group headers), whatever its outcome, with the authenticated user who
  impersonated and the identity taken on. One row per request (its last logged stage).
why: Impersonation lets one identity act with another's rights (often system:masters or cluster-admin); the audit
  trail must tie each such action to the person behind it (PCI 10.2.1.2, AC-6(9)).
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
  nist:
  - AU-12
  - AC-6(9)
  cis:
  - '8.5'
params: []
false_positives:
- Administrators testing another user's permissions (kubectl auth can-i --as).
- Authenticating proxies and dashboards that impersonate the signed-in user.
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
- error_code
- impersonated_user
- impersonated_groups
- command_line
references:
- ../shared/docs/controls.md §2.7
- Kubernetes documentation, Authenticating / User impersonation
*/
WITH c AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host, activity, target, status, error_code, command_line, fields
  FROM events
  WHERE source_family = 'kubernetes'
    AND time >= $period_start AND time < $period_end
    AND (fields['impersonated_user'] IS NOT NULL OR fields['impersonated_groups'] IS NOT NULL)
  -- one row per request: the last stage logged of it
  QUALIFY ewb_k8s_stage_rank(fields['stage'])
        = max(ewb_k8s_stage_rank(fields['stage'])) OVER (PARTITION BY coalesce(record_id, event_id), activity, actor_user)
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host AS cluster, activity, target, status, error_code,
       fields['impersonated_user'] AS impersonated_user, fields['impersonated_groups'] AS impersonated_groups, command_line
FROM c
ORDER BY time, event_id
