/*
id: windows.scheduled_task_created_or_changed
version: 2
title: Scheduled task created, changed or deleted
pack: privileged
families:
- windows
severity: medium
category: SO
detects: Scheduled tasks created (4698), deleted (4699), enabled (4700), disabled (4701) or updated (4702) in the
  Security log, and registered (106), updated (140) or deleted (141) in the Task Scheduler operational log, with the
  command the task runs.
why: Tasks run code on a schedule, often as SYSTEM; they are used for persistence and remote execution (PCI 10.2.1.7).
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
- Software updaters and Windows maintenance re-registering their tasks (4702 by the computer account).
- One change can appear twice, in the Security and the Task Scheduler log.
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
- task_name
- task_command
references:
- Sigma win_security_susp_scheduled_task_creation
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- The command is read from the task XML (TaskContent, or TaskContentNew for 4702): <Command> and <Arguments>.
SELECT event_id, time, host, service, event_code, activity,
       coalesce(actor_user, nullif(fields['UserContext'], '-')) AS actor_user, actor_domain, actor_type, target, src_ip, status,
       fields['TaskName'] AS task_name,
       nullif(trim(regexp_extract(coalesce(fields['TaskContent'], fields['TaskContentNew'], ''), '<Command>([^<]*)</Command>', 1) || ' '
         || regexp_extract(coalesce(fields['TaskContent'], fields['TaskContentNew'], ''), '<Arguments>([^<]*)</Arguments>', 1)), '') AS task_command
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4698' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4699' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4700' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4701' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4702' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '106' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '140' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '141' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND ((event_code IN ('4698', '4699', '4700', '4701', '4702') AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing'))
    OR (event_code IN ('106', '140', '141') AND (service = 'Microsoft-Windows-TaskScheduler/Operational' OR fields['Provider'] = 'Microsoft-Windows-TaskScheduler')))
ORDER BY time, event_id
