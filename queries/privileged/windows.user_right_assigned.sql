/*
id: windows.user_right_assigned
version: 2
title: User right assigned
pack: privileged
families:
- windows
severity: high
category: PG
detects: User rights (privileges, 4704) or system security access rights (logon rights, 4717) granted to an account,
  with the rights granted.
why: Rights such as SeDebugPrivilege, SeImpersonatePrivilege or SeEnableDelegationPrivilege are administrator-equivalent
  (PCI 10.2.1.5).
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
- actor_type
- target
- src_ip
- status
- rights
references:
- Sigma win_security_alert_active_directory_user_control
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type,
       coalesce(target, nullif(fields['TargetSid'], '-')) AS target, src_ip, status,
       nullif(trim(regexp_replace(coalesce(fields['PrivilegeList'], fields['AccessGranted'], ''), '\s+', ' ', 'g')), '') AS rights
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4704' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4717' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
ORDER BY time, event_id
