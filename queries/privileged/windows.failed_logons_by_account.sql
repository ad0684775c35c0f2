/*
id: windows.failed_logons_by_account
version: 2
title: Failed Windows logons per account and source
pack: privileged
families:
- windows
severity: low
category: FP
detects: Failed logons (4625) and Kerberos pre-authentication failures (4771), grouped per host, account that failed to
  log on and source address, with the failure codes seen.
why: Invalid access attempts must be logged and reviewed (PCI 10.2.1.4); bursts on one account show password guessing.
controls:
  iso27001:
  - A.8.15
  - A.8.16
  soc2:
  - CC7.2
  pci:
  - 10.2.1.4
  nist:
  - AU-12
  - AC-7
params:
- name: min_failures
  type: integer
  default: 3
  description: Groups with fewer failures than this are not reported.
false_positives:
- Expired passwords in cached sessions and mapped drives.
columns:
- event_id
- first_time
- last_time
- host
- account
- src_ip
- failures
- reasons
references:
- Sigma win_security_susp_failed_logon_reasons
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- The account is the one that failed to log on (TargetUserName, read from fields so forwarded copies group the same);
-- an IPv4-mapped IPv6 source (::ffff:10.0.0.1) is grouped with its IPv4 form.
WITH f AS (
  SELECT event_id, time, host,
         CASE WHEN nullif(fields['TargetDomainName'], '-') IS NOT NULL AND NOT contains(fields['TargetUserName'], '@')
              THEN fields['TargetDomainName'] || '\' || fields['TargetUserName'] ELSE nullif(fields['TargetUserName'], '-') END AS account,
         regexp_replace(src_ip, '^::ffff:', '') AS src,
         CASE WHEN event_code = '4625' AND coalesce(fields['SubStatus'], '0x0') NOT IN ('0x0', '0x00000000') THEN fields['SubStatus']
              ELSE coalesce(fields['Status'], fields['FailureCode']) END AS reason
  FROM (
    SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4625' AND time >= $period_start AND time < $period_end
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4771' AND time >= $period_start AND time < $period_end
  ) AS e
  WHERE source_family = 'windows'
    AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
)
SELECT arg_min(event_id, (time, event_id)) AS event_id, min(time) AS first_time, max(time) AS last_time, host, account, src AS src_ip,
       count(*) AS failures, string_agg(DISTINCT reason, ', ' ORDER BY reason) AS reasons
FROM f
GROUP BY host, account, src
HAVING count(*) >= $min_failures
ORDER BY failures DESC, host, account, src_ip
