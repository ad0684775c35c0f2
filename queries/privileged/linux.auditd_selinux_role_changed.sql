/*
id: linux.auditd_selinux_role_changed
version: 1
title: SELinux role changed or SELinux user mapping assigned (auditd)
pack: privileged
families:
- linux
severity: medium
category: PG
detects: Audit records of a process taking on another SELinux role (USER_ROLE_CHANGE from newrole, sudo or runcon-like
  tools), and of SELinux users and roles assigned to, changed for or removed from Linux accounts (ROLE_ASSIGN,
  ROLE_MODIFY, ROLE_REMOVE, semanage login / user). The USER_ROLE_CHANGE that pam_selinux writes at every login is
  left out when the login keeps its default context (selected-context = default-context).
why: On SELinux systems roles such as sysadm_r, secadm_r or auditadm_r are the administrative privileges; entering one,
  or mapping an account to a role-bearing SELinux user, is a privilege grant or use to review (PCI 10.2.1.2, 10.2.1.5).
controls:
  iso27001:
  - A.8.15
  - A.5.18
  soc2:
  - CC6.2
  - CC6.3
  pci:
  - 10.2.1.2
  - 10.2.1.5
  nist:
  - AC-2
  - AC-6
  - AU-12
params: []
false_positives:
- Administrators entering sysadm_r through newrole as their documented way of working.
- Provisioning tools mapping new administrators to staff_u.
columns:
- event_id
- time
- host
- activity
- actor_user
- target
- status
- process
- from_context
- to_context
references:
- ../shared/docs/controls.md §2.8
- Linux audit record types USER_ROLE_CHANGE, ROLE_ASSIGN, ROLE_MODIFY, ROLE_REMOVE (audit-userspace libaudit.h)
*/
SELECT event_id, time, host, activity, actor_user, target, status, process,
       coalesce(fields['old-context'], fields['default-context'],
                nullif(concat_ws(' ', 'seuser=' || fields['old-seuser'], 'role=' || fields['old-role'], 'range=' || fields['old-range']), '')) AS from_context,
       coalesce(fields['new-context'], fields['selected-context'],
                nullif(concat_ws(' ', 'seuser=' || fields['new-seuser'], 'role=' || fields['new-role'], 'range=' || fields['new-range']), '')) AS to_context
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND (source_format = 'auditd' AND event_code IN ('USER_ROLE_CHANGE', 'ROLE_ASSIGN', 'ROLE_MODIFY', 'ROLE_REMOVE')
       AND NOT (event_code = 'USER_ROLE_CHANGE' AND coalesce(fields['default-context'] = fields['selected-context'], false)))
ORDER BY time, event_id
