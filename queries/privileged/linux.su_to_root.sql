/*
id: linux.su_to_root
version: 2
title: Switches to root with su
pack: privileged
families:
- linux
severity: info
category: BG
detects: Successful su to root (and PAM su sessions opened for root); in audit logs (auditd) the USER_START record of
  the PAM session su opens for root.
why: su to root is shared-account administration with weaker attribution than sudo; each use needs a reason.
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
- Legacy runbooks that still use su.
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
- Wazuh 5303
- Wazuh 5305
*/
SELECT event_id, time, host, activity, actor_user, target, src_ip, status, error_code, command_line, service
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND ((activity IN ('su', 'session_opened') AND status = 'success' AND target = 'root' AND (activity = 'su' OR fields['pam_service'] IN ('su', 'su-l')))
       OR (source_format = 'auditd' AND event_code = 'USER_START' AND status = 'success' AND target = 'root' AND process LIKE '%/su'))
ORDER BY time, event_id
