/*
id: linux.account_changed_or_deleted
version: 2
title: Local account deleted, locked or changed
pack: privileged
families:
- linux
severity: low
category: AL
detects: userdel, usermod (lock, unlock, expiry, shell changes) and groupadd events; in audit logs (auditd) the DEL_USER,
  USER_MGMT, ADD_GROUP, DEL_GROUP, GRP_MGMT, ACCT_LOCK and ACCT_UNLOCK records of shadow-utils and PAM (group
  membership changes included).
why: Account lifecycle events complete the joiner/mover/leaver trail (PCI 10.2.1.5).
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
- Routine leaver processing.
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
- Wazuh 5903
- Wazuh 5904
*/
SELECT event_id, time, host, activity, actor_user, target, src_ip, status, error_code, command_line, service
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND (activity IN ('user_deleted', 'user_modified', 'group_created')
       OR (source_format = 'auditd' AND event_code IN ('DEL_USER', 'USER_MGMT', 'ADD_GROUP', 'DEL_GROUP', 'GRP_MGMT', 'ACCT_LOCK', 'ACCT_UNLOCK')))
ORDER BY time, event_id
