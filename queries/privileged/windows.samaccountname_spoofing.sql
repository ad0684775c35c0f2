/*
id: windows.samaccountname_spoofing
version: 1
title: Computer account renamed to a name without a trailing $ (sAMAccountName spoofing)
pack: privileged
families:
- windows
severity: critical
category: PG
detects: A computer account whose sAMAccountName is set to a name that does not end in $ (4742 with SamAccountName
  changed, or 4781 renaming an account ending in $ to one that does not).
why: 'Renaming a machine account to the name of a domain controller without its $ lets Kerberos issue that account a
  ticket for the domain controller (CVE-2021-42278 / CVE-2021-42287, "noPac"): domain admin from any user who can
  create or edit a computer account.'
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
- None expected; computer account names end in $ by convention.
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
- old_name
- new_name
references:
- MITRE ATT&CK T1078.002 Domain Accounts (CVE-2021-42278)
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type,
       coalesce(target, nullif(fields['TargetDomainName'], '-') || '\' || fields['OldTargetUserName']) AS target, src_ip, status,
       CASE WHEN event_code = '4781' THEN fields['OldTargetUserName'] END AS old_name,
       CASE WHEN event_code = '4781' THEN fields['NewTargetUserName'] ELSE fields['SamAccountName'] END AS new_name
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4742' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4781' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
  AND ((event_code = '4742' AND coalesce(fields['SamAccountName'], '-') NOT IN ('-', '%%1793', '') AND fields['SamAccountName'] NOT LIKE '%$')
    OR (event_code = '4781' AND fields['OldTargetUserName'] LIKE '%$' AND fields['NewTargetUserName'] NOT LIKE '%$'))
ORDER BY time, event_id
