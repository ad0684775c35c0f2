/*
id: windows.account_changed
version: 2
title: User account changed or renamed
pack: privileged
families:
- windows
severity: medium
category: PG
detects: User account attribute changes (4738, e.g. password-not-required, never-expires or delegation flags) and
  account renames (4781), with the old and new names.
why: Account-control flags and renames change what an account may do or hide who it is; every change to an identity
  must trace to an approved request (PCI 10.2.1.5, SOC 2 CC6.2).
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
- Routine attribute updates from identity management and helpdesk tools.
- A password reset (4724) is always followed by a 4738 for the same account.
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
- new_name
- uac_change
- sid_history
references:
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type,
       CASE WHEN event_code = '4781' THEN coalesce(target, nullif(fields['TargetDomainName'], '-') || '\' || fields['OldTargetUserName'], fields['OldTargetUserName']) ELSE target END AS target,
       src_ip, status,
       nullif(fields['NewTargetUserName'], '-') AS new_name,
       nullif(nullif(trim(regexp_replace(fields['UserAccountControl'], '\s+', ' ', 'g')), '-'), '') AS uac_change,
       nullif(nullif(fields['SidHistory'], '-'), '%%1793') AS sid_history
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4738' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4781' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
ORDER BY time, event_id
