/*
id: windows.audit_policy_changed
version: 2
title: Audit policy changed
pack: privileged
families:
- windows
severity: high
category: LT
detects: System audit policy (4719), per-user audit policy (4912), CrashOnAuditFail (4906), object auditing settings
  (4907) and special-groups logon table (4908) changes, with whether success or failure auditing was removed
  (4719, 4912).
why: Turning audit subcategories off silences exactly the events an auditor relies on (%%8448 / %%8450 mean success/failure
  auditing removed); the special-groups table decides which logons raise 4964.
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  soc2:
  - CC7.2
  pci:
  - 10.2.1.6
  - 10.7.2
  nist:
  - AU-9
  - AU-5
  cis:
  - '8.2'
params: []
false_positives:
- Group Policy refreshes re-applying the same settings.
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
- category_id
- subcategory
- changes
- auditing_removed
references:
- Sigma win_security_disable_event_auditing
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- The target (the subcategory changed, the user of a per-user policy, the object) is read from fields so that it is the
-- same whatever channel the event arrived in.
SELECT event_id, time, host, service, event_code, activity, actor_user, actor_domain, actor_type,
       CASE event_code WHEN '4719' THEN nullif(fields['SubcategoryGuid'], '-') WHEN '4912' THEN nullif(fields['TargetUserSid'], '-')
                       WHEN '4907' THEN nullif(fields['ObjectName'], '-') ELSE target END AS target,
       src_ip, status,
       nullif(fields['CategoryId'], '-') AS category_id,
       coalesce(nullif(fields['SubcategoryGuid'], '-'), nullif(fields['SubcategoryId'], '-')) AS subcategory,
       nullif(trim(regexp_replace(coalesce(fields['AuditPolicyChanges'], fields['SidList'], ''), '\s+', ' ', 'g')), '') AS changes,
       -- 4719: %%8448 success removed, %%8450 failure removed; 4912: %%8452 / %%8456 success / failure include removed,
       -- %%8455 / %%8459 success / failure exclude added.
       CASE event_code WHEN '4719' THEN regexp_matches(coalesce(fields['AuditPolicyChanges'], ''), '%%8448|%%8450')
                       WHEN '4912' THEN regexp_matches(coalesce(fields['AuditPolicyChanges'], ''), '%%8452|%%8455|%%8456|%%8459') END AS auditing_removed
FROM (
  SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4719' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4912' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4906' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4907' AND time >= $period_start AND time < $period_end
  UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4908' AND time >= $period_start AND time < $period_end
) AS e
WHERE source_family = 'windows'
  AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
ORDER BY time, event_id
