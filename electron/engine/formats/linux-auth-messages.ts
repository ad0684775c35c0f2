/**
 * The normalization rules for Linux authentication and account messages (sshd, sudo, su, doas, PAM, shadow-utils,
 * systemd-logind) as SQL over a message text, shared by the formats that carry such messages: syslog lines and
 * systemd journal entries (MESSAGE). One set of rules, so the same message gives the same activity, status, actor
 * and target whatever file it came from. The expressions expect step names `msg` (the message), `prog` (the program
 * name) and `old_pam` (the service of an old-style `su(pam_unix)` tag, '' when there is none) and define the step
 * names below; a mapping spreads `AUTH_EXTRACTS` into one step, puts `act: AUTH_ACTIVITY` in the next and then uses
 * the column expressions. Layer: engine (format helper).
 */

/** `old_pam` from `prog`: the service of an old-style `su(pam_unix)` tag, '' when there is none. */
export const OLD_PAM = String.raw`regexp_extract(prog, '^([\w-]+)\(pam_unix\)$', 1)`;

/** Regex extracts over `msg` (one step). */
export const AUTH_EXTRACTS: Record<string, string> = {
  ssh_ok: String.raw`regexp_extract(msg, '^Accepted (\S+) for (\S+) from (\S+) port (\d+)', ['method', 'user', 'ip', 'port'])`,
  ssh_fail: String.raw`regexp_extract(msg, '^Failed (\S+) for (invalid user )?(\S+) from (\S+) port (\d+)', ['method', 'invalid', 'user', 'ip', 'port'])`,
  ssh_inv: String.raw`regexp_extract(msg, '^Invalid user (\S*) from (\S+)', ['user', 'ip'])`,
  ssh_pre: String.raw`regexp_extract(msg, '^(?:Connection closed|Connection reset|Disconnected) (?:by|from) (authenticating|invalid) user (\S*) (\S+) port (\d+)', ['kind', 'user', 'ip', 'port'])`,
  ssh_denied: String.raw`regexp_extract(msg, '^User (\S+) from (\S+) not allowed because (.*)$', ['user', 'ip', 'why'])`,
  ssh_conn: String.raw`regexp_extract(msg, '^(?:Unable to negotiate with|(?:fatal: )?Timeout before authentication for|Connection closed by|Connection reset by|refused connect from|Did not receive identification string from|ssh_dispatch_run_fatal: Connection from) (?:\S+ \()?([0-9a-fA-F:.]+)\)?', 1)`,
  ssh_max: String.raw`regexp_extract(msg, '^(?:error: )?maximum authentication attempts exceeded for (invalid user )?(\S+) from (\S+)', ['invalid', 'user', 'ip'])`,
  sudo: String.raw`regexp_extract(msg, '^\s*(\S+) : (?:(.*?) ; )?TTY=(\S*) ; PWD=(.*?) ; USER=(\S+) ;.*?COMMAND=(.*)$', ['user', 'problem', 'tty', 'pwd', 'runas', 'command'])`,
  pam: String.raw`regexp_extract(msg, '^pam_\w+\(([^:)]+):(\w+)\): (.*)$', ['service', 'type', 'text'])`,
  su_bad: String.raw`regexp_extract(msg, '^(?:BAD SU (\S+) to (\S+) on (\S+)|failed: (\S+) changing from (\S+) to (\S+))', ['by1', 'target1', 'tty1', 'tty2', 'by2', 'target2'])`,
  su_plain: String.raw`regexp_extract(msg, '^(\S+) to (\S+) on (\S+)$', ['by', 'target', 'tty'])`,
  doas_ok: String.raw`regexp_extract(msg, '^(\S+) ran command (?:(.*?) )?as (\S+?)(?:: (.*)| from .*)?$', ['user', 'command1', 'target', 'command2'])`,
  doas_fail: String.raw`regexp_extract(msg, '^failed (command|auth) for (\S+?):?(?: (.*))?$', ['what', 'user', 'command'])`,
  pre_invalid: String.raw`regexp_extract(msg, '^(?:Postponed \S+ for invalid user (\S+) from (\S+)|input_userauth_request: invalid user (\S+))', ['user1', 'ip', 'user2'])`,
  sess: String.raw`regexp_extract(msg, 'session (opened|closed) for user (\S+?)(?:\(uid=\d+\))?(?: by (\S*?)(?:\(uid=\d+\))?)?$', ['what', 'user', 'by'])`,
  su_ok: String.raw`regexp_extract(msg, '^(?:Successful su for (\S+) by (\S+)|\(to (\S+)\) (\S+) on (\S+))', ['target1', 'by1', 'target2', 'by2', 'tty'])`,
  su_fail: String.raw`regexp_extract(msg, '^FAILED su for (\S+) by (\S+)', ['target', 'by'])`,
  user_add: String.raw`regexp_extract(msg, '^new user: name=([^,]+), UID=(\d+)', ['user', 'uid'])`,
  group_add: String.raw`regexp_extract(msg, '^(?:new group|group added to /etc/group): name=([^,]+), GID=(\d+)', ['grp', 'gid'])`,
  member_add: String.raw`regexp_extract(msg, '^add ''([^'']+)'' to (?:shadow )?group ''([^'']+)''', ['user', 'grp'])`,
  user_del: String.raw`regexp_extract(msg, '^delete user ''([^'']+)''', 1)`,
  user_mod: String.raw`regexp_extract(msg, '^(?:change user|lock user|unlock user) ''([^'']+)''', 1)`,
  useradd_fail: String.raw`regexp_extract(msg, '^failed adding user ''([^'']+)''', 1)`,
  pw_chg: String.raw`regexp_extract(msg, 'password changed for (\S+)', 1)`,
  logind: String.raw`regexp_extract(msg, '^New session (\S+) of user (\S+)\.?$', ['session', 'user'])`,
  not_sudoer: String.raw`regexp_extract(msg, '^\s*(\S+) : user NOT in sudoers', 1)`,
  authfail_user: String.raw`regexp_extract(msg, 'authentication failure;.*?\buser=(\S+)', 1)`,
  rhost: String.raw`regexp_extract(msg, '\brhost=(\S+)', 1)`,
  ruser: String.raw`regexp_extract(msg, '\bruser=(\S+)', 1)`,
};

/** The normalized activity (step name `act`, in the step after the extracts); NULL for other messages. */
export const AUTH_ACTIVITY = `CASE
          WHEN ssh_ok.user <> '' OR ssh_fail.user <> '' THEN 'ssh_login'
          WHEN ssh_inv.ip <> '' THEN 'ssh_invalid_user'
          WHEN ssh_max.user <> '' THEN 'ssh_max_auth_attempts'
          WHEN ssh_denied.user <> '' THEN 'ssh_login'
          WHEN ssh_pre.ip <> '' THEN 'ssh_preauth_disconnect'
          WHEN ssh_conn <> '' THEN 'ssh_connection_failed'
          WHEN sudo.user <> '' THEN 'sudo'
          WHEN not_sudoer <> '' THEN 'sudo'
          WHEN su_ok.by1 <> '' OR su_ok.by2 <> '' OR su_fail.by <> '' THEN 'su'
          WHEN prog = 'su' AND (su_bad.by1 <> '' OR su_bad.by2 <> '' OR su_plain.by <> '') THEN 'su'
          WHEN prog = 'doas' AND (doas_ok.user <> '' OR doas_fail.user <> '') THEN 'doas'
          WHEN pre_invalid.user1 <> '' OR pre_invalid.user2 <> '' THEN 'ssh_invalid_user'
          WHEN user_add.user <> '' THEN 'user_created'
          WHEN useradd_fail <> '' THEN 'user_created'
          WHEN group_add.grp <> '' THEN 'group_created'
          WHEN member_add.user <> '' THEN 'group_member_added'
          WHEN user_del <> '' THEN 'user_deleted'
          WHEN user_mod <> '' THEN 'user_modified'
          WHEN pw_chg <> '' THEN 'password_changed'
          WHEN sess.what <> '' AND (pam.type = 'session' OR old_pam <> '') THEN 'session_' || sess.what
          WHEN logind.user <> '' THEN 'session_opened'
          WHEN msg LIKE '%authentication failure;%' OR msg LIKE '%more authentication failures;%' OR (old_pam <> '' AND msg LIKE 'check pass; user unknown%') THEN 'auth_failure'
          WHEN msg LIKE 'Time has been changed%' OR msg LIKE 'System clock time unset or jumped%' THEN 'system_time_changed'
          END`;

/** Event columns derived from the message (after `act`). */
export const AUTH_COLUMNS = {
  category: `CASE
        WHEN act IN ('ssh_login', 'ssh_invalid_user', 'ssh_max_auth_attempts', 'ssh_preauth_disconnect', 'ssh_connection_failed', 'auth_failure', 'session_opened', 'session_closed') THEN 'authentication'
        WHEN act IN ('sudo', 'su', 'doas') THEN 'privilege'
        WHEN act IN ('user_created', 'group_created', 'group_member_added', 'user_deleted', 'user_modified', 'password_changed') THEN 'account_management'
        WHEN act = 'system_time_changed' THEN 'system'
        WHEN prog IN ('auditd', 'rsyslogd', 'systemd-journald', 'syslog-ng', 'audispd') THEN 'audit_logging'
        END`,
  status: `CASE
        WHEN ssh_ok.user <> '' THEN 'success'
        WHEN ssh_fail.user <> '' OR ssh_inv.ip <> '' OR ssh_max.user <> '' OR ssh_denied.user <> '' OR ssh_pre.ip <> '' OR ssh_conn <> ''
          OR pre_invalid.user1 <> '' OR pre_invalid.user2 <> '' OR doas_fail.user <> ''
          OR (act = 'su' AND (su_bad.by1 <> '' OR su_bad.by2 <> '')) OR su_fail.by <> '' OR not_sudoer <> '' OR useradd_fail <> '' THEN 'failure'
        WHEN act = 'auth_failure' THEN 'failure'
        WHEN sudo.user <> '' THEN CASE WHEN sudo.problem <> '' THEN 'failure' ELSE 'success' END
        WHEN act IS NOT NULL THEN 'success'
        END`,
  error_code: `CASE WHEN act = 'auth_failure' AND msg LIKE 'check pass; user unknown%' THEN 'user unknown' WHEN doas_fail.user <> '' THEN 'failed ' || doas_fail.what WHEN pre_invalid.user1 <> '' OR pre_invalid.user2 <> '' THEN 'invalid user' WHEN ssh_denied.why <> '' THEN 'not allowed because ' || ssh_denied.why WHEN ssh_pre.kind = 'invalid' THEN 'invalid user' WHEN sudo.problem <> '' THEN sudo.problem WHEN not_sudoer <> '' THEN 'user NOT in sudoers' WHEN ssh_fail.invalid <> '' OR ssh_inv.ip <> '' THEN 'invalid user' END`,
  actor_user: `nullif(CASE
        WHEN ssh_ok.user <> '' THEN ssh_ok.user
        WHEN ssh_fail.user <> '' THEN ssh_fail.user
        WHEN ssh_inv.ip <> '' THEN ssh_inv.user
        WHEN ssh_max.user <> '' THEN ssh_max.user
        WHEN ssh_denied.user <> '' THEN ssh_denied.user
        WHEN ssh_pre.ip <> '' THEN ssh_pre.user
        WHEN sudo.user <> '' THEN sudo.user
        WHEN not_sudoer <> '' THEN not_sudoer
        WHEN su_ok.by1 <> '' THEN su_ok.by1
        WHEN su_ok.by2 <> '' THEN su_ok.by2
        WHEN su_fail.by <> '' THEN su_fail.by
        WHEN act = 'su' AND su_bad.by1 <> '' THEN su_bad.by1
        WHEN act = 'su' AND su_bad.by2 <> '' THEN su_bad.by2
        WHEN act = 'su' AND su_plain.by <> '' THEN su_plain.by
        WHEN act = 'doas' THEN coalesce(nullif(doas_ok.user, ''), doas_fail.user)
        WHEN pre_invalid.user1 <> '' THEN pre_invalid.user1
        WHEN pre_invalid.user2 <> '' THEN pre_invalid.user2
        WHEN sess.what <> '' AND sess.by <> '' THEN sess.by
        WHEN sess.what <> '' THEN sess.user
        WHEN logind.user <> '' THEN logind.user
        WHEN act = 'auth_failure' THEN coalesce(nullif(ruser, ''), authfail_user)
        END, '')`,
  actor_type: `CASE WHEN act IS NOT NULL THEN 'user' END`,
  src_ip: `nullif(CASE
        WHEN ssh_ok.ip <> '' THEN ssh_ok.ip
        WHEN ssh_fail.ip <> '' THEN ssh_fail.ip
        WHEN ssh_inv.ip <> '' THEN ssh_inv.ip
        WHEN ssh_max.ip <> '' THEN ssh_max.ip
        WHEN ssh_denied.ip <> '' THEN ssh_denied.ip
        WHEN ssh_pre.ip <> '' THEN ssh_pre.ip
        WHEN ssh_conn <> '' THEN ssh_conn
        WHEN pre_invalid.ip <> '' THEN pre_invalid.ip
        WHEN rhost <> '' THEN rhost
        END, '')`,
  command_line: `nullif(coalesce(nullif(sudo.command, ''), nullif(doas_ok.command1, ''), nullif(doas_ok.command2, ''), doas_fail.command), '')`,
  target: `nullif(CASE
        WHEN sudo.user <> '' THEN sudo.runas
        WHEN su_ok.by1 <> '' THEN su_ok.target1
        WHEN su_ok.by2 <> '' THEN su_ok.target2
        WHEN su_fail.by <> '' THEN su_fail.target
        WHEN act = 'su' AND su_bad.by1 <> '' THEN su_bad.target1
        WHEN act = 'su' AND su_bad.by2 <> '' THEN su_bad.target2
        WHEN act = 'su' AND su_plain.by <> '' THEN su_plain.target
        WHEN act = 'doas' AND doas_ok.user <> '' THEN doas_ok.target
        WHEN user_add.user <> '' THEN user_add.user
        WHEN useradd_fail <> '' THEN useradd_fail
        WHEN group_add.grp <> '' THEN group_add.grp
        WHEN member_add.user <> '' THEN member_add.user
        WHEN user_del <> '' THEN user_del
        WHEN user_mod <> '' THEN user_mod
        WHEN pw_chg <> '' THEN pw_chg
        WHEN sess.what <> '' AND sess.by <> '' THEN sess.user
        WHEN act = 'auth_failure' THEN authfail_user
        END, '')`,
};

/** `{'k': name, 'v': value}` entries for a `fields` map: what the message rules found (NULL values are dropped by the caller). */
export const AUTH_FIELD_ENTRIES = [
  `{'k': 'command', 'v': nullif(coalesce(nullif(sudo.command, ''), nullif(coalesce(nullif(doas_ok.command1, ''), doas_ok.command2), ''), doas_fail.command), '')}`,
  `{'k': 'tty', 'v': nullif(coalesce(nullif(sudo.tty, ''), su_ok.tty), '')}`,
  `{'k': 'pwd', 'v': nullif(sudo.pwd, '')}`,
  `{'k': 'auth_method', 'v': nullif(coalesce(nullif(ssh_ok.method, ''), ssh_fail.method), '')}`,
  `{'k': 'src_port', 'v': nullif(coalesce(nullif(ssh_ok.port, ''), ssh_fail.port), '')}`,
  `{'k': 'group', 'v': nullif(coalesce(nullif(member_add.grp, ''), group_add.grp), '')}`,
  `{'k': 'uid', 'v': nullif(user_add.uid, '')}`,
  `{'k': 'pam_service', 'v': nullif(coalesce(nullif(pam.service, ''), old_pam), '')}`,
];
