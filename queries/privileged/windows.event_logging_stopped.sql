/*
id: windows.event_logging_stopped
version: 2
title: Windows event log service stopped, crashed, restarted or disabled
pack: privileged
families:
- windows
severity: high
category: LT
detects: 'The event log service reporting its own shutdown (Security 1100) and the service control manager reporting
  the Windows Event Log service (EventLog) stopping or starting (7036), ending unexpectedly (7031, 7034) or having its
  start type changed (7040).'
why: Nothing is logged while the service is down; outside a reboot, a stop, a crash followed by a restart or a start
  type set to disabled is tampering (PCI 10.2.1.6, 10.7.2).
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
- System shutdowns and reboots (look for the boot events that follow).
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
- state
references:
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- The service control manager names the service by its display name (param1, localized) and, in the binary data of
-- 7036, by its key name in UTF-16 ("EventLog/<state>", hex 4500760065006E0074004C006F0067002F...), which is read too.
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type,
       CASE WHEN event_code = '1100' THEN 'EventLog' ELSE coalesce(target, fields['param1']) END AS target, src_ip, status,
       CASE event_code WHEN '1100' THEN 'shut down'
                       WHEN '7036' THEN fields['param2']
                       WHEN '7040' THEN fields['param2'] || ' -> ' || fields['param3']
                       ELSE 'terminated unexpectedly' END AS state
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '1100' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '7036' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '7031' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '7034' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '7040' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND ((event_code = '1100' AND (service = 'Security' OR fields['Provider'] IN ('Microsoft-Windows-Eventlog', 'Eventlog')))
    OR (event_code <> '1100' AND (service = 'System' OR fields['Provider'] = 'Service Control Manager')
        AND (fields['param1'] IN ('Windows Event Log', 'EventLog') OR fields['param4'] = 'EventLog'
             OR upper(fields['Binary']) LIKE '4500760065006E0074004C006F0067002F%')))
ORDER BY time, event_id
