/*
id: windows.dcsync_replication_access
version: 1
title: Directory replication rights used by a non-DC account (DCSync)
pack: privileged
families:
- windows
severity: critical
category: PG
detects: Use of the DS-Replication-Get-Changes(-All) rights by an account that is not a computer (domain controller)
  account.
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
- Azure AD Connect and other identity-sync service accounts (list them as exceptions).
columns:
- event_id
- time
- host
- service
- event_code
- activity
- actor_user
- actor_domain
- target
- src_ip
- status
- object
- properties
references:
- Sigma win_security_dcsync
*/
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, target, src_ip, status, fields['ObjectName'] AS object, fields['Properties'] AS properties
FROM events
WHERE source_family = 'windows'
  AND time >= $period_start AND time < $period_end
  AND (service = 'Security' AND event_code = '4662' AND (fields['Properties'] ILIKE '%1131f6aa-9c07-11d1-f79f-00c04fc2dcd2%' OR fields['Properties'] ILIKE '%1131f6ad-9c07-11d1-f79f-00c04fc2dcd2%' OR fields['Properties'] ILIKE '%89e95b76-444d-4c62-991a-0facbeda640c%') AND coalesce(fields['SubjectUserName'], '') NOT LIKE '%$')
ORDER BY time, event_id
