/*
id: windows.password_spray_by_source
version: 1
title: Failed logons against many accounts from one source (password spraying)
pack: privileged
families:
- windows
severity: high
category: FP
detects: Per computer and source address, failed logons (4625), Kerberos pre-authentication failures (4771) and
  refused Kerberos ticket requests (4768 with a non-zero Status, e.g. 0x6 unknown account) against at least
  min_accounts different accounts, with the accounts and failure codes.
why: A few attempts on each of many accounts stays under lockout thresholds and under per-account failure reports;
  only counting distinct accounts per source shows password spraying and account enumeration (PCI 10.2.1.4).
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
- name: min_accounts
  type: integer
  default: 5
  description: Sources that failed against fewer distinct accounts than this are not reported.
false_positives:
- A shared terminal server or VPN concentrator address where many users mistype passwords.
- Service accounts with an expired password configured on many systems.
columns:
- event_id
- first_time
- last_time
- host
- src_ip
- accounts
- failures
- account_list
- reasons
references:
- MITRE ATT&CK T1110.003 Password Spraying
- ../shared/docs/controls.md §2.2
*/
-- One branch per event code: DuckDB pushes an equality into the scan, so `fields` is read only for those events
-- (an IN list is not pushed, and the whole fields column would be read).
-- Accounts are compared case-insensitively without their domain; ::ffff:a.b.c.d counts as a.b.c.d; events without a
-- source address are left out (they cannot be attributed to one source).
WITH f AS (
  SELECT event_id, time, host, regexp_replace(src_ip, '^::ffff:', '') AS src,
         lower(regexp_replace(fields['TargetUserName'], '@.*$', '')) AS account,
         CASE WHEN event_code = '4625' AND coalesce(fields['SubStatus'], '0x0') NOT IN ('0x0', '0x00000000') THEN fields['SubStatus']
              ELSE fields['Status'] END AS reason
  FROM (
    SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4625' AND time >= $period_start AND time < $period_end
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4771' AND time >= $period_start AND time < $period_end
    UNION ALL SELECT * FROM events WHERE source_family = 'windows' AND event_code = '4768' AND time >= $period_start AND time < $period_end
  ) AS e
  WHERE source_family = 'windows'
    AND (service = 'Security' OR fields['Provider'] = 'Microsoft-Windows-Security-Auditing')
    AND (event_code <> '4768' OR lower(coalesce(fields['Status'], '0x0')) NOT IN ('0x0', '0x00000000'))
    AND src_ip IS NOT NULL
    AND nullif(fields['TargetUserName'], '-') IS NOT NULL
)
SELECT arg_min(event_id, (time, event_id)) AS event_id, min(time) AS first_time, max(time) AS last_time, host, src AS src_ip,
       count(DISTINCT account) AS accounts, count(*) AS failures,
       string_agg(DISTINCT account, ', ' ORDER BY account) AS account_list,
       string_agg(DISTINCT reason, ', ' ORDER BY reason) AS reasons
FROM f
GROUP BY host, src
HAVING count(DISTINCT account) >= $min_accounts
ORDER BY accounts DESC, host, src_ip
