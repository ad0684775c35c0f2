/**
 * Linux text logs (auth.log, secure, syslog, messages) in the three line shapes rsyslog/syslog-ng write:
 * RFC 3164 (`Mmm dd hh:mm:ss host tag[pid]: msg`, no year, local time), RFC 3339 "high precision"
 * (`2024-03-01T10:00:00.123+01:00 host tag: msg`) and RFC 5424 (`<pri>1 ts host app procid msgid sd msg`).
 * RFC 3164 years are inferred (member parameters `anchor`, `anchorSource`): the last line of a file is dated at or
 * before its anchor (the file's modification date when it is plausible for the case, else the case period end) and
 * each Dec→Jan step going forwards adds a year; `time_inferred` says so on every such event. Times without an
 * offset are read in the case time zone. Messages of sshd, sudo, su, PAM, shadow-utils and systemd-logind are
 * normalized (activity, status, actor, target, source IP) by the rules in linux-auth-messages.ts, which the journald
 * module shares; every line keeps program, pid and message in `fields`.
 * Layer: engine (format module).
 */
import type { FormatModule, Mapping, MapContext, SniffSample } from './types.js';
import { lit } from './sql.js';
import { AUTH_ACTIVITY, AUTH_COLUMNS, AUTH_EXTRACTS, AUTH_FIELD_ENTRIES, OLD_PAM } from './linux-auth-messages.js';

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
        old_pam: OLD_PAM,
      },
      {
        ts: `CASE kind
          WHEN 'rfc3164' THEN timezone(${tz}, try(make_timestamp(yr, mon_n, try_cast(p3.day AS INTEGER), try_cast(p3.hh AS INTEGER), try_cast(p3.mi AS INTEGER), try_cast(p3.ss AS DOUBLE))))
          WHEN 'rfc3339' THEN try_cast(pi.ts AS TIMESTAMPTZ)
          WHEN 'rfc5424' THEN CASE WHEN regexp_matches(p5.ts, '(?i)(z|[+-]\\d{2}:\\d{2})$') THEN try_cast(p5.ts AS TIMESTAMPTZ) ELSE timezone(${tz}, try_cast(p5.ts AS TIMESTAMP)) END
          END`,
        ...AUTH_EXTRACTS,
      },
      {
        act: AUTH_ACTIVITY,
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
      category: AUTH_COLUMNS.category,
      status: AUTH_COLUMNS.status,
      error_code: AUTH_COLUMNS.error_code,
      actor_user: AUTH_COLUMNS.actor_user,
      actor_type: AUTH_COLUMNS.actor_type,
      src_ip: AUTH_COLUMNS.src_ip,
      host: 'host_',
      process: `coalesce(nullif(old_pam, ''), prog)`,
      command_line: AUTH_COLUMNS.command_line,
      target: AUTH_COLUMNS.target,
      fields: `map_from_entries(list_filter([
        {'k': 'pid', 'v': pid},
        {'k': 'facility', 'v': (pri // 8)::VARCHAR},
        {'k': 'severity', 'v': (pri % 8)::VARCHAR},
        {'k': 'msgid', 'v': CASE WHEN kind = 'rfc5424' THEN nullif(p5.msgid, '-') END},
        {'k': 'structured_data', 'v': CASE WHEN kind = 'rfc5424' THEN nullif(p5.sd, '-') END},
        ${AUTH_FIELD_ENTRIES.join(',\n        ')},
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
