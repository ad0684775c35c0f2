/*
id: windows.account_changed
version: 1
title: User account changed (incl. SID history, renames)
pack: privileged
families:
- windows
severity: medium
category: PG
detects: Account attribute changes (4738), renames (4781) and SID History added (4765) or attempted (4766).
why: SID History and UAC flag changes can grant hidden privileges.
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
- Routine attribute updates from identity management.
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
- sid_history
- uac_change
references:
- Sigma win_security_susp_add_sid_history
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status, fields['SidHistory'] AS sid_history, fields['UserAccountControl'] AS uac_change
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND (service = 'Security' AND event_code IN ('4738', '4781', '4765', '4766'))
ORDER BY time, event_id
