/*
id: linux.logging_stopped
version: 2
title: Logging daemon stopped or audit disabled
pack: privileged
families:
- linux
severity: high
category: LT
detects: rsyslog/syslog-ng/journald shutting down, auditd stopping, audit being disabled or audit rules removed; in audit
  logs (auditd) DAEMON_END and DAEMON_ABORT, systemd's SERVICE_STOP of auditd, rsyslog, syslog-ng or
  systemd-journald, and CONFIG_CHANGE records that set audit_enabled=0 or remove rules.
why: Stopping the log daemon or the audit subsystem creates a blind spot (PCI 10.2.1.6); each must match a reboot
  or a change.
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  soc2:
  - CC7.2
  pci:
  - 10.2.1.6
  - 10.7.2
  nist:
  - AU-9
  - AU-5
  cis:
  - '8.2'
params: []
false_positives:
- Reboots and package upgrades restart the daemons (look for the matching start).
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
- Wazuh 1004
- Sigma lnx_auditd_auditing_config_change
*/
SELECT event_id, time, host, activity, actor_user, target, src_ip, status, error_code, command_line, service
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND ((service IN ('rsyslogd', 'syslog-ng', 'systemd-journald') AND (fields['message'] LIKE '%exiting on signal%' OR fields['message'] LIKE '%stopping%' OR fields['message'] LIKE '%shutdown%')) OR (service IN ('auditd', 'audispd', 'kernel') AND (raw LIKE '%type=DAEMON_END%' OR raw LIKE '%type=SERVICE_STOP%unit=auditd%' OR raw LIKE '%audit_enabled=0%' OR raw LIKE '%op=remove_rule%' OR raw LIKE '%list=%op=remove%')) OR (activity IN ('daemon_end', 'service_stop') AND raw LIKE '%auditd%')
       OR (source_format = 'auditd' AND (event_code IN ('DAEMON_END', 'DAEMON_ABORT')
           OR (event_code = 'SERVICE_STOP' AND target IN ('auditd', 'rsyslog', 'syslog-ng', 'systemd-journald'))
           OR (event_code = 'CONFIG_CHANGE' AND (fields['audit_enabled'] = '0' OR fields['op'] IN ('remove_rule', 'remove rule'))))))
ORDER BY time, event_id
