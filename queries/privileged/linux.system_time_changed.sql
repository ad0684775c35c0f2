/*
id: linux.system_time_changed
version: 2
title: System clock changed
pack: privileged
families:
- linux
severity: medium
category: CLK
detects: Clock changes recorded by systemd, timedatectl and the audit subsystem; in audit logs (auditd) successful
  settimeofday, stime and clock_settime calls and events with the kernel's TIME_INJOFFSET / TIME_ADJNTPVAL records
  (adjtimex calls that changed nothing, as NTP daemons make constantly, are left out).
why: Time changes corrupt the ordering of every other log (ISO A.8.17, PCI 10.6.3).
controls:
  iso27001:
  - A.8.17
  iso27017:
  - 12.4.4
  pci:
  - 10.6.3
  nist:
  - AU-8
  cis:
  - '8.4'
params: []
false_positives:
- NTP step corrections at boot.
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
- Wazuh 40705
*/
SELECT event_id, time, host, activity, actor_user, target, src_ip, status, error_code, command_line, service
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND (activity = 'system_time_changed' OR raw LIKE '%type=TIME_INJOFFSET%' OR raw LIKE '%type=TIME_ADJNTPVAL%' OR (service = 'systemd-timedated' AND fields['message'] LIKE '%time%')
       OR (source_format = 'auditd' AND activity IN ('syscall:settimeofday', 'syscall:stime', 'syscall:clock_settime', 'syscall:clock_settime64') AND status = 'success'))
ORDER BY time, event_id
