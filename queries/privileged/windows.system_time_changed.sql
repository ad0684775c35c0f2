/*
id: windows.system_time_changed
version: 1
title: System time changed
pack: privileged
families:
- windows
severity: medium
category: CLK
detects: System time changes (4616) other than those by the LOCAL SERVICE time service and VM tools.
why: Changing the clock corrupts the order of all evidence on the host (ISO A.8.17, PCI 10.6.3).
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
- Manual corrections after a time-sync failure.
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
- previous_time
- new_time
references:
- Sigma win_security_susp_time_modification
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status, fields['PreviousTime'] AS previous_time, fields['NewTime'] AS new_time
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND (service = 'Security' AND event_code = '4616' AND coalesce(fields['SubjectUserSid'], '') NOT IN ('S-1-5-19') AND coalesce(process, '') NOT ILIKE '%vmtoolsd.exe')
ORDER BY time, event_id
