/*
id: azure.policy_or_lock_removed
version: 1
title: Azure Policy assignment deleted, exemption granted or resource lock removed
pack: privileged
families:
- azure
severity: high
category: PC
detects: Successful deletions of Azure Policy assignments (Microsoft.Authorization/policyAssignments/delete), new or
  changed policy exemptions (policyExemptions/write) and deletions of resource locks (Microsoft.Authorization/locks/delete)
  at any scope.
why: Policy assignments and locks are the guardrails that keep resources compliant and undeletable; removing one is a
  change to the control environment that should be approved and is a common step before destructive actions.
controls:
  iso27001:
  - A.8.15
  - A.8.9
  soc2:
  - CC6.1
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - CM-5
  - AU-12
params: []
false_positives:
- A lock removed for planned maintenance and put back afterwards (look for the matching locks/write).
- Policy assignments replaced by an initiative during a governance redesign.
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
- guardrail
- name
references:
- ../shared/docs/controls.md §2.4
- Panther Azure.MonitorActivity.Authorization.ResourceLockDeleted
*/
SELECT event_id, time, actor_user, actor_type, src_ip, cloud_account, activity, target, status,
  CASE WHEN lower(activity) LIKE '%/locks/delete' THEN 'resource lock removed'
       WHEN lower(activity) LIKE '%/policyexemptions/write' THEN 'policy exemption created or changed'
       ELSE 'policy assignment deleted' END AS guardrail,
  nullif(regexp_extract(target, '(?i)/(?:locks|policyAssignments|policyExemptions)/([^/]+)$', 1), '') AS name
FROM events
WHERE source_family = 'azure'
  AND time >= $period_start AND time < $period_end
  AND (status = 'success'
       AND lower(activity) IN ('microsoft.authorization/locks/delete', 'microsoft.authorization/policyassignments/delete',
                               'microsoft.authorization/policyexemptions/write'))
ORDER BY time, event_id
