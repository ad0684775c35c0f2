/*
id: linux.auditd_audit_config_changed
version: 1
title: Audit rules, audit settings or logging configuration changed (auditd)
pack: privileged
families:
- linux
severity: high
category: LT
detects: CONFIG_CHANGE records of audit rules added or removed and audit settings changed (enabled, failure mode,
  backlog, rate limit) by a logged-in user (auditctl from a session), and any that remove rules or disable auditing
  whoever made them; auditd reconfigurations (DAEMON_CONFIG, DAEMON_RECONFIG); and successful writes, renames,
  deletions and permission changes of /etc/audit/, /etc/audisp/, /etc/libaudit.conf, /etc/rsyslog.conf,
  /etc/rsyslog.d/, /etc/syslog.conf, /etc/syslog-ng/ and journald's configuration caught by audit watches. Rules
  loaded at boot by the system (no login user) are left out.
why: Whoever changes what the audit subsystem records, or where syslog sends it, changes the evidence itself (PCI
  10.2.1.6, 10.3.2-10.3.3; AU-9); every such change needs a change record.
controls:
  iso27001:
  - A.8.15
  iso27017:
  - 12.4.1
  - 12.4.2
  soc2:
  - CC7.2
  pci:
  - 10.2.1.6
  - 10.7.2
  nist:
  - AU-9
  - AU-12
  cis:
  - '8.2'
  - '8.9'
params: []
false_positives:
- Administrators reloading rules with augenrules or auditctl after an approved change (a removal of every rule and
  the re-adding follow each other).
- Package upgrades of audit or rsyslog rewriting their configuration files.
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
- change
- rule_key
references:
- ../shared/docs/controls.md §2.8
- Sigma lnx_auditd_auditing_config_change
- Sigma lnx_auditd_logging_config_change
*/
WITH e AS (
  SELECT event_id, time, host, activity, event_code, actor_user, actor_id, target, status, process, command_line, fields
  FROM events
  WHERE source_family = 'linux'
    AND time >= $period_start AND time < $period_end
    AND source_format = 'auditd'
    AND (event_code IN ('CONFIG_CHANGE', 'DAEMON_CONFIG', 'DAEMON_RECONFIG')
         OR (event_code = 'SYSCALL' AND status = 'success' AND fields['paths'] LIKE '%"/etc/%'
             AND regexp_matches(fields['paths'], '"/etc/(audit/|audisp/|libaudit\.conf"|rsyslog\.conf"|rsyslog\.d/|syslog\.conf"|syslog-ng/|systemd/journald\.conf)')))
),
c AS (
  SELECT *,
         CASE WHEN event_code = 'CONFIG_CHANGE' THEN concat_ws(' ', fields['op'], 'audit_enabled=' || fields['audit_enabled'], 'audit_failure=' || fields['audit_failure'],
                                                               'audit_backlog_limit=' || fields['audit_backlog_limit'], 'audit_rate_limit=' || fields['audit_rate_limit'],
                                                               'old=' || fields['old'], 'list=' || fields['list'])
              WHEN event_code IN ('DAEMON_CONFIG', 'DAEMON_RECONFIG') THEN concat_ws(' ', 'auditd', fields['op'], fields['state'])
              WHEN activity = 'syscall:open' AND (TRY_CAST('0x' || fields['a1'] AS UBIGINT) & 579) <> 0 THEN 'file opened for writing'
              WHEN activity IN ('syscall:openat', 'syscall:open_by_handle_at') AND (TRY_CAST('0x' || fields['a2'] AS UBIGINT) & 579) <> 0 THEN 'file opened for writing'
              WHEN activity = 'syscall:openat2' THEN 'file opened (openat2: mode not logged)'
              WHEN activity IN ('syscall:creat', 'syscall:truncate', 'syscall:truncate64', 'syscall:ftruncate', 'syscall:ftruncate64') THEN 'file created or truncated'
              WHEN activity IN ('syscall:rename', 'syscall:renameat', 'syscall:renameat2', 'syscall:link', 'syscall:linkat', 'syscall:symlink',
                                'syscall:symlinkat', 'syscall:unlink', 'syscall:unlinkat') THEN 'file replaced, linked or deleted'
              WHEN activity IN ('syscall:chmod', 'syscall:fchmod', 'syscall:fchmodat', 'syscall:fchmodat2', 'syscall:chown', 'syscall:fchown',
                                'syscall:fchownat', 'syscall:lchown', 'syscall:setxattr', 'syscall:lsetxattr', 'syscall:fsetxattr',
                                'syscall:removexattr', 'syscall:lremovexattr', 'syscall:fremovexattr') THEN 'file permissions, owner or attributes changed' END AS change
  FROM e
  WHERE NOT (event_code = 'CONFIG_CHANGE' AND actor_id IS NULL AND coalesce(fields['audit_enabled'], '') <> '0'
             AND coalesce(fields['op'], '') NOT IN ('remove_rule', 'remove rule'))
)
SELECT event_id, time, host, activity, actor_user, target, status, process, command_line, change, fields['key'] AS rule_key
FROM c
WHERE change IS NOT NULL
ORDER BY time, event_id
