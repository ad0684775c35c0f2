/*
id: windows.logging_disabled_via_registry
version: 1
title: Event logging disabled or redirected through the registry
pack: privileged
families:
- windows
severity: high
category: LT
detects: 'Registry writes (Sysmon 12/13, Security 4657) that switch logging off or move it: the EventLog service start
  type set to other than automatic, a log''s file path changed, the MiniNt key created (event logging off at the next
  boot), process command-line auditing, PowerShell script block / module logging or transcription set to 0 or deleted,
  an event channel, an EventLog autologger session or one of its providers disabled.'
why: These changes stop or divert the evidence without clearing a log, so no 1102/104 is written; the registry write is
  often the only trace (PCI 10.2.1.6, 10.7.2).
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
- Documented logging policy changes pushed by Group Policy (check the change record).
- Moving a log file to a larger disk on purpose (wevtutil sl /lf).
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
- change
- new_value
- process
references:
- MITRE ATT&CK T1562.002 Disable Windows Event Logging
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality (and a condition on one cheap column, here the registry path in
-- target) into the scan, so `fields` is read only for those events (an IN list is not pushed: every event's fields
-- would be read).
-- One lower-case key path for both sources: Sysmon's TargetObject (HKLM\...), or 4657's ObjectName\ObjectValueName
-- (\REGISTRY\MACHINE\...); only the tail of the path is matched, so ControlSet001 and CurrentControlSet both count.
-- "Off" is a DWORD 0 (Sysmon "DWORD (0x00000000)", 4657 "0") or the value deleted (Sysmon DeleteValue, 4657 %%1906).
WITH r AS (
  SELECT *,
         lower(coalesce(fields['TargetObject'], fields['ObjectName'] || '\' || fields['ObjectValueName'])) AS k,
         coalesce(fields['Details'], fields['NewValue']) AS v,
         coalesce(fields['EventType'] = 'DeleteValue' OR fields['OperationType'] = '%%1906', false) AS deleted
  FROM (
    SELECT * FROM events WHERE source_family = 'windows' AND event_code = '12' AND time >= $period_start AND time < $period_end
      AND regexp_matches(target, '(?i)\\services\\eventlog|\\control\\minint|processcreationincludecmdline_enabled|\\powershell\\|\\winevt\\channels\\|\\autologger\\eventlog-')
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '13' AND time >= $period_start AND time < $period_end
      AND regexp_matches(target, '(?i)\\services\\eventlog|\\control\\minint|processcreationincludecmdline_enabled|\\powershell\\|\\winevt\\channels\\|\\autologger\\eventlog-')
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4657' AND time >= $period_start AND time < $period_end
  ) AS e
  WHERE source_family = 'windows'
    AND ((event_code IN ('12', '13') AND (service = 'Microsoft-Windows-Sysmon/Operational' OR fields['Provider'] = 'Microsoft-Windows-Sysmon'))
      OR (event_code = '4657' AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')))
),
c AS (
  SELECT *,
         (v IN ('DWORD (0x00000000)', '0') OR deleted) AS off,
         CASE
           WHEN regexp_matches(k, '\\services\\eventlog\\start$') THEN 'EventLog service start type changed'
           WHEN regexp_matches(k, '\\services\\eventlog\\[^\\]+\\file$') THEN 'event log file path changed'
           WHEN regexp_matches(k, '\\control\\minint(\\|$)') THEN 'MiniNt key written (event logging off at next boot)'
           WHEN regexp_matches(k, '\\policies\\system\\audit\\processcreationincludecmdline_enabled$') THEN 'process command-line auditing'
           WHEN regexp_matches(k, '\\powershell\\scriptblocklogging\\enablescriptblocklogging$') THEN 'PowerShell script block logging'
           WHEN regexp_matches(k, '\\powershell\\modulelogging\\enablemodulelogging$') THEN 'PowerShell module logging'
           WHEN regexp_matches(k, '\\powershell\\transcription\\enabletranscripting$') THEN 'PowerShell transcription'
           WHEN regexp_matches(k, '\\winevt\\channels\\[^\\]+\\enabled$') THEN 'event channel enabled flag'
           WHEN regexp_matches(k, '\\control\\wmi\\autologger\\eventlog-[^\\]+(\\\{[^\\]+\})?\\(start|enabled)$') THEN 'EventLog autologger session or provider'
         END AS what
  FROM r
  WHERE k LIKE '%\services\eventlog%' OR k LIKE '%\control\minint%' OR k LIKE '%processcreationincludecmdline_enabled'
     OR k LIKE '%\powershell\%' OR k LIKE '%\winevt\channels\%' OR k LIKE '%\autologger\eventlog-%'
)
-- Sysmon's actor is its User field; its actor_type is derived from that field here (a forwarded Sysmon record would
-- otherwise be typed by the Sysmon service's own SID).
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain,
       CASE WHEN event_code IN ('12', '13') THEN CASE WHEN nullif(fields['User'], '-') IS NULL THEN NULL
            WHEN upper(regexp_extract(fields['User'], '([^\\]*)$', 1)) IN ('SYSTEM', 'LOCAL SERVICE', 'NETWORK SERVICE') THEN 'system'
            WHEN fields['User'] LIKE '%$' THEN 'computer' ELSE 'user' END ELSE actor_type END AS actor_type,
       target, src_ip, status,
       CASE WHEN what IN ('process command-line auditing', 'PowerShell script block logging', 'PowerShell module logging',
                          'PowerShell transcription', 'event channel enabled flag', 'EventLog autologger session or provider')
            THEN what || (CASE WHEN deleted THEN ' setting deleted' ELSE ' turned off' END) ELSE what END AS change,
       v AS new_value, process
FROM c
WHERE (what = 'EventLog service start type changed' AND NOT deleted AND coalesce(v, '') NOT IN ('DWORD (0x00000002)', '2'))
   OR (what = 'event log file path changed' AND NOT deleted)
   OR (what LIKE 'MiniNt%' AND coalesce(fields['EventType'], '') NOT IN ('DeleteKey', 'DeleteValue') AND NOT deleted)
   OR (what IN ('process command-line auditing', 'PowerShell script block logging', 'PowerShell module logging',
                'PowerShell transcription', 'event channel enabled flag', 'EventLog autologger session or provider') AND off)
ORDER BY time, event_id
