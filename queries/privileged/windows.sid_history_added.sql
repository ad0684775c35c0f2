/*
id: windows.sid_history_added
version: 1
title: SID History added to an account
pack: privileged
families:
- windows
severity: critical
category: PG
detects: SID History added to an account (4765), a failed attempt to add it (4766), and account changes (4738) whose
  SidHistory value is set.
why: A SID in an account's SID History gives it every right of that SID (for example a Domain Admins SID) without any
  visible group membership; outside a documented domain migration it is a privilege-escalation backdoor.
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
- Domain migrations with ADMT (sIDHistory is copied from the source domain).
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
- source_account
- source_sid
- sid_history
references:
- Sigma win_security_susp_add_sid_history
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- 4765/4766 name the account whose SID was copied (SourceUserName / SourceSid); "-" and %%1793 (<value not set>) in
-- 4738's SidHistory mean no change.
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       nullif(fields['TargetSid'], '-') AS target_sid,
       nullif(fields['SourceUserName'], '-') AS source_account, nullif(fields['SourceSid'], '-') AS source_sid,
       nullif(nullif(nullif(trim(regexp_replace(coalesce(fields['SidHistory'], fields['SidList'], ''), '\s+', ' ', 'g')), '-'), '%%1793'), '') AS sid_history
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4765' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4766' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4738' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
  AND (event_code IN ('4765', '4766') OR nullif(nullif(nullif(trim(coalesce(fields['SidHistory'], '')), '-'), '%%1793'), '') IS NOT NULL)
ORDER BY time, event_id
