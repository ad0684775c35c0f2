/*
id: linux.root_ssh_login
version: 2
title: Direct SSH login as root
pack: privileged
families:
- linux
severity: high
category: BG
detects: Successful SSH logins straight into the root account; in audit logs (auditd) sshd's successful USER_LOGIN
  records for UID 0 (id=0) or acct root.
why: Direct root logins defeat individual accountability; CIS benchmarks require PermitRootLogin no.
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
- Out-of-band recovery on systems where root login is explicitly permitted.
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
- Wazuh 5715
*/
SELECT event_id, time, host, activity, actor_user, target, src_ip, status, error_code, command_line, service
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND ((activity = 'ssh_login' AND status = 'success' AND actor_user = 'root')
       OR (source_format = 'auditd' AND event_code = 'USER_LOGIN' AND status = 'success' AND process LIKE '%/sshd'
           AND (fields['id'] = '0' OR fields['acct'] = 'root')))
ORDER BY time, event_id
