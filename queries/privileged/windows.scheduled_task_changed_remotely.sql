/*
id: windows.scheduled_task_changed_remotely
version: 1
title: Scheduled task created or updated over a network logon
pack: privileged
families:
- windows
severity: high
category: SO
detects: Scheduled tasks created (4698) or updated (4702) in a logon session that was a network logon (4624, logon
  type 3) on the same computer, with the account and source address of that logon.
why: Creating or changing a task from another machine (schtasks /s, Task Scheduler RPC) is a standard
  lateral-movement and remote-execution step; an administrator normally manages tasks locally or through policy.
controls:
  iso27001:
  - A.8.15
  soc2:
  - CC7.2
  pci:
  - 10.2.1.7
  - 10.2.1.2
  nist:
  - AU-12
  - CM-5
params: []
false_positives:
- Remote administration and deployment tools that register tasks over the network.
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
- logon_event_id
- logon_time
- logon_id
references:
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- The task event's SubjectLogonId is matched to the TargetLogonId of a type 3 logon (4624) on the same host that
-- happened before it (the latest one: logon ids are reused after a restart). Ids are compared as numbers
-- (0x00000000021a8c68 = 0x21a8c68); the shared SYSTEM, LOCAL SERVICE and NETWORK SERVICE sessions are skipped.
WITH t AS (
  SELECT *, try_cast(fields['SubjectLogonId'] AS UBIGINT) AS lid
  FROM (
    SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4698' AND time >= $period_start AND time < $period_end
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4702' AND time >= $period_start AND time < $period_end
  ) AS e
  WHERE source_family = 'windows'
    AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
),
l AS (
  SELECT event_id AS logon_event_id, time AS logon_time, host, src_ip AS logon_ip, fields['TargetLogonId'] AS logon_id,
         try_cast(fields['TargetLogonId'] AS UBIGINT) AS lid
  FROM events
  WHERE source_family = 'windows'
    AND event_code = '4624'
    AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
    AND fields['LogonType'] = '3'
    AND host IN (SELECT host FROM t)
),
m AS (
  SELECT t.event_id, arg_max(l.logon_event_id, (l.logon_time, l.logon_event_id)) AS logon_event_id
  FROM t JOIN l ON l.host = t.host AND l.lid = t.lid AND l.logon_time <= t.time
  WHERE t.lid NOT IN (999, 996, 997)
  GROUP BY t.event_id
)
SELECT t.event_id, t.time, t.host, t.service, t.event_code, t.activity, t.actor_user, t.actor_domain, t.actor_type, t.target,
       coalesce(t.src_ip, l.logon_ip) AS src_ip, t.status, l.logon_event_id, l.logon_time, l.logon_id
FROM t JOIN m ON m.event_id = t.event_id JOIN l ON l.logon_event_id = m.logon_event_id
ORDER BY t.time, t.event_id
