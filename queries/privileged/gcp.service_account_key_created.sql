/*
id: gcp.service_account_key_created
version: 1
title: GCP service-account key created
pack: privileged
families:
- gcp
severity: high
category: CC
detects: Successful creation or upload of a user-managed service-account key (CreateServiceAccountKey,
  UploadServiceAccountKey), and any other call that was granted the iam.serviceAccountKeys.create permission (e.g. a
  Deployment Manager deployment creating a key).
why: A downloaded key is a long-lived credential that works from anywhere until it is deleted; creating one is a
  persistence technique and keys should be rare and tracked (CIS GCP 1.4, PCI 10.2.1.5).
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
  - IA-5
  - AU-12
params: []
false_positives:
- Workloads outside Google Cloud that cannot use workload identity federation, with a documented key-rotation process.
columns:
- event_id
- time
- actor_user
- actor_type
- src_ip
- cloud_account
- activity
- target
- status
- user_agent
- permissions
references:
- Panther GCP.iam.serviceAccountKeys.create
- ../shared/docs/controls.md §2.5
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status, user_agent, fields['permissions'] AS permissions
FROM events
WHERE source_family = 'gcp'
  AND time >= $period_start AND time < $period_end
  AND (status = 'success'
       AND (activity LIKE '%CreateServiceAccountKey' OR activity LIKE '%UploadServiceAccountKey'
            OR contains(coalesce(fields['permissions'], ''), 'iam.serviceAccountKeys.create'))
       AND NOT contains(coalesce(fields['denied_permissions'], ''), 'iam.serviceAccountKeys.create'))
ORDER BY time, event_id
