/*
id: windows.rogue_domain_controller
version: 1
title: Rogue domain controller registration (DCShadow)
pack: privileged
families:
- windows
severity: critical
category: PG
detects: 'A computer account given domain-controller service principal names (4742 with a GC/ or directory
  replication E3514235-4B06-11D1-AB04-00C04FC2DCD2/ SPN), and the DS-Install-Replica or DS-Replication-Manage-Topology
  right used (4662) by an account that is not a computer account.'
why: DCShadow registers a workstation as a temporary domain controller to push directory changes (SID History,
  group membership, ACLs) through replication, bypassing the audit events those changes would otherwise raise.
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
- Promotion of a new domain controller (its computer account gets these SPNs; check the change record).
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
- indicator
references:
- MITRE ATT&CK T1207 Rogue Domain Controller
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- 4662 GUIDs: 9923a32a-3607-11d2-b9be-0000f87a36b2 = DS-Install-Replica, 1131f6ac-9c07-11d1-f79f-00c04fc2dcd2 =
-- DS-Replication-Manage-Topology. SPNs are read one per line from ServicePrincipalNames.
WITH e AS (
  SELECT *, lower(coalesce(fields['ServicePrincipalNames'], '')) AS spns, lower(coalesce(fields['Properties'], '')) AS props
  FROM (
    SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4742' AND time >= $period_start AND time < $period_end
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4662' AND time >= $period_start AND time < $period_end
  ) AS e
  WHERE source_family = 'windows'
    AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
)
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       CASE WHEN event_code = '4742' THEN
              array_to_string(list_filter(['GC/', 'E3514235-4B06-11D1-AB04-00C04FC2DCD2/'], lambda p: regexp_matches(spns, '(^|\s)' || lower(p))), ' + ') || ' SPN on computer account'
            ELSE array_to_string(list_filter(['DS-Install-Replica', 'DS-Replication-Manage-Topology'],
                   lambda p: contains(props, CASE p WHEN 'DS-Install-Replica' THEN '9923a32a-3607-11d2-b9be-0000f87a36b2' ELSE '1131f6ac-9c07-11d1-f79f-00c04fc2dcd2' END)), ' + ') || ' right used'
       END AS indicator
FROM e
WHERE (event_code = '4742' AND regexp_matches(spns, '(^|\s)(gc/|e3514235-4b06-11d1-ab04-00c04fc2dcd2/)'))
   OR (event_code = '4662' AND (contains(props, '9923a32a-3607-11d2-b9be-0000f87a36b2') OR contains(props, '1131f6ac-9c07-11d1-f79f-00c04fc2dcd2'))
       AND coalesce(fields['SubjectUserName'], '') NOT LIKE '%$')
ORDER BY time, event_id
