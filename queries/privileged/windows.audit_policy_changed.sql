/*
id: windows.audit_policy_changed
version: 1
title: Audit policy changed
pack: privileged
families:
- windows
severity: high
category: LT
detects: System audit policy (4719), per-user audit policy (4912), CrashOnAuditFail (4906) and object auditing settings
  (4907) changes.
why: Turning audit subcategories off silences exactly the events an auditor relies on (%%8448 / %%8450 mean success/failure
  auditing removed).
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
- Group Policy refreshes re-applying the same settings.
columns:
- event_id
- time
- host
- service
- event_code
- activity
- actor_user
- actor_domain
- target
- src_ip
- status
- subcategory
- changes
references:
- Sigma win_security_disable_event_auditing
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status, fields['SubcategoryGuid'] AS subcategory, fields['AuditPolicyChanges'] AS changes
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND (service = 'Security' AND event_code IN ('4719', '4912', '4906', '4907'))
ORDER BY time, event_id
