/*
id: windows.domain_trust_changed
version: 1
title: Domain or forest trust created, changed or removed
pack: privileged
families:
- windows
severity: high
category: PC
detects: Trusts to another domain created (4706), removed (4707) or modified (4716), and forest trust information
  added, removed or modified (4865, 4866, 4867).
why: A trust lets accounts of another domain authenticate here; a new or widened trust (SID filtering off, forest
  transitivity) extends who can reach the domain's resources.
controls:
  iso27001:
  - A.8.15
  soc2:
  - CC6.1
  - CC7.2
  pci:
  - 10.2.1.5
  nist:
  - AC-2
  - CM-5
params: []
false_positives:
- Documented mergers, migrations and partner trusts.
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
- trusted_domain
- trust_direction
- trust_attributes
- sid_filtering
references:
- MITRE ATT&CK T1484.002 Domain Trust Modification
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type,
       coalesce(nullif(fields['DomainName'], '-'), nullif(fields['ForestRoot'], '-')) AS target, src_ip, status,
       coalesce(nullif(fields['DomainName'], '-'), nullif(fields['ForestRoot'], '-')) AS trusted_domain,
       nullif(fields['TdoDirection'], '-') AS trust_direction,
       nullif(fields['TdoAttributes'], '-') AS trust_attributes,
       nullif(fields['SidFilteringEnabled'], '-') AS sid_filtering
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4706' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4707' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4716' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4865' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4866' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4867' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
ORDER BY time, event_id
