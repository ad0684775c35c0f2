/*
id: gaps.clock_changes
version: 1
title: System clock changes across families
pack: gaps
families:
- windows
- linux
severity: medium
category: CLK
detects: 'Explicit clock changes: Windows 4616 (other than by the time service), Linux systemd/timedatectl and audit
  time-change records.'
why: A changed clock shifts every later record of that host; gaps and orderings must be read with it (ISO A.8.17,
  PCI 10.6.3).
controls:
  iso27001:
  - A.8.17
  iso27017:
  - 12.4.4
  pci:
  - 10.6.3
  nist:
  - AU-8
  cis:
  - '8.4'
params: []
false_positives:
- Corrections after time-sync outages.
columns:
- event_id
- time
- stream
- host
- activity
- event_code
- actor_user
- detail
references:
- Sigma win_security_susp_time_modification
- Wazuh 40705
*/
SELECT event_id, time, stream, host, activity, event_code, actor_user,
       coalesce(fields['PreviousTime'] || ' -> ' || fields['NewTime'], fields['message'], left(raw, 200)) AS detail
FROM events
WHERE time >= $period_start AND time < $period_end
  AND ((source_family = 'windows' AND service = 'Security' AND event_code = '4616' AND coalesce(fields['SubjectUserSid'], '') <> 'S-1-5-19')
    OR (source_family = 'linux' AND (activity = 'system_time_changed' OR raw LIKE '%type=TIME_INJOFFSET%' OR raw LIKE '%type=TIME_ADJNTPVAL%')))
ORDER BY time, event_id
