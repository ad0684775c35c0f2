/*
id: kubernetes.privileged_request_denied
version: 2
title: Denied requests on privileged Kubernetes resources
pack: privileged
families:
- kubernetes
severity: low
category: FP
detects: Requests answered 401 or 403 that touched secrets, RBAC roles and bindings, pod exec, attach, port-forward and
  debug, service account tokens, certificate signing requests, node proxy, admission webhooks and policies, or that
  tried to impersonate another identity; by anyone but the cluster's own components (system:* users other than
  service accounts, nodes, eks:*, AKS masterclient and aksService). One row per request (its last logged stage), with
  the API server's message.
why: Refused attempts on the resources that grant control of the cluster show probing or a stolen low-privilege
  credential; failed privileged attempts are to be reviewed (PCI 10.2.1.4).
controls:
  iso27001:
  - A.8.15
  - A.8.16
  soc2:
  - CC7.2
  pci:
  - 10.2.1.4
  nist:
  - AU-12
  - AC-7
params: []
false_positives:
- Tools and dashboards that probe what the current user may do and handle the 403.
- Workloads whose RBAC was tightened before their configuration was updated.
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
- response_message
references:
- ../shared/docs/controls.md §2.7
- Sigma kubernetes_audit_unauthorized_unauthenticated_actions
*/
WITH c AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host, activity, target, status, error_code, fields
  FROM events
  WHERE source_family = 'kubernetes'
    AND time >= $period_start AND time < $period_end
    AND status = 'failure' AND error_code IN ('401', '403')
    AND NOT (coalesce(actor_type IN ('system', 'node'), false) OR coalesce(actor_user IN ('masterclient', 'aksService'), false))
    AND (split_part(activity, ' ', 2) IN ('secrets', 'roles', 'clusterroles', 'rolebindings', 'clusterrolebindings', 'pods/exec',
                                          'pods/attach', 'pods/portforward', 'pods/ephemeralcontainers', 'serviceaccounts/token',
                                          'certificatesigningrequests', 'certificatesigningrequests/approval', 'nodes/proxy',
                                          'mutatingwebhookconfigurations', 'validatingwebhookconfigurations',
                                          'validatingadmissionpolicies', 'validatingadmissionpolicybindings')
         OR fields['response_message'] LIKE '%cannot impersonate%')
  -- one row per request: the last stage logged of it
  QUALIFY ewb_k8s_stage_rank(fields['stage'])
        = max(ewb_k8s_stage_rank(fields['stage'])) OVER (PARTITION BY coalesce(record_id, event_id), activity, actor_user)
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host AS cluster, activity, target, status, error_code,
       fields['response_message'] AS response_message
FROM c
ORDER BY time, event_id
