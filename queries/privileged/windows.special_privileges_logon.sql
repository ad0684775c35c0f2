/*
id: windows.special_privileges_logon
version: 1
title: Logons with special (administrative) privileges
pack: privileged
families:
- windows
severity: info
category: BG
detects: Sessions granted sensitive privileges (4672) or special groups (4964), excluding the built-in system accounts.
why: This is the population of administrative sessions on Windows hosts (PCI 10.2.1.2), the base for sampling.
controls:
  iso27001:
  - A.8.15
  - A.8.2
  iso27017:
  - 12.4.3
  soc2:
  - CC6.3
  - CC7.2
  pci:
  - 10.2.1.2
  nist:
  - AU-12
  - AC-6(9)
  cis:
  - '8.5'
params: []
false_positives:
- Every administrator logon and many service accounts produce 4672.
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
- privileges
references:
- Sigma win_security_admin_logon
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status, fields['PrivilegeList'] AS privileges
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND (service = 'Security' AND event_code IN ('4672', '4964') AND coalesce(fields['SubjectUserSid'], '') NOT IN ('S-1-5-18', 'S-1-5-19', 'S-1-5-20'))
ORDER BY time, event_id
