/*
id: windows.user_right_assigned
version: 1
title: User right assigned
pack: privileged
families:
- windows
severity: high
category: PG
detects: User rights (4704) or system security access (4717) granted to an account.
why: Rights such as SeDebugPrivilege or SeEnableDelegationPrivilege are administrator-equivalent.
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
  - AU-12
params: []
false_positives:
- Group Policy assigning rights to service accounts.
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
- rights
references:
- Sigma win_security_alert_active_directory_user_control
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status, coalesce(fields['PrivilegeList'], fields['AccessGranted']) AS rights
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND (service = 'Security' AND event_code IN ('4704', '4717'))
ORDER BY time, event_id
