/*
id: linux.sudo_to_root
version: 2
title: Commands run as root through sudo
pack: privileged
families:
- linux
severity: info
category: BG
detects: Every successful sudo command run as root, with the user, terminal and command; in audit logs (auditd) sudo's
  successful USER_CMD records, the run-as account taken from the PAM credential or session record (CRED_REFR,
  USER_START, CRED_ACQ) sudo writes for the same process right after (within 30 seconds); commands whose run-as account
  is not logged are kept, as for syslog lines without USER=.
why: This is the population of administrative actions on a Linux host (PCI 10.2.1.2); samples are drawn from it.
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
- Routine administration; configuration-management agents using sudo.
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
- Wazuh 5402
*/
WITH s AS (
  SELECT event_id, time, host, activity, actor_user, target, src_ip, status, error_code, command_line, service,
         CASE WHEN source_format = 'auditd' THEN coalesce(host, '') END AS hk, CASE WHEN source_format = 'auditd' THEN fields['pid'] END AS pid
  FROM events
  WHERE source_family = 'linux'
    AND time >= $period_start AND time < $period_end
    AND ((activity = 'sudo' AND status = 'success')
         OR (source_format = 'auditd' AND event_code = 'USER_CMD' AND status = 'success' AND process LIKE '%/sudo'))
),
runas AS (
  -- auditd: the account sudo acquired credentials or opened its PAM session for, by host and sudo process id
  SELECT time, coalesce(host, '') AS hk, fields['pid'] AS pid, target
  FROM events
  WHERE source_family = 'linux' AND source_format = 'auditd'
    AND time >= $period_start AND time < $period_end + INTERVAL 30 SECOND
    AND event_code IN ('CRED_REFR', 'USER_START', 'CRED_ACQ') AND process LIKE '%/sudo' AND target IS NOT NULL
),
j AS (
  -- the first such record of the same sudo process at or after the command, if within 30 seconds
  SELECT s.*, CASE WHEN r.time <= s.time + INTERVAL 30 SECOND THEN r.target END AS runas
  FROM s ASOF LEFT JOIN runas r ON s.hk = r.hk AND s.pid = r.pid AND s.time <= r.time
)
SELECT event_id, time, host, activity, actor_user, coalesce(target, runas) AS target, src_ip, status, error_code, command_line, service
FROM j
WHERE coalesce(target, runas, 'root') = 'root'
ORDER BY time, event_id
