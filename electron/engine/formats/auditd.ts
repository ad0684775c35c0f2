/**
 * Linux audit (auditd) logs: `/var/log/audit/audit.log` in the raw and ENRICHED formats (optionally with `node=`
 * prefixes) and `ausearch`/`ausearch --raw` output. The `auditd-events` framer groups the records of each event
 * (one serial) into one record and renders its fields as JSON; the SQL mapping here derives the event columns from
 * that JSON (one json_transform per event).
 *
 * Normalization: activity is `syscall:<name>` for kernel syscall events (the name from ENRICHED `SYSCALL=` or the
 * syscall table for the record's `arch`) and the main record type in lower case otherwise (`user_auth`, `add_user`,
 * `service_stop`…); event_code is the main record type as written. The actor is the login uid (`auid`; 4294967295
 * means unset): its ENRICHED name when the log has one, else the number as written; login records without a login
 * uid name the account (`acct`). Times are epoch seconds in the header, UTC. `ausearch -i` output (interpreted
 * values, local locale-formatted times) is rejected with a reason rather than guessed at. Layer: engine (format module).
 */
import type { FormatModule, Mapping, SniffSample } from './types.js';
import { listLit, lit } from './sql.js';
import { registerFramer } from '../framing/custom.js';
import { AuditdFramer } from './auditd-framer.js';

registerFramer('auditd-events', (sink, limits, startOffset) => new AuditdFramer(sink, limits, startOffset));

const EVENT_STRUCT = {
  time: 'VARCHAR',
  serial: 'VARCHAR',
  node: 'VARCHAR',
  types: ['VARCHAR'],
  main: 'VARCHAR',
  f: 'MAP(VARCHAR, VARCHAR)',
  enr: 'MAP(VARCHAR, VARCHAR)',
  syscall: 'VARCHAR',
  argv: ['VARCHAR'],
  proctitle: 'VARCHAR',
  cwd: 'VARCHAR',
  paths: ['VARCHAR'],
  path_target: 'VARCHAR',
};

/** Record types of logins and PAM: the account they are about is `acct`. */
const LOGIN_TYPES = ['USER_AUTH', 'USER_ACCT', 'USER_LOGIN', 'USER_LOGOUT', 'CRED_ACQ', 'CRED_DISP', 'CRED_REFR', 'USER_START', 'USER_END', 'USER_ERR', 'ANOM_LOGIN_FAILURES', 'LOGIN'];
/** Record types of account management: the account or group acted on is `acct` (or `id` in older shadow-utils). */
const ACCOUNT_TYPES = ['ADD_USER', 'DEL_USER', 'ADD_GROUP', 'DEL_GROUP', 'USER_MGMT', 'GRP_MGMT', 'USER_CHAUTHTOK', 'GRP_CHAUTHTOK', 'ACCT_LOCK', 'ACCT_UNLOCK', 'CHUSER_ID', 'CHGRP_ID'];
const AUDIT_TYPES = ['CONFIG_CHANGE', 'DAEMON_START', 'DAEMON_END', 'DAEMON_ABORT', 'DAEMON_CONFIG', 'DAEMON_RECONFIG', 'DAEMON_ROTATE', 'DAEMON_RESUME', 'DAEMON_ACCEPT', 'DAEMON_CLOSE', 'DAEMON_ERR'];
const SYSTEM_TYPES = ['SERVICE_START', 'SERVICE_STOP', 'SYSTEM_BOOT', 'SYSTEM_SHUTDOWN', 'SYSTEM_RUNLEVEL'];

/** errno values shared by every Linux architecture, for failed syscalls (exit=-N). */
const ERRNO = ['EPERM', 'ENOENT', 'ESRCH', 'EINTR', 'EIO', 'ENXIO', 'E2BIG', 'ENOEXEC', 'EBADF', 'ECHILD', 'EAGAIN', 'ENOMEM', 'EACCES', 'EFAULT', 'ENOTBLK', 'EBUSY', 'EEXIST', 'EXDEV', 'ENODEV', 'ENOTDIR', 'EISDIR', 'EINVAL', 'ENFILE', 'EMFILE', 'ENOTTY', 'ETXTBSY', 'EFBIG', 'ENOSPC', 'ESPIPE', 'EROFS', 'EMLINK', 'EPIPE', 'EDOM', 'ERANGE'];

const inList = (xs: string[]) => `(${xs.map(lit).join(', ')})`;

export function auditdMapping(): Mapping {
  const f = (k: string) => `j.f[${lit(k)}]`;
  const e = (k: string) => `j.enr[${lit(k)}]`;
  return {
    steps: [
      { j: `try(json_transform(s.parsed, ${lit(JSON.stringify(EVENT_STRUCT))}))` },
      {
        tparts: String.raw`regexp_extract(j.time, '^(\d+)(?:\.(\d{1,6}))?$', ['sec', 'frac'])`,
        auid_raw: `coalesce(${f('auid')}, ${f('loginuid')})`,
        acct: f('acct'),
        res: `lower(coalesce(${f('res')}, ${f('result')}))`,
      },
      // An account name, not a placeholder ("?", "(unknown)", sshd's "(invalid user)").
      { acct_name: `CASE WHEN acct <> '?' AND NOT regexp_matches(acct, '^\\(.*\\)$') THEN acct END` },
      {
        auid_set: `auid_raw IS NOT NULL AND auid_raw NOT IN ('4294967295', '-1', 'unset')`,
        ts: `CASE WHEN tparts.sec <> '' THEN try(make_timestamptz(try_cast(tparts.sec AS BIGINT) * 1000000 + coalesce(try_cast(rpad(nullif(tparts.frac, ''), 6, '0') AS BIGINT), 0))) END`,
      },
    ],
    columns: {
      time_raw: 'j.time',
      time: 'ts',
      activity: `CASE WHEN j.main = 'SYSCALL' THEN 'syscall:' || coalesce(j.syscall, ${f('syscall')}, '?') ELSE lower(j.main) END`,
      event_code: 'j.main',
      category: `CASE
        WHEN j.main IN ${inList(LOGIN_TYPES)} THEN 'authentication'
        WHEN j.main IN ${inList(ACCOUNT_TYPES)} THEN 'account_management'
        WHEN j.main IN ('USER_CMD', 'USER_ROLE_CHANGE', 'ROLE_ASSIGN', 'ROLE_REMOVE') THEN 'privilege'
        WHEN j.main IN ${inList(AUDIT_TYPES)} THEN 'audit_logging'
        WHEN j.main IN ${inList(SYSTEM_TYPES)} THEN 'system'
        WHEN j.main LIKE 'ANOM\\_%' ESCAPE '\\' THEN 'anomaly'
        WHEN j.main = 'SYSCALL' AND j.syscall IN ('execve', 'execveat') THEN 'process'
        WHEN j.main = 'SYSCALL' THEN 'syscall'
        END`,
      service: `'auditd'`,
      status: `CASE
        WHEN j.main = 'SYSCALL' THEN CASE lower(${f('success')}) WHEN 'yes' THEN 'success' WHEN 'no' THEN 'failure' END
        WHEN j.main LIKE 'ANOM\\_%' ESCAPE '\\' THEN NULL
        WHEN res IN ('success', 'yes', '1') THEN 'success'
        WHEN res IN ('failed', 'fail', 'failure', 'no', '0') THEN 'failure'
        END`,
      error_code: `CASE WHEN j.main = 'SYSCALL' AND lower(${f('success')}) = 'no' THEN
          coalesce((${listLit(ERRNO)})[try_cast(ltrim(${f('exit')}, '-') AS INTEGER)], ${f('exit')}) END`,
      actor_user: `CASE WHEN auid_set THEN coalesce(${e('AUID')}, auid_raw) WHEN j.main IN ${inList(LOGIN_TYPES)} THEN acct_name END`,
      actor_id: `CASE WHEN auid_set THEN auid_raw END`,
      actor_type: `CASE WHEN auid_set OR (j.main IN ${inList(LOGIN_TYPES)} AND acct_name IS NOT NULL) THEN 'user' END`,
      src_ip: `CASE WHEN ${f('addr')} NOT IN ('?', '') THEN ${f('addr')} END`,
      host: `j.node`,
      target: `CASE
        WHEN j.main IN ${inList(ACCOUNT_TYPES)} THEN coalesce(acct_name, nullif(${f('id')}, '?'))
        WHEN j.main IN ${inList(LOGIN_TYPES)} AND auid_set THEN acct_name
        WHEN j.main IN ('SERVICE_START', 'SERVICE_STOP') THEN ${f('unit')}
        WHEN j.main = 'SYSCALL' THEN j.path_target
        END`,
      process: `coalesce(${f('exe')}, ${f('comm')})`,
      command_line: `coalesce(nullif(array_to_string(j.argv, ' '), ''), j.proctitle, ${f('cmd')})`,
      record_id: 'j.serial',
      // The main record's fields by name (ENRICHED translations under their upper-case names), plus the event's
      // other records in short: their types, the decoded arguments and title, the working directory and paths.
      fields: `map_concat(j.f, j.enr, map_from_entries(list_filter([
          {'k': 'record_types', 'v': array_to_string(j.types, ',')},
          {'k': 'syscall_name', 'v': j.syscall},
          {'k': 'argv', 'v': CASE WHEN j.argv IS NOT NULL THEN to_json(j.argv)::VARCHAR END},
          {'k': 'proctitle', 'v': j.proctitle},
          {'k': 'cwd', 'v': j.cwd},
          {'k': 'paths', 'v': CASE WHEN len(j.paths) > 0 THEN to_json(j.paths)::VARCHAR END}
        ], x -> x.v IS NOT NULL AND NOT map_contains(j.f, x.k) AND NOT map_contains(j.enr, x.k))))`,
    },
    reject: `CASE
      WHEN j IS NULL OR j.main IS NULL THEN 'not an auditd event: the framer produced no record fields'
      WHEN tparts.sec = '' OR tparts.sec IS NULL THEN CASE WHEN regexp_matches(j.time, '^\\d{1,2}/\\d{1,2}/\\d{2,4} ')
        THEN 'ausearch -i output (interpreted values, times in the local date format) is not read: export with ausearch --raw'
        ELSE 'unreadable audit time "' || j.time || '" (expected epoch seconds)' END
      END`,
  };
}

/** A line of an audit log: optional `node=`, then `type=… msg=audit(…)`. */
const AUDIT_LINE = /^(?:node=\S+ )?type=[A-Za-z0-9_]+ msg=audit\([^)]*:\d+\)/;

export const auditd: FormatModule = {
  name: 'auditd',
  family: 'linux',
  description: 'Linux audit log (/var/log/audit/audit.log, raw or ENRICHED; ausearch --raw output): records grouped into events by serial',
  defaultFraming: { kind: 'custom', framer: 'auditd-events' },
  sniff(s: SniffSample) {
    if (s.text === null) return null;
    const lines = s.text.split('\n', 61).slice(0, s.complete ? 60 : 59).map((l) => l.replace(/\r$/, ''));
    const content = lines.filter((l) => l.trim() !== '' && !/^(?:-{4,}|time->)/.test(l));
    if (content.length === 0) return null;
    const hits = content.filter((l) => AUDIT_LINE.test(l)).length;
    const ratio = hits / content.length;
    if (ratio < 0.6) return null;
    return { confidence: 0.6 + 0.38 * ratio, framing: { kind: 'custom', framer: 'auditd-events' }, params: {} };
  },
  mapping: auditdMapping,
};

export const auditdFormats: FormatModule[] = [auditd];
