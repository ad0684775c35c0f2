/*
id: linux.auditd_privilege_tool_executed
version: 1
title: Privilege tools executed (su, sudo, pkexec, doas ...; auditd)
pack: privileged
families:
- linux
severity: low
category: BG
detects: Successful execve/execveat calls recorded by audit rules whose program is su, sudo, sudoedit, pkexec, doas,
  runuser, newgrp, sg, setpriv or capsh, with the login user, the effective user after the call (setuid root
  programs run as root) and the command line.
why: These programs change identity; their execution is the population of elevation attempts on the host (PCI
  10.2.1.2), and pkexec or doas used where sudo is the approved tool bypasses the sudo policy and its logging.
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
- Routine sudo use (its commands are in linux.sudo_to_root); scripts calling runuser or setpriv to drop privileges.
columns:
- event_id
- time
- host
- activity
- actor_user
- target
- status
- process
- command_line
- euid
- rule_key
references:
- ../shared/docs/controls.md §2.8
- CrowdSec auditd-suid-crash test (key priv_esc)
*/
SELECT event_id, time, host, activity, actor_user, target, status, process, command_line,
       coalesce(fields['EUID'], fields['euid']) AS euid, fields['key'] AS rule_key
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND (source_format = 'auditd' AND activity IN ('syscall:execve', 'syscall:execveat') AND status = 'success'
       AND regexp_matches(process, '/(su|sudo|sudoedit|pkexec|doas|runuser|newgrp|sg|setpriv|capsh)$'))
ORDER BY time, event_id
