/*
id: windows.logging_tamper_command
version: 1
title: Command run to clear, disable or redirect event logging
pack: privileged
families:
- windows
severity: high
category: LT
detects: 'Process creations (Security 4688, Sysmon 1) and PowerShell activity (4104 script blocks, 4103 module
  logging, 800 pipeline execution) whose command clears a log (wevtutil cl, Clear-EventLog, EventLogSession ClearLog,
  wmic nteventlog), disables or moves one (wevtutil sl /e:false or /lf:), clears, removes or disables audit policy
  (auditpol /clear, /remove, /set ...:disable), stops or reconfigures the EventLog service, or writes the logging
  registry settings off (MiniNt key, EventLog start type or file, command-line and PowerShell logging).'
why: The command is recorded even when the attempt fails or the log it targets is not collected, so it shows intent
  to destroy or silence evidence (PCI 10.2.1.6, 10.7.2).
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
- Administrators exporting or resizing logs with documented scripts.
- One command appears in several logs (4688 and Sysmon 1; 4104, 4103 and 800) and in its parent cmd.exe /c line.
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
- command
- process
references:
- MITRE ATT&CK T1070.001 Clear Windows Event Logs, T1562.002 Disable Windows Event Logging
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality (and a condition on one cheap column, here a coarse test of
-- command_line for process creations) into the scan, so `fields` is read only for those events (an IN list is not
-- pushed: every event's fields would be read).
-- The command: CommandLine (4688, Sysmon 1), ScriptBlockText (4104), Payload (4103), and for 800 the first Data
-- string (EVTX), param1 (Winlogbeat 6) or the rendered message (other collectors).
WITH c AS (
  SELECT *, CASE WHEN event_code IN ('4688', '1') THEN command_line
                 WHEN event_code = '4104' THEN fields['ScriptBlockText']
                 WHEN event_code = '4103' THEN fields['Payload']
                 ELSE coalesce(fields['Data'], fields['param1'], fields['Message']) END AS cmd
  FROM (
    SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4688' AND time >= $period_start AND time < $period_end
        AND regexp_matches(command_line, '(?i)wevtutil|auditpol|eventlog|minint|clearlog|processcreationincludecmdline|scriptblocklogging|modulelogging|transcripting')
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '1' AND time >= $period_start AND time < $period_end
        AND regexp_matches(command_line, '(?i)wevtutil|auditpol|eventlog|minint|clearlog|processcreationincludecmdline|scriptblocklogging|modulelogging|transcripting')
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4104' AND time >= $period_start AND time < $period_end
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4103' AND time >= $period_start AND time < $period_end
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '800' AND time >= $period_start AND time < $period_end
  ) AS e
  WHERE source_family = 'windows'
    AND ((event_code = '4688' AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing'))
      OR (event_code = '1' AND (service = 'Microsoft-Windows-Sysmon/Operational' OR fields['Provider'] = 'Microsoft-Windows-Sysmon'))
      OR (event_code IN ('4104', '4103') AND (service = 'Microsoft-Windows-PowerShell/Operational' OR fields['Provider'] = 'Microsoft-Windows-PowerShell'))
      OR (event_code = '800' AND (service = 'Windows PowerShell' OR fields['Provider'] = 'PowerShell')))
)
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       cmd AS command, process
FROM c
WHERE regexp_matches(cmd, '(?is)'
  -- logs cleared, disabled or moved
  || '\bwevtutil(\.exe)?"?\s+(cl|clear-log)(\s|$)'
  || '|\bwevtutil(\.exe)?"?\s+(sl|set-log)\s.*(/e:false|/enabled:false|/lf:|/logfilename:)'
  || '|\b(clear-eventlog|remove-eventlog)\b|\.clearlog\s*\('
  || '|\bnteventlog\b.*\b(cl|cleareventlog)\b'
  -- audit policy cleared, removed or disabled
  || '|\bauditpol(\.exe)?"?\s.*(/clear|/remove|/set\s.*:\s*disable)'
  -- EventLog service stopped or reconfigured
  || '|\b(sc|net1?)(\.exe)?"?\s+(stop|config)\s+"?eventlog\b|\b(stop|set)-service\b.*\beventlog\b'
  -- logging registry settings: MiniNt created; logging values set to 0 or deleted; EventLog Start set to 3/4; a log file moved
  || '|\b(reg(\.exe)?"?\s+add|new-item)\b.*\\control\\minint\b'
  || '|\b(reg(\.exe)?"?\s+add|set-itemproperty|new-itemproperty)\b.*(processcreationincludecmdline_enabled|enablescriptblocklogging|enablemodulelogging|enabletranscripting).*(/d|-value)\s+"?0\b'
  || '|\b(reg(\.exe)?"?\s+delete|remove-itemproperty|remove-item)\b.*(processcreationincludecmdline_enabled|enablescriptblocklogging|enablemodulelogging|enabletranscripting)'
  || '|\b(reg(\.exe)?"?\s+add|set-itemproperty|new-itemproperty)\b.*\\services\\eventlog\b.*\bstart\b.*(/d|-value)\s+"?[34]\b'
  || '|\b(reg(\.exe)?"?\s+add|set-itemproperty|new-itemproperty)\b.*\\services\\eventlog\\[^\\]+.*\bfile\b')
ORDER BY time, event_id
