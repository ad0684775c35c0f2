/*
id: linux.password_changed
version: 2
title: Local password changed
pack: privileged
families:
- linux
severity: low
category: CC
detects: passwd/chpasswd password changes recorded by PAM; in audit logs (auditd) the USER_CHAUTHTOK and GRP_CHAUTHTOK
  records (user and group passwords changed through PAM, passwd, usermod -p, gpasswd), failed attempts included.
why: Password changes by an administrator for another account are credential changes to review.
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
- Users changing their own password.
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
references: []
*/
SELECT event_id, time, host, activity, actor_user, target, src_ip, status, error_code, command_line, service
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND (activity = 'password_changed' OR (source_format = 'auditd' AND event_code IN ('USER_CHAUTHTOK', 'GRP_CHAUTHTOK')))
ORDER BY time, event_id
