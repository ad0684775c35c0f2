/*
id: windows.replication_rights_granted
version: 1
title: Directory replication (DCSync) rights granted
pack: privileged
families:
- windows
severity: critical
category: PG
detects: A directory object's security descriptor rewritten (5136, nTSecurityDescriptor value added) so that it grants
  DS-Replication-Get-Changes, -Get-Changes-All or -Get-Changes-In-Filtered-Set to a trustee that did not hold it in
  the value removed by the same operation.
why: Whoever holds these rights on the domain object can pull every password hash (DCSync) without being a domain
  admin; granting them is a classic persistence step.
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
- Setting up Azure AD Connect or another directory-sync service account.
- When the value-deleted record of the same operation is missing, every replication grant in the new descriptor is
  listed.
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
- new_grants
references:
- MITRE ATT&CK T1003.006 DCSync
- ../shared/docs/controls.md §2.2
*/
-- ACEs granting a replication right look like (OA;;CR;1131f6aa-9c07-11d1-f79f-00c04fc2dcd2;;<trustee>). The added
-- value (%%14674) is compared with the deleted value (%%14675) of the same OpCorrelationID on the same host.
WITH d AS (
  SELECT event_id, time, host, fields['OpCorrelationID'] AS op, fields['OperationType'] AS op_type, fields['ObjectDN'] AS dn,
         list_distinct(regexp_extract_all(fields['AttributeValue'],
           '(?i)\(o?a;[^;]*;[^;]*;(1131f6aa-9c07-11d1-f79f-00c04fc2dcd2|1131f6ad-9c07-11d1-f79f-00c04fc2dcd2|89e95b76-444d-4c62-991a-0facbeda640c);[^;]*;([^)]*)\)', 0)) AS aces
  FROM events
  WHERE source_family = 'windows'
    AND event_code = '5136'
    AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
    AND lower(fields['AttributeLDAPDisplayName']) = 'ntsecuritydescriptor'
),
n AS (
  SELECT a.event_id,
         list_filter(a.aces, lambda x: NOT list_contains(coalesce(flatten(list(b.aces) FILTER (WHERE b.event_id IS NOT NULL)), []), x)) AS added
  FROM d a LEFT JOIN d b ON b.host = a.host AND b.op = a.op AND b.dn = a.dn AND b.op_type = '%%14675'
  WHERE a.op_type = '%%14674' AND a.time >= $period_start AND a.time < $period_end
  GROUP BY a.event_id, a.aces
)
SELECT e.event_id, e.time, e.host, e.service, e.event_code, e.activity, e.actor_user, e.actor_domain, e.actor_type, e.target,
       e.src_ip, e.status, array_to_string(list_sort(n.added), ' ') AS new_grants
FROM n JOIN events e ON e.event_id = n.event_id
WHERE len(n.added) > 0
ORDER BY e.time, e.event_id
