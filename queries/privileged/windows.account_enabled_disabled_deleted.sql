/*
id: windows.account_enabled_disabled_deleted
version: 1
title: Windows account enabled, disabled or deleted
pack: privileged
families:
- windows
severity: low
category: AL
detects: Accounts enabled (4722), disabled (4725), deleted (4726) and computer accounts deleted (4743).
why: Lifecycle events complete the joiner/mover/leaver trail; enabling a dormant account is a takeover technique.
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
- Leaver processing.
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
  AND (service = 'Security' AND event_code IN ('4722', '4725', '4726', '4743'))
ORDER BY time, event_id
