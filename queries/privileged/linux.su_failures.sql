/*
id: linux.su_failures
version: 2
title: Failed su attempts
pack: privileged
families:
- linux
severity: medium
category: FP
detects: Failed attempts to switch user with su; in audit logs (auditd) su's failed PAM USER_AUTH / USER_ACCT records.
why: Failed su to root is a failed privileged attempt (Wazuh rates failed su to root level 9).
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
params: []
false_positives:
- Typos.
columns:
- event_id
- time
- host
- activity
- actor_user
- target
- src_ip
- status
- error_code
- command_line
- service
references:
- Wazuh 5301
- Wazuh 5302
*/
SELECT event_id, time, host, activity, actor_user, target, src_ip, status, error_code, command_line, service
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND ((activity = 'su' AND status = 'failure')
       OR (source_format = 'auditd' AND event_code IN ('USER_AUTH', 'USER_ACCT') AND status = 'failure' AND process LIKE '%/su'))
ORDER BY time, event_id
