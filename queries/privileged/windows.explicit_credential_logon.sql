/*
id: windows.explicit_credential_logon
version: 2
title: Logon with explicit credentials
pack: privileged
families:
- windows
severity: low
category: BG
detects: A process logging on with credentials other than its own (4648 - runas, mapped drives, remote tools), with the
  credentials used (target) and the server they were sent to.
why: Explicit credential use is how administrators and attackers move between accounts and hosts.
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
- Scheduled tasks and services configured with alternate credentials.
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
- target_server
- process
references:
- Sigma win_security_susp_logon_explicit_credentials
- ../shared/docs/controls.md §2.2
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       nullif(fields['TargetServerName'], '-') AS target_server, process
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND event_code = '4648'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
ORDER BY time, event_id
