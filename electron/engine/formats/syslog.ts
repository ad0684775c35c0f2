/**
 * Linux text logs (auth.log, secure, syslog, messages) in the three line shapes rsyslog/syslog-ng write:
 * RFC 3164 (`Mmm dd hh:mm:ss host tag[pid]: msg`, no year, local time), RFC 3339 "high precision"
 * (`2024-03-01T10:00:00.123+01:00 host tag: msg`) and RFC 5424 (`<pri>1 ts host app procid msgid sd msg`).
 * RFC 3164 years are inferred (member parameters `anchor`, `anchorSource`): the last line of a file is dated at or
 * before its anchor (the file's modification date when it is plausible for the case, else the case period end) and
 * each Dec→Jan step going forwards adds a year; `time_inferred` says so on every such event. Times without an
 * offset are read in the case time zone. Messages of sshd, sudo, su, PAM, shadow-utils and systemd-logind are
 * normalized (activity, status, actor, target, source IP); every line keeps program, pid and message in `fields`.
 * Layer: engine (format module).
 */
import type { FormatModule, Mapping, MapContext, SniffSample } from './types.js';
import { lit } from './sql.js';

const RE_3164 = /^(?:<\d{1,3}>)?[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}(?:\.\d{1,6})? \S+ /;
const RE_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})? \S+ /;
const RE_5424 = /^<\d{1,3}>1 \S+ \S+ \S+ \S+ \S+ /;

export function syslogMapping(ctx: MapContext): Mapping {
  const tz = lit(ctx.caseTimezone);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const monCase = `CASE p3.mon ${months.map((m, i) => `WHEN '${m}' THEN ${i + 1}`).join(' ')} END`;
  const w = 'PARTITION BY s.member_id';
  return {
    steps: [
      {
        p3: String.raw`regexp_extract(s.raw, '^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}(?:\.\d{1,6})?) (.*)$', ['pri', 'mon', 'day', 'hh', 'mi', 'ss', 'rest'])`,
        pi: String.raw`regexp_extract(s.raw, '^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?) (.*)$', ['ts', 'rest'])`,
        p5: String.raw`regexp_extract(s.raw, '^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(.*)$', ['pri', 'ts', 'host', 'app', 'procid', 'msgid', 'sd', 'msg'])`,
      },
      {
        kind: `CASE WHEN p5.ts <> '' THEN 'rfc5424' WHEN pi.ts <> '' THEN 'rfc3339' WHEN p3.mon <> '' THEN 'rfc3164' END`,
        mon_n: monCase,
        tag: String.raw`regexp_extract(CASE WHEN pi.ts <> '' THEN pi.rest ELSE p3.rest END, '^(\S+) ([^\s:\[]+)(?:\[(\d+)\])?: ?(.*)$', ['host', 'prog', 'pid', 'msg'])`,
      },
      {
        // Year inference for RFC 3164: rollovers counted forwards, anchored at the last line of the file.
        prev_mon: `lag(mon_n IGNORE NULLS) OVER (${w} ORDER BY s.record_index)`,
        last_mon: `last_value(mon_n IGNORE NULLS) OVER (${w} ORDER BY s.record_index ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`,
        last_day: `last_value(CASE WHEN mon_n IS NOT NULL THEN try_cast(p3.day AS INTEGER) END IGNORE NULLS) OVER (${w} ORDER BY s.record_index ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`,
        anchor: `try_cast(s.params->>'$.anchor' AS DATE)`,
      },
      { roll: `CASE WHEN mon_n IS NOT NULL AND prev_mon - mon_n >= 6 THEN 1 ELSE 0 END` },
      {
        k: `(sum(roll) OVER (${w} ORDER BY s.record_index ROWS UNBOUNDED PRECEDING))::INTEGER`,
        ktotal: `(sum(roll) OVER (${w}))::INTEGER`,
        year_last: `CASE WHEN last_mon < month(anchor) OR (last_mon = month(anchor) AND last_day <= day(anchor)) THEN year(anchor) ELSE year(anchor) - 1 END`,
      },
      {
        yr: `CASE WHEN kind = 'rfc3164' THEN year_last - (ktotal - k) END`,
        host_: `CASE kind WHEN 'rfc5424' THEN nullif(p5.host, '-') ELSE nullif(tag.host, '') END`,
        prog: `CASE kind WHEN 'rfc5424' THEN nullif(p5.app, '-') ELSE nullif(tag.prog, '') END`,
        pid: `CASE kind WHEN 'rfc5424' THEN nullif(p5.procid, '-') ELSE nullif(tag.pid, '') END`,
        msg0: `CASE kind WHEN 'rfc5424' THEN p5.msg WHEN 'rfc3339' THEN coalesce(nullif(tag.msg, ''), regexp_extract(pi.rest, '^\\S+ (.*)$', 1)) ELSE coalesce(nullif(tag.msg, ''), regexp_extract(p3.rest, '^\\S+ (.*)$', 1)) END`,
        pri: `try_cast(CASE kind WHEN 'rfc5424' THEN p5.pri WHEN 'rfc3164' THEN nullif(p3.pri, '') END AS INTEGER)`,
      },
      {
        // Solaris writes "[ID 800047 auth.notice] " before the message; old PAM tags read "su(pam_unix)[123]:".
        msg: String.raw`regexp_replace(msg0, '^\[ID \d+ [\w.]+\] ', '')`,
        old_pam: String.raw`regexp_extract(prog, '^([\w-]+)\(pam_unix\)$', 1)`,
      },
      {
        ts: `CASE kind
          WHEN 'rfc3164' THEN timezone(${tz}, try(make_timestamp(yr, mon_n, try_cast(p3.day AS INTEGER), try_cast(p3.hh AS INTEGER), try_cast(p3.mi AS INTEGER), try_cast(p3.ss AS DOUBLE))))
          WHEN 'rfc3339' THEN try_cast(pi.ts AS TIMESTAMPTZ)
          WHEN 'rfc5424' THEN CASE WHEN regexp_matches(p5.ts, '(?i)(z|[+-]\\d{2}:\\d{2})$') THEN try_cast(p5.ts AS TIMESTAMPTZ) ELSE timezone(${tz}, try_cast(p5.ts AS TIMESTAMP)) END
          END`,
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
      },
      {
        act: `CASE
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
          END`,
      },
    ],
    columns: {
      time_raw: `CASE kind WHEN 'rfc3164' THEN regexp_extract(s.raw, '^(?:<\\d{1,3}>)?([A-Z][a-z]{2} +\\d{1,2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?)', 1) WHEN 'rfc3339' THEN pi.ts WHEN 'rfc5424' THEN p5.ts END`,
      time: 'ts',
      time_inferred: `CASE
        WHEN kind = 'rfc3164' THEN 'year ' || yr || ' inferred from ' || coalesce(s.params->>'$.anchorSource', 'case period') || ' ' || coalesce(s.params->>'$.anchor', '') || '; local time in ' || ${tz}
        WHEN kind = 'rfc5424' AND NOT regexp_matches(p5.ts, '(?i)(z|[+-]\\d{2}:\\d{2})$') THEN 'no UTC offset: local time in ' || ${tz}
        END`,
      source_format: `'syslog_' || coalesce(kind, 'unknown')`,
      activity: 'act',
      service: `coalesce(nullif(old_pam, ''), prog)`,
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
      host: 'host_',
      process: `coalesce(nullif(old_pam, ''), prog)`,
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
      fields: `map_from_entries(list_filter([
        {'k': 'pid', 'v': pid},
        {'k': 'facility', 'v': (pri // 8)::VARCHAR},
        {'k': 'severity', 'v': (pri % 8)::VARCHAR},
        {'k': 'msgid', 'v': CASE WHEN kind = 'rfc5424' THEN nullif(p5.msgid, '-') END},
        {'k': 'structured_data', 'v': CASE WHEN kind = 'rfc5424' THEN nullif(p5.sd, '-') END},
        {'k': 'command', 'v': nullif(coalesce(nullif(sudo.command, ''), nullif(coalesce(nullif(doas_ok.command1, ''), doas_ok.command2), ''), doas_fail.command), '')},
        {'k': 'tty', 'v': nullif(coalesce(nullif(sudo.tty, ''), su_ok.tty), '')},
        {'k': 'pwd', 'v': nullif(sudo.pwd, '')},
        {'k': 'auth_method', 'v': nullif(coalesce(nullif(ssh_ok.method, ''), ssh_fail.method), '')},
        {'k': 'src_port', 'v': nullif(coalesce(nullif(ssh_ok.port, ''), ssh_fail.port), '')},
        {'k': 'group', 'v': nullif(coalesce(nullif(member_add.grp, ''), group_add.grp), '')},
        {'k': 'uid', 'v': nullif(user_add.uid, '')},
        {'k': 'pam_service', 'v': nullif(coalesce(nullif(pam.service, ''), old_pam), '')},
        {'k': 'message', 'v': msg}
      ], x -> x.v IS NOT NULL))`,
    },
    reject: `CASE WHEN kind IS NULL THEN 'not a syslog line (no RFC 3164, RFC 3339 or RFC 5424 header)'
      WHEN kind = 'rfc3164' AND anchor IS NULL THEN 'no year anchor for an RFC 3164 line'
      WHEN kind = 'rfc3164' AND ts IS NULL THEN 'no such date: ' || p3.mon || ' ' || p3.day || ' ' || p3.hh || ':' || p3.mi || ':' || p3.ss || ' in the inferred year ' || yr END`,
  };
}

export const syslog: FormatModule = {
  name: 'syslog',
  family: 'linux',
  description: 'Linux syslog text (auth.log, secure, syslog, messages): RFC 3164, RFC 3339 (high precision) and RFC 5424 lines',
  defaultFraming: { kind: 'lines' },
  sniff(s: SniffSample) {
    if (s.text === null) return null;
    const lead = s.text.trimStart()[0];
    if (lead === '{' || lead === '[') return null;
    const lines = s.text.split('\n', 41).slice(0, s.complete ? 40 : 39).map((l) => l.replace(/\r$/, '')).filter((l) => l.trim().length > 0);
    if (lines.length === 0) return null;
    const hits = lines.filter((l) => RE_3164.test(l) || RE_ISO.test(l) || RE_5424.test(l)).length;
    const ratio = hits / lines.length;
    if (ratio < 0.6) return null;
    return { confidence: 0.6 + 0.35 * ratio, framing: { kind: 'lines' }, params: {} };
  },
  mapping: syslogMapping,
  wholeMember: true,
};
