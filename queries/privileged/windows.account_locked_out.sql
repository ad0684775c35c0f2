/*
id: windows.account_locked_out
version: 2
title: Account locked out
pack: privileged
families:
- windows
severity: low
category: FP
detects: Accounts locked out after repeated failed logons (4740), with the computer the failures came from (the
  locked account is the target).
why: Lockouts show sustained failed access attempts against an account (PCI 10.2.1.4).
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
- Users with stale credentials on a phone or a mapped drive.
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
- caller_computer
references:
- ../shared/docs/controls.md §2.2
*/
-- 4740 writes the caller computer in TargetDomainName, so the locked account is TargetUserName alone.
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type,
       nullif(fields['TargetUserName'], '-') AS target, src_ip, status,
       nullif(fields['TargetDomainName'], '-') AS caller_computer
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND event_code = '4740'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
ORDER BY time, event_id
