/*
id: linux.auditd_sensitive_file_write
version: 1
title: Account or sudoers files changed (auditd file watches)
pack: privileged
families:
- linux
severity: medium
category: PG
detects: Successful system calls recorded by audit watches or rules that changed /etc/passwd, /etc/shadow, /etc/group,
  /etc/gshadow, /etc/security/opasswd, /etc/sudoers or a file in /etc/sudoers.d/ (open for writing, creat, truncate,
  rename, link, unlink, chmod, chown and extended-attribute calls; openat2, whose flags the audit record does not
  carry, counts as a change). Reads caught by read-write watches are left out. Paths are matched as logged (absolute).
why: These files define accounts, password hashes, group memberships and who may run what as root; a change made
  outside the account tools (useradd, passwd, visudo) is a direct privilege grant or a backdoor (PCI 10.2.1.5,
  10.2.1.7).
controls:
  iso27001:
  - A.8.15
  - A.5.18
  soc2:
  - CC6.2
  - CC6.3
  pci:
  - 10.2.1.5
  - 10.2.1.7
  nist:
  - AC-2
  - AU-12
  - CM-5
params: []
false_positives:
- useradd, usermod, passwd, visudo and configuration management rewriting the files as part of approved changes
  (the program is shown).
columns:
- event_id
- time
- host
- activity
- actor_user
- status
- process
- command_line
- files
- change
- euid
- rule_key
references:
- ../shared/docs/controls.md §2.8
- CIS Linux benchmarks, "events that modify user/group information" and "changes to system administration scope
  (sudoers)" are collected
*/
WITH s AS (
  SELECT event_id, time, host, activity, actor_user, status, process, command_line, fields,
         list_filter(json_extract_string(try_cast(fields['paths'] AS JSON), '$[*]'),
                     p -> regexp_matches(p, '^/etc/(passwd|shadow|group|gshadow|sudoers|security/opasswd)$|^/etc/sudoers\.d/.')) AS hit,
         CASE WHEN activity = 'syscall:open' THEN TRY_CAST('0x' || fields['a1'] AS UBIGINT)
              WHEN activity IN ('syscall:openat', 'syscall:open_by_handle_at') THEN TRY_CAST('0x' || fields['a2'] AS UBIGINT) END AS open_flags
  FROM events
  WHERE source_family = 'linux'
    AND time >= $period_start AND time < $period_end
    AND source_format = 'auditd' AND event_code = 'SYSCALL' AND status = 'success'
    AND fields['paths'] LIKE '%/etc/%'
),
c AS (
  SELECT *,
         CASE WHEN open_flags IS NOT NULL THEN CASE WHEN (open_flags & 579) <> 0 THEN 'opened for writing' END -- O_WRONLY|O_RDWR|O_CREAT|O_TRUNC
              WHEN activity = 'syscall:openat2' THEN 'opened (openat2: mode not logged)'
              WHEN activity IN ('syscall:creat', 'syscall:truncate', 'syscall:truncate64', 'syscall:ftruncate', 'syscall:ftruncate64') THEN 'created or truncated'
              WHEN activity IN ('syscall:rename', 'syscall:renameat', 'syscall:renameat2', 'syscall:link', 'syscall:linkat', 'syscall:symlink',
                                'syscall:symlinkat', 'syscall:unlink', 'syscall:unlinkat', 'syscall:mknod', 'syscall:mknodat') THEN 'replaced, linked or deleted'
              WHEN activity IN ('syscall:chmod', 'syscall:fchmod', 'syscall:fchmodat', 'syscall:fchmodat2', 'syscall:chown', 'syscall:fchown',
                                'syscall:fchownat', 'syscall:lchown', 'syscall:chown32', 'syscall:fchown32', 'syscall:lchown32',
                                'syscall:setxattr', 'syscall:lsetxattr', 'syscall:fsetxattr', 'syscall:removexattr', 'syscall:lremovexattr',
                                'syscall:fremovexattr', 'syscall:utime', 'syscall:utimes', 'syscall:utimensat', 'syscall:futimesat')
                THEN 'permissions, owner or attributes changed' END AS change
  FROM s
  WHERE len(hit) > 0
)
SELECT event_id, time, host, activity, actor_user, status, process, command_line, array_to_string(list_distinct(hit), ',') AS files, change,
       coalesce(fields['EUID'], fields['euid']) AS euid, fields['key'] AS rule_key
FROM c
WHERE change IS NOT NULL
ORDER BY time, event_id
