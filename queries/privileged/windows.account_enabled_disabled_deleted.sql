/*
id: windows.account_enabled_disabled_deleted
version: 2
title: Windows account enabled, disabled or deleted
pack: privileged
families:
- windows
severity: low
category: AL
detects: User accounts enabled (4722), disabled (4725) or deleted (4726) and computer accounts deleted (4743).
why: Lifecycle events complete the joiner/mover/leaver trail; enabling a dormant or built-in account (Guest) is a
  takeover technique.
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
- A user created with a password that fails the policy is deleted again at once by Windows (net user /add).
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
- target_sid
references:
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       nullif(fields['TargetSid'], '-') AS target_sid
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4722' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4725' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4726' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4743' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
ORDER BY time, event_id
