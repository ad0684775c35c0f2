/*
id: windows.audit_log_cleared
version: 2
title: Windows event log cleared
pack: privileged
families:
- windows
severity: critical
category: LT
detects: The Security log cleared (1102, legacy 517) or another log cleared (System 104), with the account that cleared
  it and the log that was cleared.
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
- Lab and freshly built machines cleared before use.
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
- cleared_log
- backup_path
references:
- Sigma win_security_audit_log_cleared
- Sigma win_system_eventlog_cleared
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- The cleared log: 1102 always clears Security; 104 names it in UserData Channel. Collectors that flatten the record
-- (Logstash) let the System channel overwrite that field, so the rendered message is read first when there is one.
-- The target is that log too (written here rather than taken from the normalized column, which names it only when the
-- event arrived in its own channel).
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type,
       CASE WHEN event_code IN ('1102', '517') THEN 'Security'
            ELSE coalesce(nullif(regexp_extract(fields['Message'], '^The (.+) log file was cleared', 1), ''), fields['Channel']) END AS target,
       src_ip, status,
       CASE WHEN event_code IN ('1102', '517') THEN 'Security'
            ELSE coalesce(nullif(regexp_extract(fields['Message'], '^The (.+) log file was cleared', 1), ''), fields['Channel']) END AS cleared_log,
       nullif(fields['BackupPath'], '-') AS backup_path
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '1102' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '517' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '104' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  -- By channel, or by provider when the events were forwarded (ForwardedEvents) or the export has no channel. Other
  -- providers also use the number 104, so a System 104 counts only when its provider is the event log service or unknown.
  AND ((event_code IN ('1102', '517') AND (service = 'Security' OR fields['Provider'] IN ('Microsoft-Windows-Eventlog', 'Eventlog')))
    OR (event_code = '104' AND (fields['Provider'] IN ('Microsoft-Windows-Eventlog', 'Eventlog') OR (service = 'System' AND fields['Provider'] IS NULL))))
ORDER BY time, event_id
