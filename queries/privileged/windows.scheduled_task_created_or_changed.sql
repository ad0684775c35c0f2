/*
id: windows.scheduled_task_created_or_changed
version: 1
title: Scheduled task created, changed or deleted
pack: privileged
families:
- windows
severity: medium
category: SO
detects: Scheduled tasks created (4698), deleted (4699), enabled (4700), disabled (4701) or updated (4702).
why: Tasks run code on a schedule, often as SYSTEM; they are used for persistence and remote execution.
controls:
  iso27001:
  - A.8.15
  soc2:
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - AU-12
  - CM-5
params: []
false_positives:
- Software updaters registering their tasks.
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
- task_name
references:
- Sigma win_security_susp_scheduled_task_creation
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status, fields['TaskName'] AS task_name
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND (service = 'Security' AND event_code IN ('4698', '4699', '4700', '4701', '4702'))
ORDER BY time, event_id
