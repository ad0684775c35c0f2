/*
id: linux.user_added_to_admin_group
version: 2
title: User added to an administrative group
pack: privileged
families:
- linux
severity: high
category: PG
detects: usermod/gpasswd adding users to sudo, wheel, admin, root, docker and similar groups that grant root-equivalent
  rights; in audit logs (auditd) the USER_MGMT/GRP_MGMT records of a user added to such a group or its shadow group
  (op add-user-to-group, add-user-to-shadow-group; grp is the group).
why: Membership of these groups is administrative privilege; grants must match approved access requests.
controls:
  iso27001:
  - A.8.15
  - A.5.18
  soc2:
  - CC6.2
  - CC6.3
  pci:
  - 10.2.1.5
  nist:
  - AC-2
  - AU-12
params: []
false_positives:
- Onboarding of administrators through change management.
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
- group_name
references:
- Sigma proc_creation_lnx_usermod_susp_group
*/
SELECT event_id, time, host, activity, actor_user, target, src_ip, status, error_code, command_line, service, coalesce(fields['group'], fields['grp']) AS group_name
FROM events
WHERE source_family = 'linux'
  AND time >= $period_start AND time < $period_end
  AND ((activity = 'group_member_added' AND fields['group'] IN ('sudo', 'wheel', 'admin', 'adm', 'root', 'sudoers', 'docker', 'lxd', 'libvirt'))
       OR (source_format = 'auditd' AND event_code IN ('USER_MGMT', 'GRP_MGMT') AND fields['op'] LIKE 'add%user%to%group%'
           AND fields['grp'] IN ('sudo', 'wheel', 'admin', 'adm', 'root', 'sudoers', 'docker', 'lxd', 'libvirt')))
ORDER BY time, event_id
