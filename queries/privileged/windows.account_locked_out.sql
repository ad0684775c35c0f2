/*
id: windows.account_locked_out
version: 1
title: Account locked out
pack: privileged
families:
- windows
severity: low
category: FP
detects: Accounts locked out after repeated failures (4740).
why: Lockouts show sustained failed access attempts against an account.
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
- Users with stale credentials on a phone.
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
  AND (service = 'Security' AND event_code = '4740')
ORDER BY time, event_id
