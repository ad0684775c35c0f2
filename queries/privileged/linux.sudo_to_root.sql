/*
id: linux.sudo_to_root
version: 1
title: Commands run as root through sudo
pack: privileged
families:
- linux
severity: info
category: BG
detects: Every successful sudo command run as root, with the user, terminal and command.
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
SELECT event_id, time, host, activity, actor_user, target, src_ip, status, error_code, command_line, service
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND (activity = 'sudo' AND status = 'success' AND coalesce(target, 'root') = 'root')
ORDER BY time, event_id
