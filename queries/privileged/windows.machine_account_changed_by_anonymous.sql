/*
id: windows.machine_account_changed_by_anonymous
version: 1
title: Computer account changed by ANONYMOUS LOGON (Zerologon)
pack: privileged
families:
- windows
severity: critical
category: PG
detects: Computer account changes (4742), such as a password reset, made by the anonymous logon.
why: An anonymous change to a domain controller machine account is the signature of the Zerologon exploit (CVE-2020-1472).
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
- None expected.
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
references:
- Sigma win_security_susp_computer_name_anonymous
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND (service = 'Security' AND event_code = '4742' AND (fields['SubjectUserName'] = 'ANONYMOUS LOGON' OR fields['SubjectUserSid'] = 'S-1-5-7'))
ORDER BY time, event_id
