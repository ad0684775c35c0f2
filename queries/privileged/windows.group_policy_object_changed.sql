/*
id: windows.group_policy_object_changed
version: 1
title: Group Policy object created, changed, deleted or linked
pack: privileged
families:
- windows
severity: medium
category: PC
detects: Directory changes (5136 modified, 5137 created, 5141 deleted) to Group Policy containers, and changes to the
  gPLink attribute that links policies to a domain or OU.
why: A Group Policy object runs settings, scripts and scheduled tasks on every computer it applies to; editing or
  linking one is domain-wide code execution and policy change (SOC 2 CC6.1, PCI 10.2.1.7).
controls:
  iso27001:
  - A.8.15
  soc2:
  - CC6.1
  - CC7.2
  pci:
  - 10.2.1.7
  nist:
  - AU-12
  - CM-5
params: []
false_positives:
- Planned policy edits in the Group Policy Management Console (each edit writes versionNumber and other attributes).
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
- attribute
- operation
- value
references:
- MITRE ATT&CK T1484.001 Group Policy Modification
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- OperationType %%14674 = value added, %%14675 = value deleted.
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type, target, src_ip, status,
       nullif(fields['AttributeLDAPDisplayName'], '-') AS attribute,
       CASE fields['OperationType'] WHEN '%%14674' THEN 'value added' WHEN '%%14675' THEN 'value deleted' ELSE fields['OperationType'] END AS operation,
       left(fields['AttributeValue'], 500) AS value
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '5136' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '5137' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '5141' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
  AND (lower(fields['ObjectClass']) = 'grouppolicycontainer' OR lower(fields['AttributeLDAPDisplayName']) = 'gplink')
ORDER BY time, event_id
