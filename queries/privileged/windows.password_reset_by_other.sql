/*
id: windows.password_reset_by_other
version: 2
title: Password reset or changed for another account
pack: privileged
families:
- windows
severity: medium
category: CC
detects: Password resets (4724) and change attempts (4723) performed by one account on another (the subject SID, or
  name when there is no SID, differs from the target's).
why: Resetting someone else's password hands over their identity (PCI 10.2.1.5); Mimikatz setNTLM and the
  sAMAccountName-spoofing chain reset passwords this way.
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
- Helpdesk resets on request.
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
- target_sid
references:
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       nullif(fields['TargetSid'], '-') AS target_sid
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4724' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4723' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
  AND CASE WHEN nullif(fields['SubjectUserSid'], '-') IS NOT NULL AND nullif(fields['TargetSid'], '-') IS NOT NULL
           THEN fields['SubjectUserSid'] <> fields['TargetSid']
           ELSE lower(coalesce(fields['SubjectUserName'], '')) <> lower(coalesce(fields['TargetUserName'], '')) END
ORDER BY time, event_id
