/*
id: windows.event_logging_stopped
version: 1
title: Windows event logging service shut down
pack: privileged
families:
- windows
severity: high
category: LT
detects: The event logging service reporting its own shutdown (1100).
why: Logging stops until the service restarts; outside reboots this is tampering (PCI 10.2.1.6, 10.7.2).
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
- System shutdowns and reboots (look for the following boot).
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
references: []
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND (service = 'Security' AND event_code = '1100')
ORDER BY time, event_id
