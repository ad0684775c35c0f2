/*
id: windows.system_time_changed
version: 2
title: System time changed
pack: privileged
families:
- windows
severity: medium
category: CLK
detects: System time changes (4616) other than the Windows Time service's own corrections (svchost.exe as LOCAL SERVICE)
  and VMware Tools (vmtoolsd.exe), with the time before and after.
why: Changing the clock corrupts the order of all evidence on the host and can hide activity (ISO A.8.17, PCI 10.6.3).
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
- actor_type
- target
- src_ip
- status
- process
- previous_time
- new_time
references:
- Sigma win_security_susp_time_modification
- ../shared/docs/controls.md §2.2
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       process, fields['PreviousTime'] AS previous_time, fields['NewTime'] AS new_time
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND event_code = '4616'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
  AND NOT (coalesce(fields['SubjectUserSid'], '') = 'S-1-5-19' AND coalesce(process, '') ILIKE '%\svchost.exe')
  AND coalesce(process, '') NOT ILIKE '%\vmtoolsd.exe'
ORDER BY time, event_id
