/*
id: windows.password_reset_by_other
version: 1
title: Password reset of another account
pack: privileged
families:
- windows
severity: medium
category: CC
detects: Password resets (4724) and changes (4723) performed by one account on another.
why: Resetting someone else's password hands over their identity (PCI 10.2.1.5).
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
- Helpdesk resets on request.
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
references: []
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND (service = 'Security' AND event_code IN ('4724', '4723') AND coalesce(fields['SubjectUserName'], '') <> coalesce(fields['TargetUserName'], ''))
ORDER BY time, event_id
