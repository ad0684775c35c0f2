/*
id: windows.audit_log_cleared
version: 1
title: Windows event log cleared
pack: privileged
families:
- windows
severity: critical
category: LT
detects: The Security log cleared (1102) or another log cleared (System 104).
why: Clearing a log destroys evidence; the Security log cannot be cleared without a privileged account (PCI 10.2.1.6,
  10.3).
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  soc2:
  - CC7.2
  pci:
  - 10.2.1.6
  - 10.7.2
  nist:
  - AU-9
  - AU-5
  cis:
  - '8.2'
params: []
false_positives:
- 'Log rotation by documented tooling (rare: Windows archives rather than clears).'
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
- cleared_log
references:
- Sigma win_security_audit_log_cleared
- Sigma win_system_eventlog_cleared
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status, coalesce(fields['Channel'], CASE WHEN event_code = '1102' THEN 'Security' END) AS cleared_log
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND ((service = 'Security' AND event_code IN ('1102', '517')) OR (service = 'System' AND event_code = '104'))
ORDER BY time, event_id
