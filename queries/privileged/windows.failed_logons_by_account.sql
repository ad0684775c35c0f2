/*
id: windows.failed_logons_by_account
version: 1
title: Failed Windows logons per account and source
pack: privileged
families:
- windows
severity: low
category: FP
detects: Failed logons (4625) and Kerberos pre-authentication failures (4771), grouped per host, account and source
  address, with the failure reasons seen.
why: Invalid access attempts must be logged and reviewed (PCI 10.2.1.4); bursts show password guessing or spraying.
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
- target
- src_ip
- failures
- reasons
references:
- Sigma win_security_susp_failed_logon_reasons
*/
SELECT arg_min(event_id, (time, event_id)) AS event_id, min(time) AS first_time, max(time) AS last_time, host, target, src_ip,
       count(*) AS failures, string_agg(DISTINCT coalesce(fields['SubStatus'], fields['Status'], fields['FailureCode']), ', ') AS reasons
FROM events
WHERE source_family = 'windows' AND time >= $period_start AND time < $period_end
  AND service = 'Security' AND event_code IN ('4625', '4771')
GROUP BY host, target, src_ip
HAVING count(*) >= $min_failures
ORDER BY failures DESC, host, target
