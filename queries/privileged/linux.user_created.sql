/*
id: linux.user_created
version: 2
title: Local user account created
pack: privileged
families:
- linux
severity: medium
category: AL
detects: useradd creating local accounts (with the UID), and failed attempts; in audit logs (auditd) the ADD_USER records
  shadow-utils writes, with the new account's UID from their id field.
why: New accounts must trace to an approved request; an account with UID 0 is a second root (Sigma lnx_privileged_user_creation).
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
- Package installs creating system users.
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
- uid
- privileged
references:
- Wazuh 5902
- Sigma lnx_auditd_create_account
- Sigma lnx_privileged_user_creation
*/
SELECT event_id, time, host, activity, actor_user, target, src_ip, status, error_code, command_line, service, CASE WHEN source_format = 'auditd' THEN fields['id'] ELSE fields['uid'] END AS uid, CASE WHEN source_format = 'auditd' THEN coalesce(fields['id'] = '0', false) ELSE (fields['uid'] = '0' OR raw LIKE '%GID=0,%' OR raw LIKE '%GID=10,%' OR raw LIKE '%GID=27,%') END AS privileged
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND (activity = 'user_created' OR (source_format = 'auditd' AND event_code = 'ADD_USER'))
ORDER BY time, event_id
