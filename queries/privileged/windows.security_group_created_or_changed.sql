/*
id: windows.security_group_created_or_changed
version: 1
title: Security-enabled group created, changed or deleted
pack: privileged
families:
- windows
severity: medium
category: AL
detects: Security-enabled global, local and universal groups created (4727, 4731, 4754), changed (4735, 4737, 4755)
  or deleted (4730, 4734, 4758).
why: Security groups carry permissions; a new group, a renamed one or one whose scope or SID History changed alters
  who holds which rights (PCI 10.2.1.5), and deletions remove the trail of who had access.
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
- Group lifecycle managed by identity-governance tooling.
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
- group_sid
- sam_account_name
- sid_history
references:
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       nullif(fields['TargetSid'], '-') AS group_sid,
       nullif(fields['SamAccountName'], '-') AS sam_account_name,
       nullif(nullif(nullif(trim(regexp_replace(coalesce(fields['SidHistory'], ''), '\s+', ' ', 'g')), '-'), '%%1793'), '') AS sid_history
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4727' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4731' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4754' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4735' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4737' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4755' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4730' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4734' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4758' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
ORDER BY time, event_id
