/*
id: kubernetes.pod_exec_or_attach
version: 2
title: Interactive access into pods (exec, attach, port-forward, debug)
pack: privileged
families:
- kubernetes
severity: medium
category: BG
detects: Requests on the exec, attach and portforward subresources of pods and ephemeral debug containers added to a
  running pod (kubectl exec, attach, cp, port-forward, debug), not failed, by anyone; with the command kubectl sent
  and the container. One row per request (its last logged stage).
why: A shell inside a running container bypasses the deployment pipeline and reaches the workload's data and service
  account token; in production every such session is administrative access to be justified (PCI 10.2.1.2).
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
- Troubleshooting by on-call engineers; kubectl cp used to collect diagnostics.
- Health checks or backup tools that exec into pods (their service account is shown).
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
- access
- container
- command_line
references:
- ../shared/docs/controls.md §2.7
- Panther Kubernetes.Pod.Exec
- Sigma kubernetes_audit_exec_into_container
*/
WITH c AS (
  SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host, activity, target, status, command_line, fields
  FROM events
  WHERE source_family = 'kubernetes'
    AND time >= $period_start AND time < $period_end
    AND activity IN ('create pods/exec', 'get pods/exec', 'create pods/attach', 'get pods/attach', 'create pods/portforward',
                     'get pods/portforward', 'update pods/ephemeralcontainers', 'patch pods/ephemeralcontainers')
  -- one row per request: the last stage logged of it
  QUALIFY ewb_k8s_stage_rank(fields['stage'])
        = max(ewb_k8s_stage_rank(fields['stage'])) OVER (PARTITION BY coalesce(record_id, event_id), activity, actor_user)
)
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, host AS cluster, activity, target, status,
       fields['subresource'] AS access,
       nullif(url_decode(regexp_extract(fields['request_uri'], '[?&]container=([^&]*)', 1)), '') AS container,
       command_line
FROM c
WHERE status IS DISTINCT FROM 'failure'
ORDER BY time, event_id
