/*
id: windows.special_privileges_logon
version: 2
title: Logons with special (administrative) privileges
pack: privileged
families:
- windows
severity: info
category: BG
detects: Sessions granted sensitive privileges (4672) or a member of a monitored special group logging on (4964),
  excluding the built-in SYSTEM, LOCAL SERVICE and NETWORK SERVICE sessions.
why: This is the population of administrative sessions on Windows hosts (PCI 10.2.1.2), the base for sampling.
controls:
  iso27001:
  - A.8.15
  - A.8.2
  iso27017:
  - 12.4.3
  soc2:
  - CC6.3
  - CC7.2
  pci:
  - 10.2.1.2
  nist:
  - AU-12
  - AC-6(9)
  cis:
  - '8.5'
params: []
false_positives:
- Every administrator logon and many service accounts produce 4672.
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
- actor_id
- target
- src_ip
- status
- logon_id
- privileges
references:
- Sigma win_security_admin_logon
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- The account that logged on is Subject* in 4672 but Target* in 4964 (whose Subject is the service that reported it,
-- often SYSTEM); both are read from fields so forwarded copies are filtered the same way.
WITH s AS (
  SELECT *,
         CASE WHEN event_code = '4964' THEN fields['TargetUserSid'] ELSE fields['SubjectUserSid'] END AS logon_sid,
         CASE WHEN event_code = '4964' THEN fields['TargetUserName'] ELSE fields['SubjectUserName'] END AS logon_user,
         CASE WHEN event_code = '4964' THEN fields['TargetDomainName'] ELSE fields['SubjectDomainName'] END AS logon_domain,
         CASE WHEN event_code = '4964' THEN fields['TargetLogonId'] ELSE fields['SubjectLogonId'] END AS logon_id
  FROM (
    SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4672' AND time >= $period_start AND time < $period_end
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4964' AND time >= $period_start AND time < $period_end
  ) AS e
  WHERE source_family = 'windows'
    AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
)
SELECT event_id, time, host, service, event_code, activity, coalesce(nullif(logon_user, '-'), actor_user) AS actor_user,
       coalesce(nullif(logon_domain, '-'), actor_domain) AS actor_domain,
       CASE WHEN coalesce(nullif(logon_user, '-'), actor_user) LIKE '%$' THEN 'computer' ELSE 'user' END AS actor_type,
       coalesce(nullif(logon_sid, '-'), actor_id) AS actor_id,
       CAST(NULL AS VARCHAR) AS target, src_ip, status, logon_id,
       nullif(trim(regexp_replace(coalesce(fields['PrivilegeList'], fields['SidList'], ''), '\s+', ' ', 'g')), '') AS privileges
FROM s
WHERE coalesce(logon_sid, '') NOT IN ('S-1-5-18', 'S-1-5-19', 'S-1-5-20')
ORDER BY time, event_id
