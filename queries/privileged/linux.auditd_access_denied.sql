/*
id: linux.auditd_access_denied
version: 1
title: System calls refused for lack of permission (auditd EACCES, EPERM)
pack: privileged
families:
- linux
severity: low
category: FP
detects: System calls recorded by audit rules that failed with EACCES (permission denied) or EPERM (operation not
  permitted), such as the CIS "access" rules on open, creat and truncate, or watched files and privileged calls
  refused to an unprivileged user; with the file, the program and the rule key. Other failures (ENOENT and the like)
  are left out.
why: Refused attempts to read protected files, load modules or change the clock are failed privileged attempts (PCI
  10.2.1.4); a burst from one user is probing.
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
- Programs that probe files they may not open (shells completing paths, desktop indexers) and fall back quietly.
columns:
- event_id
- time
- host
- activity
- actor_user
- target
- status
- error_code
- process
- command_line
- uid
- rule_key
references:
- ../shared/docs/controls.md §2.8
- CIS Linux benchmarks, "unsuccessful unauthorized file access attempts are collected"
*/
SELECT event_id, time, host, activity, actor_user, target, status, error_code, process, command_line,
       coalesce(fields['UID'], fields['uid']) AS uid, fields['key'] AS rule_key
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND (source_format = 'auditd' AND event_code = 'SYSCALL' AND status = 'failure' AND error_code IN ('EACCES', 'EPERM'))
ORDER BY time, event_id
