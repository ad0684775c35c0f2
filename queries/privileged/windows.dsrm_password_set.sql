/*
id: windows.dsrm_password_set
version: 2
title: Directory Services Restore Mode password set
pack: privileged
families:
- windows
severity: high
category: CC
detects: The DSRM administrator password of a domain controller being set (4794), with the workstation it was set from.
why: The DSRM account is a local administrator of the domain controller that survives domain password resets; with
  DsrmAdminLogonBehavior changed it becomes a persistent backdoor.
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
- Documented DC recovery procedures.
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
- workstation
- error_code
references:
- Sigma win_security_susp_dsrm_password_change
- ../shared/docs/controls.md §2.2
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type,
       nullif(fields['Workstation'], '-') AS target, src_ip, status,
       nullif(fields['Workstation'], '-') AS workstation, fields['Status'] AS error_code
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND event_code = '4794'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
ORDER BY time, event_id
