/*
id: windows.dcsync_replication_access
version: 2
title: Directory replication rights used by a non-DC account (DCSync)
pack: privileged
families:
- windows
severity: critical
category: PG
detects: Use of the DS-Replication-Get-Changes, -Get-Changes-All or -Get-Changes-In-Filtered-Set rights (4662 with their
  GUIDs in Properties) by an account that is not a computer (domain controller) account.
why: 'Replication rights let a caller pull every password hash from the domain (DCSync): only domain controllers
  should use them.'
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
- Azure AD Connect (MSOL_*) and other identity-sync service accounts (list them as exceptions).
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
- rights
- access_mask
references:
- Sigma win_security_dcsync
- ../shared/docs/controls.md §2.2
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       array_to_string(list_sort(list_distinct(regexp_extract_all(lower(fields['Properties']),
         '1131f6aa-9c07-11d1-f79f-00c04fc2dcd2|1131f6ad-9c07-11d1-f79f-00c04fc2dcd2|89e95b76-444d-4c62-991a-0facbeda640c'))), ', ') AS rights,
       fields['AccessMask'] AS access_mask
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND event_code = '4662'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
  AND regexp_matches(lower(fields['Properties']), '1131f6aa-9c07-11d1-f79f-00c04fc2dcd2|1131f6ad-9c07-11d1-f79f-00c04fc2dcd2|89e95b76-444d-4c62-991a-0facbeda640c')
  AND coalesce(fields['SubjectUserName'], '') NOT LIKE '%$'
ORDER BY time, event_id
