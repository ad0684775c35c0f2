/*
id: windows.machine_account_changed_by_anonymous
version: 2
title: Computer account changed by ANONYMOUS LOGON (Zerologon)
pack: privileged
families:
- windows
severity: critical
category: PG
detects: Computer account changes (4742), such as a password reset, made by the anonymous logon (S-1-5-7).
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
- actor_type
- target
- src_ip
- status
- password_last_set
references:
- Sigma win_security_susp_computer_name_anonymous
- ../shared/docs/controls.md §2.2
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       nullif(fields['PasswordLastSet'], '-') AS password_last_set
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND event_code = '4742'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
  AND (fields['SubjectUserSid'] = 'S-1-5-7' OR fields['SubjectUserName'] = 'ANONYMOUS LOGON')
ORDER BY time, event_id
