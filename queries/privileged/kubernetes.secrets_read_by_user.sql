/*
id: kubernetes.secrets_read_by_user
version: 2
title: Secrets read, listed or watched by human users (denied attempts included)
pack: privileged
families:
- kubernetes
severity: medium
category: CC
detects: get, list and watch requests on secrets made by user identities (not service accounts, nodes, anonymous or
  the cluster's own system:* and eks:* components, nor AKS masterclient and aksService), whatever the outcome; a list
  or watch without a namespace reads the secrets of every namespace. One row per request (its last logged stage).
why: Secrets hold the cluster's credentials (tokens, passwords, keys); people reading them directly, instead of
  workloads mounting them, is access to authentication data to be justified (PCI 10.2.1.1, 10.2.1.2), and a
  cluster-wide list is a bulk credential dump.
controls:
  iso27001:
  - A.8.15
  - A.8.3
  soc2:
  - CC6.1
  - CC6.3
  pci:
  - 10.2.1.1
  - 10.2.1.2
  nist:
  - AU-12
  - AC-6(9)
params: []
false_positives:
- Administrators inspecting a secret while troubleshooting a deployment.
- kubectl or dashboards run under a personal identity that list secrets to display a namespace.
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
- all_namespaces
- user_agent
references:
- ../shared/docs/controls.md §2.7
- Panther Kubernetes.BulkSecretAccess
- Panther Kubernetes.Secrets.DumpAllNamespaces
- Sigma kubernetes_audit_secrets_enumeration
*/
WITH c AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host, activity, target, status, error_code, user_agent
  FROM events
  WHERE source_family = 'kubernetes'
    AND time >= $period_start AND time < $period_end
    AND activity IN ('get secrets', 'list secrets', 'watch secrets')
    AND actor_type = 'user' AND actor_user NOT IN ('masterclient', 'aksService')
  -- one row per request: the last stage logged of it
  QUALIFY ewb_k8s_stage_rank(fields['stage'])
        = max(ewb_k8s_stage_rank(fields['stage'])) OVER (PARTITION BY coalesce(record_id, event_id), activity, actor_user)
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host AS cluster, activity, target, status, error_code,
       (activity IN ('list secrets', 'watch secrets') AND target = 'secrets') AS all_namespaces, user_agent
FROM c
ORDER BY time, event_id
