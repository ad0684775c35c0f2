/*
id: linux.sudo_failures
version: 2
title: Failed or refused sudo attempts
pack: privileged
families:
- linux
severity: medium
category: FP
detects: sudo attempts refused for wrong passwords, users not in sudoers or commands not allowed; in audit logs (auditd)
  sudo's failed USER_CMD records (a command refused by the policy, or given up after wrong passwords) and its failed
  PAM USER_AUTH / USER_ACCT records (one per wrong password).
why: Refused elevation is a failed privileged attempt (PCI 10.2.1.4); "user NOT in sudoers" is a direct attempt
  to exceed authority.
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
- Mistyped passwords by authorised administrators.
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
- Wazuh 5401
- Wazuh 5404
- Wazuh 5405
*/
SELECT event_id, time, host, activity, actor_user, target, src_ip, status, error_code, command_line, service
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND ((activity = 'sudo' AND status = 'failure')
       OR (source_format = 'auditd' AND event_code IN ('USER_CMD', 'USER_AUTH', 'USER_ACCT') AND status = 'failure' AND process LIKE '%/sudo'))
ORDER BY time, event_id
